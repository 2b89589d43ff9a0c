//! The account page: who is signed in, for which organisation, and the form that changes the
//! user's own password (every role may). A changed password ends the user's other sessions:
//! this one carries on with the new token the API returns, put in the session cookie.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::cookies::SessionCookie;
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{ChangePassword, Role, Viewer, change_password, viewer};
use crate::route::Route;
use crate::session::Visitor;

/// The account page.
#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    /// The frame.
    chrome: Chrome,
    /// A confirmation to show.
    notice: Option<String>,
    /// The user's name.
    name: String,
    /// The user's e-mail.
    email: String,
    /// The user's role, as shown to people.
    role: &'static str,
    /// The organisation's name, for customer users.
    organisation: Option<String>,
    /// The organisation's billing currency.
    currency: Option<String>,
    /// The time zone the portal shows times in.
    time_zone: Option<String>,
    /// The change-password form's refusal.
    password: FormErrors,
}

/// `GET /account`. Operator staff see it too (without an organisation).
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    flash: Option<Flash>,
) -> Result<Response, PageError> {
    let notice = flash.map(Flash::message);
    render_account(
        &portal,
        &visitor,
        StatusCode::OK,
        notice,
        FormErrors::none(),
    )
    .await
}

/// The account page with a confirmation or the password form's refusal.
async fn render_account(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    notice: Option<String>,
    password: FormErrors,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Viewer>(viewer::Variables, Some(&visitor.session))
        .await?;
    let user = data.viewer.user;
    let organisation = data.viewer.organisation;
    let organisation_name = organisation.as_ref().map(|o| o.name.clone());
    let page = AccountPage {
        chrome: visitor.chrome(Nav::Account, user.name.clone(), organisation_name.clone()),
        notice,
        name: user.name,
        email: user.email,
        role: role_label(user.role),
        organisation: organisation_name,
        currency: organisation.as_ref().map(|o| o.currency.clone()),
        time_zone: organisation.map(|o| o.time_zone),
        password,
    };
    Ok(render(status, &page))
}

/// The change-password form.
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

/// `POST /account/password`: the new session cookie and the confirmation, or the form's
/// refusal next to its field (422). The passwords typed are never shown again.
pub(super) async fn change(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<PasswordFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let refused = if fields.new_password != fields.confirm_password {
        FormErrors::on("confirmPassword", "The two new passwords differ.")
    } else {
        let variables = change_password::Variables {
            input: change_password::ChangePasswordInput {
                current_password: fields.current_password,
                new_password: fields.new_password,
            },
        };
        match portal
            .run::<ChangePassword>(variables, Some(&visitor.session))
            .await
        {
            Ok(data) => {
                let session = SessionCookie::Start(data.change_password.token);
                let done = Flash::Saved(Saved::PasswordChanged).redirect(&Route::Account);
                return Ok((session, done).into_response());
            }
            Err(error) => FormErrors::from_refusal(error, &["currentPassword", "newPassword"])?,
        }
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_account(&portal, &visitor, status, None, refused).await
}

/// The role as people call it.
fn role_label(role: Role) -> &'static str {
    match role {
        Role::ADMIN => "Operator administrator",
        Role::STAFF => "Operator staff",
        Role::OWNER => "Owner",
        Role::BILLING_ADMIN => "Billing administrator",
        Role::VIEWER => "Viewer",
        Role::Other => "Unknown role",
    }
}
