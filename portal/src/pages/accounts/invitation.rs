//! The invitation's accept page, reached signed out from the e-mailed link
//! (`/invitation?token=…`): it says which organisation and role, and asks for a name and a
//! password; accepting signs the new user in (on to the account page, which welcomes them). An expired, used or withdrawn link says so.
//!
//! The token travels in the form, never in a cookie, and the form has the page's CSRF token
//! like every other (a cross-site page cannot make someone accept an invitation it holds).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::Portal;
use crate::chrome::Chrome;
use crate::client::PortalError;
use crate::cookies::SessionCookie;
use crate::csrf::CsrfToken;
use crate::dates::day;
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{AcceptInvitation, Invitation, accept_invitation, invitation};
use crate::route::Route;

/// The accept page.
#[derive(Template)]
#[template(path = "accounts/invitation.html")]
struct InvitationPage {
    /// The frame: no navigation (not signed in yet).
    chrome: Chrome,
    /// What the link opens, when it still may be accepted.
    invitation: Option<Details>,
    /// Why it may not, when it may not.
    refusal: Option<String>,
    /// The token, carried by the form.
    token: String,
    /// The name typed so far.
    name: String,
    /// What was wrong with the form.
    errors: FormErrors,
}

/// What the page says of the invitation.
struct Details {
    organisation: String,
    email: String,
    role: &'static str,
    until: String,
}

/// The link's query.
#[derive(Deserialize)]
pub(super) struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// `GET /invitation?token=…`.
pub(super) async fn show(
    State(portal): State<Portal>,
    csrf: CsrfToken,
    Query(query): Query<TokenQuery>,
) -> Result<Response, PageError> {
    render_page(
        &portal,
        &csrf,
        StatusCode::OK,
        query.token,
        String::new(),
        FormErrors::none(),
    )
    .await
}

/// The page for `token`, with the form typed so far and its refusal.
async fn render_page(
    portal: &Portal,
    csrf: &CsrfToken,
    status: StatusCode,
    token: String,
    name: String,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let variables = invitation::Variables {
        token: token.clone(),
    };
    let (invitation, refusal, status) = match portal.run::<Invitation>(variables, None).await {
        Ok(data) => {
            let i = data.invitation;
            let details = Details {
                organisation: i.organisation_name,
                email: i.email,
                role: i.role.label(),
                until: day(i.expires_at.date_naive()),
            };
            (Some(details), None, status)
        }
        Err(PortalError::NotFound(_)) => (
            None,
            Some("This invitation link is not valid: check that you copied all of it.".into()),
            StatusCode::NOT_FOUND,
        ),
        Err(PortalError::Rejected { message, .. }) => (None, Some(message), StatusCode::GONE),
        Err(other) => return Err(other.into()),
    };
    let page = InvitationPage {
        chrome: Chrome::signed_out(csrf.as_str()),
        invitation,
        refusal,
        token,
        name,
        errors,
    };
    Ok(render(status, &page))
}

/// The accept form's fields.
#[derive(Deserialize)]
pub(super) struct AcceptFields {
    csrf: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /invitation`: signed in and on to the overview, or the page again.
pub(super) async fn accept(
    State(portal): State<Portal>,
    csrf: CsrfToken,
    Form(fields): Form<AcceptFields>,
) -> Result<Response, PageError> {
    csrf.verify(&fields.csrf)?;
    let refused = if fields.password != fields.confirm {
        FormErrors::on("confirm", "The two passwords differ.")
    } else {
        let variables = accept_invitation::Variables {
            input: accept_invitation::AcceptInvitationInput {
                token: fields.token.clone(),
                name: fields.name.clone(),
                password: fields.password,
            },
        };
        match portal.run::<AcceptInvitation>(variables, None).await {
            Ok(data) => {
                let session = SessionCookie::Start(data.accept_invitation.token);
                let welcome = Flash::Saved(Saved::Welcome).redirect(&Route::Account);
                return Ok((session, welcome).into_response());
            }
            Err(error) => FormErrors::from_refusal(error, &["name", "password"])?,
        }
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_page(&portal, &csrf, status, fields.token, fields.name, refused).await
}
