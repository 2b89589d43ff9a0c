//! `api_keys`: credentials of machine clients (`Authorization: Bearer bf_…`). Only the secret's
//! SHA-256 is kept; the secret is shown once, when the key is created.

use ids::{ApiKeyId, UserId};
use sea_orm::entity::prelude::*;

/// An API key.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    /// UUIDv7, exposed as `key_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: ApiKeyId,
    /// What the key is for ("Telephony platform").
    pub name: String,
    /// The secret's first characters (`bf_AbCdEfGh`), to recognise it in lists.
    pub prefix: String,
    /// SHA-256 of the secret, 64 hex digits; unique.
    #[sea_orm(unique)]
    pub secret_hash: String,
    /// Scopes, comma-separated (`usage:write,read`).
    pub scopes: String,
    /// The staff member who created it; the key acts in their name in the audit log.
    pub created_by: UserId,
    /// When it was created.
    pub created_at: DateTimeUtc,
    /// When it last authenticated a request (updated at most once a minute).
    pub last_used_at: Option<DateTimeUtc>,
    /// When it was revoked; a revoked key authenticates nothing.
    pub revoked_at: Option<DateTimeUtc>,
}

/// API keys have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
