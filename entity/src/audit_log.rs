//! `audit_log`: every change that affects money or access — who, what, before, after.
//! Rows are only ever inserted.

use ids::{AuditEntryId, CustomerId, UserId};
use sea_orm::entity::prelude::*;

/// The role an audit entry's actor had at the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ActorRole {
    /// Operator administrator.
    #[sea_orm(string_value = "admin")]
    Admin,
    /// Operator staff (billing).
    #[sea_orm(string_value = "staff")]
    Staff,
    /// Operator support.
    #[sea_orm(string_value = "support")]
    Support,
    /// Customer owner.
    #[sea_orm(string_value = "owner")]
    Owner,
    /// Customer billing administrator.
    #[sea_orm(string_value = "billing_admin")]
    BillingAdmin,
    /// Customer viewer.
    #[sea_orm(string_value = "viewer")]
    Viewer,
    /// No user: a billing run, the command line, start-up.
    #[sea_orm(string_value = "system")]
    System,
}

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    /// UUIDv7 (time-ordered), exposed as `aud_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: AuditEntryId,
    /// The tenant the change concerns, when it concerns one; customers read their own entries.
    pub customer_id: Option<CustomerId>,
    /// The user who made the change; `None` for the system (billing runs, CLI).
    pub actor_user_id: Option<UserId>,
    /// The actor's role at the time, or `system`.
    pub actor_role: ActorRole,
    /// What happened, as `area.verb` (e.g. `session.login`, `license.add`).
    pub action: String,
    /// Kind of the thing changed (e.g. `user`, `subscription_item`).
    pub subject_type: String,
    /// Public id of the thing changed.
    pub subject_id: String,
    /// State before the change, when there was one.
    pub before: Option<Json>,
    /// State after the change, when there is one.
    pub after: Option<Json>,
    /// Request id of the HTTP request that made the change, to correlate with logs.
    pub request_id: Option<String>,
    /// When it happened.
    pub created_at: DateTimeUtc,
}

/// Audit entries have no navigable relations; they outlive what they describe.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
