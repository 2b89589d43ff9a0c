//! `invitations`: an organisation's owner invites someone by e-mail to become one of its portal
//! users. Only the token's SHA-256 is kept; the token itself is in the invitation e-mail.

use ids::{CustomerId, InvitationId, UserId};
use sea_orm::entity::prelude::*;

use super::user::UserRole;

/// An invitation to join an organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    /// UUIDv7, exposed as `ivt_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: InvitationId,
    /// The organisation the invitee joins.
    pub customer_id: CustomerId,
    /// Where the invitation was sent, lower-cased; the new user's sign-in address.
    pub email: String,
    /// The role the invitee gets (a customer role).
    pub role: UserRole,
    /// SHA-256 of the single-use token, 64 hex digits; unique.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The owner (or staff member) who invited.
    pub invited_by: Option<UserId>,
    /// After this instant the token is refused.
    pub expires_at: DateTimeUtc,
    /// When it was accepted; a token works once.
    pub accepted_at: Option<DateTimeUtc>,
    /// The user the acceptance created.
    pub accepted_user_id: Option<UserId>,
    /// When an owner withdrew it.
    pub revoked_at: Option<DateTimeUtc>,
    /// When it was sent.
    pub created_at: DateTimeUtc,
}

/// Invitations have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
