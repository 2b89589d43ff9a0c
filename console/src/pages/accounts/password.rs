//! `GET /admin/password`: the signed-in staff member changes their own password (a new staff
//! user replaces the initial one handed over). A changed password ends their other sessions:
//! this one carries on with the new token the API returns, put in the console's cookie.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::cookies::SessionCookie;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{ChangePassword, change_password};
use crate::route::Route;
use crate::session::Visitor;

/// The password page.
#[derive(Template)]
#[template(path = "accounts/password.html")]
struct PasswordPage {
    chrome: Chrome,
    flash: Option<Flash>,
    /// The form's refusal.
    errors: FormErrors,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct PasswordParams {
    done: Option<String>,
}

/// The change-password form. The passwords typed are never shown again.
#[derive(Deserialize)]
pub(super) struct PasswordFields {
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn password_page(
    console: &Console,
    visitor: &Visitor,
    flash: Option<Flash>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let status = errors.status();
    let page = PasswordPage {
        chrome: visitor.chrome(console, Nav::Password).await?,
        flash,
        errors,
    };
    Ok(render(status, &page))
}

/// `GET /admin/password`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<PasswordParams>,
) -> Result<Response, PageError> {
    let flash = Flash::from_param(params.done.as_deref());
    password_page(&console, &visitor, flash, FormErrors::none()).await
}

/// `POST /admin/password`: the new session cookie and the confirmation, or the form's refusal
/// next to its field (422).
pub(super) async fn change(
    State(console): State<Console>,
    visitor: Visitor,
    Form(fields): Form<PasswordFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let errors = if fields.new_password != fields.confirm_password {
        FormErrors::on("confirmPassword", "The two new passwords differ.")
    } else {
        let variables = change_password::Variables {
            input: change_password::ChangePasswordInput {
                current_password: fields.current_password,
                new_password: fields.new_password,
            },
        };
        match console
            .run::<ChangePassword>(variables, Some(&visitor.session))
            .await
        {
            Ok(data) => {
                let session = SessionCookie::Start(data.change_password.token);
                let done = Redirect::to(&Flash::PasswordChanged.href(&Route::Password));
                return Ok((session, done).into_response());
            }
            Err(error) => {
                FormErrors::from_refusal(error, |f| f == "currentPassword" || f == "newPassword")?
            }
        }
    };
    password_page(&console, &visitor, None, errors).await
}
