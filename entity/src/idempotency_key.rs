//! `idempotency_keys`: the first result of a money-moving mutation, per caller-chosen key.
//! The same key with the same input returns the stored result; with another input, a conflict.

use ids::IdempotencyKeyId;
use sea_orm::entity::prelude::*;

/// A remembered idempotent request.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    /// UUIDv7.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: IdempotencyKeyId,
    /// Whose key this is: a tenant (`cus_…`) or a staff user (`usr_…`); keys are unique per scope.
    pub scope: String,
    /// The caller-chosen key.
    pub key: String,
    /// The operation the key was used for (e.g. `applyLicenseChange`).
    pub operation: String,
    /// SHA-256 (hex) of the canonical request input, to detect reuse with another input.
    pub request_hash: String,
    /// The stored result, replayed on a repeat.
    pub response: Json,
    /// When the key was first used.
    pub created_at: DateTimeUtc,
}

/// Idempotency keys have no relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
