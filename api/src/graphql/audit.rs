//! Audit entries as the schema shows them.

use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use entity::audit_log;

use crate::ids::{AuditEntryId, UserId};

/// One change that affected money or access: who, what, before, after.
pub struct AuditEntry(pub audit_log::Model);

#[Object]
impl AuditEntry {
    /// Opaque id (`aud_…`).
    async fn id(&self) -> ID {
        AuditEntryId::from(self.0.id).into()
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
        self.0.actor_user_id.map(|id| UserId::from(id).into())
    }
    /// The actor's role at the time, or `system`.
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
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
