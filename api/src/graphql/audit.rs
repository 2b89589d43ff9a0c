//! Audit entries as the schema shows them.

use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use entity::audit_log;

/// The role an audit entry's actor had when acting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum ActorRole {
    /// Operator administrator.
    Admin,
    /// Operator staff.
    Staff,
    /// Customer owner.
    Owner,
    /// Customer billing administrator.
    BillingAdmin,
    /// Customer viewer.
    Viewer,
    /// No user: a billing run, the command line, start-up.
    System,
}

impl From<audit_log::ActorRole> for ActorRole {
    fn from(role: audit_log::ActorRole) -> Self {
        match role {
            audit_log::ActorRole::Admin => ActorRole::Admin,
            audit_log::ActorRole::Staff => ActorRole::Staff,
            audit_log::ActorRole::Owner => ActorRole::Owner,
            audit_log::ActorRole::BillingAdmin => ActorRole::BillingAdmin,
            audit_log::ActorRole::Viewer => ActorRole::Viewer,
            audit_log::ActorRole::System => ActorRole::System,
        }
    }
}

/// One change that affected money or access: who, what, before, after.
pub struct AuditEntry(pub audit_log::Model);

#[Object]
impl AuditEntry {
    /// Opaque id (`aud_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// What happened, `area.verb` (e.g. `license.add`).
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// Kind of thing changed.
    async fn subject_type(&self) -> &str {
        &self.0.subject_type
    }
    /// Id of the thing changed.
    async fn subject_id(&self) -> &str {
        &self.0.subject_id
    }
    /// The user who made the change (`usr_…`); null for the system.
    async fn actor_id(&self) -> Option<ID> {
        self.0.actor_user_id.map(|id| id.into())
    }
    /// The actor's role at the time, or `SYSTEM`.
    async fn actor_role(&self) -> ActorRole {
        self.0.actor_role.into()
    }
    /// State before, as JSON text.
    async fn before(&self) -> Option<String> {
        self.0.before.as_ref().map(|v| v.to_string())
    }
    /// State after, as JSON text.
    async fn after(&self) -> Option<String> {
        self.0.after.as_ref().map(|v| v.to_string())
    }
    /// When it happened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
