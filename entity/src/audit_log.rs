//! `audit_log`: every change that affects money or access — who, what, before, after.
//! Rows are only ever inserted.

use sea_orm::entity::prelude::*;

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    /// UUIDv7 (time-ordered), exposed as `aud_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The tenant the change concerns, when it concerns one; customers read their own entries.
    pub customer_id: Option<Uuid>,
    /// The user who made the change; `None` for the system (billing runs, CLI).
    pub actor_user_id: Option<Uuid>,
    /// The actor's role at the time, or `system`.
    pub actor_role: String,
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
