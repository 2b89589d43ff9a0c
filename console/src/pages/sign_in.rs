//! Signing in with e-mail and password (operator staff only), and signing out.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::client::ConsoleError;
use crate::cookies::{self, SessionCookie};
use crate::csrf::CsrfToken;
use crate::error::{NOT_STAFF, PageError};
use crate::html::render;
use crate::operations::{Login, StaffViewer, login, staff_viewer};
use crate::route::Route;
use crate::{Console, SESSION_COOKIE};

/// The sign-in page.
#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    /// The frame: no navigation yet.
    chrome: Chrome,
    /// The e-mail typed so far, kept after an error.
    email: String,
    /// Error shown next to the e-mail field.
    email_error: Option<String>,
    /// Error shown next to the password field.
    password_error: Option<String>,
    /// Error shown above the form.
    form_error: Option<String>,
}

impl SignInPage {
    fn new(csrf: &CsrfToken, email: String) -> Self {
        Self {
            chrome: Chrome::signed_out(csrf.as_str()),
            email,
            email_error: None,
            password_error: None,
            form_error: None,
        }
    }
}

/// Sign-in form fields.
#[derive(Deserialize)]
pub(super) struct SignInForm {
    csrf: String,
    email: String,
    password: String,
}

/// A form that carries only the CSRF token.
#[derive(Deserialize)]
pub(super) struct CsrfOnlyForm {
    csrf: String,
}

/// `GET /admin/login`: the form, or the customers for a visitor who is already signed in.
pub(super) async fn form(headers: HeaderMap, csrf: CsrfToken) -> Response {
    if cookies::get(&headers, SESSION_COOKIE).is_some() {
        return Route::customers().redirect().into_response();
    }
    render(StatusCode::OK, &SignInPage::new(&csrf, String::new()))
}

/// `POST /admin/login`: a session cookie and the customers, or the form again with what was
/// wrong. A customer's correct password opens nothing here: the form says the console is for
/// staff (403), and no cookie is set.
pub(super) async fn submit(
    State(console): State<Console>,
    csrf: CsrfToken,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    csrf.verify(&form.csrf)?;
    let variables = login::Variables {
        input: login::LoginInput {
            email: form.email.clone(),
            password: form.password,
        },
    };
    let mut page = SignInPage::new(&csrf, form.email);
    match console.run::<Login>(variables, None).await {
        Ok(data) => {
            let token = data.login.token;
            let viewer = console
                .run::<StaffViewer>(staff_viewer::Variables, Some(&token))
                .await?;
            if viewer.viewer.organisation.is_some() {
                page.form_error = Some(NOT_STAFF.into());
                return Ok(render(StatusCode::FORBIDDEN, &page));
            }
            let session = SessionCookie::Start(token);
            return Ok((session, Route::customers().redirect()).into_response());
        }
        Err(ConsoleError::Unauthenticated) => {
            page.form_error = Some("The e-mail or password is incorrect.".into());
        }
        Err(ConsoleError::Field { field, message }) => {
            if field.ends_with("password") {
                page.password_error = Some(message);
            } else {
                page.email_error = Some(message);
            }
        }
        Err(
            ConsoleError::Forbidden(message)
            | ConsoleError::Rejected { message, .. }
            | ConsoleError::NotFound(message),
        ) => page.form_error = Some(message),
        Err(ConsoleError::Internal(detail)) => return Err(PageError::Internal(detail)),
    }
    Ok(render(StatusCode::OK, &page))
}

/// `POST /admin/logout`: the session cookie deleted, back to sign-in.
pub(super) async fn sign_out(
    csrf: CsrfToken,
    Form(form): Form<CsrfOnlyForm>,
) -> Result<impl IntoResponse, PageError> {
    csrf.verify(&form.csrf)?;
    Ok((SessionCookie::End, Route::SignIn.redirect()))
}
