//! The account page: who is signed in, for which organisation.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::html::render;
use crate::operations::{Role, Viewer, viewer};
use crate::session::Visitor;

/// The account page.
#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    /// The frame.
    chrome: Chrome,
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
}

/// `GET /account`. Operator staff see it too (without an organisation).
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
) -> Result<impl IntoResponse, PageError> {
    let data = portal
        .run::<Viewer>(viewer::Variables, Some(&visitor.session))
        .await?;
    let user = data.viewer.user;
    let organisation = data.viewer.organisation;
    let organisation_name = organisation.as_ref().map(|o| o.name.clone());
    let page = AccountPage {
        chrome: visitor.chrome(Nav::Account, user.name.clone(), organisation_name.clone()),
        name: user.name,
        email: user.email,
        role: role_label(user.role),
        organisation: organisation_name,
        currency: organisation.as_ref().map(|o| o.currency.clone()),
        time_zone: organisation.map(|o| o.time_zone),
    };
    Ok(render(StatusCode::OK, &page))
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
