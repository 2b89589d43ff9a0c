//! The accounts slice: signing in and out, the account page with the change of password, the
//! organisation's own pages: contacts, billing addresses, team and members, users and their
//! invitations (and the invitation's accept page, signed out), and the audit log.

mod account;
mod address_forms;
mod addresses;
mod audit;
mod contact_forms;
mod contacts;
mod invitation;
mod sign_in;
mod team;
mod team_forms;
mod users;

use axum::Router;
use axum::routing::{get, post};

use crate::Portal;
use crate::error::PageError;
use crate::operations::{Viewer, viewer};
use crate::route::path;
use crate::session::Visitor;

/// The accounts slice's routes.
pub(super) fn routes() -> Router<Portal> {
    Router::new()
        .route(path::SIGN_IN, get(sign_in::form).post(sign_in::submit))
        .route(path::SIGN_OUT, post(sign_in::sign_out))
        .route(path::ACCOUNT, get(account::show))
        .route(path::CHANGE_PASSWORD, post(account::change))
        .route(path::CONTACTS, get(contacts::show))
        .route(path::ADD_CONTACT, post(contact_forms::add))
        .route(
            path::EDIT_CONTACT,
            get(contact_forms::edit).post(contact_forms::save),
        )
        .route(path::REMOVE_CONTACT, post(contacts::remove))
        .route(path::ADDRESSES, get(addresses::show))
        .route(path::ADD_ADDRESS, post(address_forms::add))
        .route(
            path::EDIT_ADDRESS,
            get(address_forms::edit).post(address_forms::save),
        )
        .route(path::DEFAULT_ADDRESS, post(addresses::make_default))
        .route(path::REMOVE_ADDRESS, post(addresses::remove))
        .route(path::TEAM, get(team::show))
        .route(path::CREATE_TEAM, post(team_forms::create_team))
        .route(path::RENAME_TEAM, post(team_forms::rename_team))
        .route(path::DELETE_TEAM, post(team_forms::delete_team))
        .route(path::ADD_MEMBER, post(team_forms::add_member))
        .route(
            path::EDIT_MEMBER,
            get(team_forms::edit_member).post(team_forms::save_member),
        )
        .route(path::REMOVE_MEMBER, post(team_forms::remove_member))
        .route(path::USERS, get(users::show))
        .route(path::INVITE_USER, post(users::invite))
        .route(path::REVOKE_INVITATION, post(users::revoke))
        .route(path::CHANGE_ROLE, post(users::change_role))
        .route(path::REMOVE_USER, post(users::remove))
        .route(
            path::INVITATION,
            get(invitation::show).post(invitation::accept),
        )
        .route(path::AUDIT, get(audit::show))
}

/// The id (`cus_…`) of the visitor's organisation, which the add forms name; operator staff
/// have none.
async fn organisation_id(portal: &Portal, visitor: &Visitor) -> Result<String, PageError> {
    let data = portal
        .run::<Viewer>(viewer::Variables, Some(&visitor.session))
        .await?;
    Ok(data.viewer.organisation.ok_or(PageError::WrongAudience)?.id)
}
