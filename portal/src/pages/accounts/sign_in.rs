//! Signing in with e-mail and password, and signing out.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::client::PortalError;
use crate::cookies::{self, SessionCookie};
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::html::render;
use crate::operations::{Login, login};
use crate::route::Route;
use crate::{Portal, SESSION_COOKIE};

/// The sign-in page.
#[derive(Template)]
#[template(path = "accounts/sign_in.html")]
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

/// `GET /login`: the form, or the overview for a visitor who is already signed in.
pub(super) async fn form(headers: HeaderMap, csrf: CsrfToken) -> Response {
    if cookies::get(&headers, SESSION_COOKIE).is_some() {
        return Route::Overview.redirect().into_response();
    }
    render(StatusCode::OK, &SignInPage::new(&csrf, String::new()))
}

/// `POST /login`: a session cookie and the overview, or the form again with what was wrong
/// (200, as a form that was read and answered).
pub(super) async fn submit(
    State(portal): State<Portal>,
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
    match portal.run::<Login>(variables, None).await {
        Ok(data) => {
            let session = SessionCookie::Start(data.login.token);
            return Ok((session, Route::Overview.redirect()).into_response());
        }
        Err(PortalError::Unauthenticated) => {
            page.form_error = Some("The e-mail or password is incorrect.".into());
        }
        Err(PortalError::Field { field, message }) => {
            if field.ends_with("password") {
                page.password_error = Some(message);
            } else {
                page.email_error = Some(message);
            }
        }
        Err(
            PortalError::Forbidden(message)
            | PortalError::Rejected { message, .. }
            | PortalError::NotFound(message),
        ) => page.form_error = Some(message),
        Err(PortalError::Internal(detail)) => return Err(PageError::Internal(detail)),
    }
    Ok(render(StatusCode::OK, &page))
}

/// `POST /logout`: the session cookie deleted, back to sign-in.
pub(super) async fn sign_out(
    csrf: CsrfToken,
    Form(form): Form<CsrfOnlyForm>,
) -> Result<impl IntoResponse, PageError> {
    csrf.verify(&form.csrf)?;
    Ok((SessionCookie::End, Route::SignIn.redirect()))
}
