//! The users page: who signs in to the organisation, with their roles, and the invitations
//! still waiting; its owners invite people, withdraw invitations, change roles and remove
//! users here. Billing admins and viewers see the lists without any form.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::organisation_id;
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::client::PortalError;
use crate::dates::CustomerZone;
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{
    ChangeUserRole, InviteUser, RemoveUser, RevokeInvitation, Role, Users, change_user_role,
    invite_user, remove_user, revoke_invitation, users,
};
use crate::route::Route;
use crate::session::Visitor;

/// The users page.
#[derive(Template)]
#[template(path = "accounts/users.html")]
struct UsersPage {
    /// The frame.
    chrome: Chrome,
    /// Whether the user is an owner (the only role with forms here).
    manages: bool,
    /// A confirmation to show.
    notice: Option<String>,
    /// A refusal of a row's button, shown at the top.
    page_error: Option<String>,
    /// The users, oldest first.
    users: Vec<UserRow>,
    /// The invitations still waiting, newest first.
    invitations: Vec<InvitationRow>,
    /// The invite form.
    form: InviteForm,
}

/// A user as the page lists them.
struct UserRow {
    id: String,
    name: String,
    email: String,
    role: Role,
    /// The signed-in user.
    me: bool,
}

/// An invitation as the page lists it.
struct InvitationRow {
    id: String,
    email: String,
    role: &'static str,
    /// Until when its link works, for people.
    expires: String,
}

/// The invite form's values and its refusal.
struct InviteForm {
    email: String,
    role: Role,
    errors: FormErrors,
}

impl InviteForm {
    /// The roles for a select (this form's and each user's): (value, label).
    fn roles(&self) -> Vec<(&'static str, &'static str)> {
        Role::CUSTOMER_ROLES
            .into_iter()
            .map(|r| (r.param(), r.label()))
            .collect()
    }
}

/// `GET /users`.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    flash: Option<Flash>,
) -> Result<Response, PageError> {
    let form = InviteForm {
        email: String::new(),
        role: Role::BILLING_ADMIN,
        errors: FormErrors::none(),
    };
    let notice = flash.map(Flash::message);
    render_page(&portal, &visitor, StatusCode::OK, notice, None, form).await
}

/// The page with a confirmation, a refusal at the top, or the invite form shown again.
async fn render_page(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    notice: Option<String>,
    page_error: Option<String>,
    form: InviteForm,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Users>(users::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let zone = CustomerZone::named(&organisation.time_zone);
    let me = data.viewer.user.id;
    let page = UsersPage {
        chrome: visitor.chrome(Nav::Users, data.viewer.user.name, Some(organisation.name)),
        manages: data.viewer.user.role.manages_users(),
        notice,
        page_error,
        users: organisation
            .users
            .nodes
            .into_iter()
            .map(|u| UserRow {
                me: u.id == me,
                id: u.id,
                name: u.name,
                email: u.email,
                role: u.role,
            })
            .collect(),
        invitations: organisation
            .invitations
            .into_iter()
            .map(|i| InvitationRow {
                id: i.id,
                email: i.email,
                role: i.role.label(),
                expires: zone.day_at(i.expires_at),
            })
            .collect(),
        form,
    };
    Ok(render(status, &page))
}

/// The invite form's fields.
#[derive(Deserialize)]
pub(super) struct InviteFields {
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// `POST /users/invite`.
pub(super) async fn invite(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<InviteFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let role = Role::from_param(&fields.role);
    let refused = match role {
        None => FormErrors::on("role", "Choose a role."),
        Some(role) => {
            let variables = invite_user::Variables {
                input: invite_user::InviteUserInput {
                    customer_id: organisation_id(&portal, &visitor).await?,
                    email: fields.email.clone(),
                    role,
                },
            };
            match portal
                .run::<InviteUser>(variables, Some(&visitor.session))
                .await
            {
                Ok(_) => {
                    return Ok(Flash::Saved(Saved::InvitationSent)
                        .redirect(&Route::Users)
                        .into_response());
                }
                Err(error) => FormErrors::from_refusal(error, &["email", "role"])?,
            }
        }
    };
    let form = InviteForm {
        email: fields.email,
        role: role.unwrap_or(Role::BILLING_ADMIN),
        errors: refused,
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_page(&portal, &visitor, status, None, None, form).await
}

/// A row button's form: the id and, for a change of role, the role.
#[derive(Deserialize)]
pub(super) struct RowFields {
    csrf: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    role: String,
}

/// `POST /users/invitations/revoke`.
pub(super) async fn revoke(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<RowFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = revoke_invitation::Variables {
        input: revoke_invitation::RevokeInvitationInput {
            invitation_id: fields.id,
        },
    };
    let outcome = portal
        .run::<RevokeInvitation>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    after_row_change(&portal, &visitor, outcome, Saved::InvitationRevoked).await
}

/// `POST /users/role`.
pub(super) async fn change_role(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<RowFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let Some(role) = Role::from_param(&fields.role) else {
        return Err(PageError::BadRequest("Choose a role.".into()));
    };
    let variables = change_user_role::Variables {
        input: change_user_role::ChangeUserRoleInput {
            user_id: fields.id,
            role,
        },
    };
    let outcome = portal
        .run::<ChangeUserRole>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    after_row_change(&portal, &visitor, outcome, Saved::RoleChanged).await
}

/// `POST /users/remove`.
pub(super) async fn remove(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<RowFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = remove_user::Variables {
        input: remove_user::RemoveUserInput { user_id: fields.id },
    };
    let outcome = portal
        .run::<RemoveUser>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    after_row_change(&portal, &visitor, outcome, Saved::UserRemoved).await
}

/// After a row's button: the page with its confirmation, or its refusal at the top (the last
/// owner, an invitation already accepted).
async fn after_row_change(
    portal: &Portal,
    visitor: &Visitor,
    outcome: Result<(), PortalError>,
    saved: Saved,
) -> Result<Response, PageError> {
    match outcome {
        Ok(()) => Ok(Flash::Saved(saved).redirect(&Route::Users).into_response()),
        Err(error) => {
            let message = error.form_message()?;
            let form = InviteForm {
                email: String::new(),
                role: Role::BILLING_ADMIN,
                errors: FormErrors::none(),
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_page(portal, visitor, status, None, Some(message), form).await
        }
    }
}
