//! Audit entries as the schema shows them.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::audit_log;

use crate::graphql::loaders::CustomerNames;
use crate::services::audit;

/// The role an audit entry's actor had when acting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum ActorRole {
    /// Operator administrator.
    Admin,
    /// Operator staff (billing).
    Staff,
    /// Operator support (reads and document review).
    Support,
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
            audit_log::ActorRole::Support => ActorRole::Support,
            audit_log::ActorRole::Owner => ActorRole::Owner,
            audit_log::ActorRole::BillingAdmin => ActorRole::BillingAdmin,
            audit_log::ActorRole::Viewer => ActorRole::Viewer,
            audit_log::ActorRole::System => ActorRole::System,
        }
    }
}

/// What an audit entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum AuditKind {
    /// Money: licenses, subscriptions, charges, coupons, credits, invoices, payments and
    /// payment methods, billing settings, the catalog and tax rates, numbers and usage.
    Money,
    /// Access: sign-ins, users, their roles and passwords, invitations, staff users and API
    /// keys.
    Access,
    /// The documents vault: uploads, reviews, downloads, documents asked for.
    Documents,
    /// Billing addresses.
    Addresses,
    /// Contacts, teams and members.
    People,
    /// Anything else (e-mail copies and retries).
    Other,
}

impl From<audit::AuditKind> for AuditKind {
    fn from(kind: audit::AuditKind) -> Self {
        match kind {
            audit::AuditKind::Money => AuditKind::Money,
            audit::AuditKind::Access => AuditKind::Access,
            audit::AuditKind::Documents => AuditKind::Documents,
            audit::AuditKind::Addresses => AuditKind::Addresses,
            audit::AuditKind::People => AuditKind::People,
            audit::AuditKind::Other => AuditKind::Other,
        }
    }
}

impl From<AuditKind> for audit::AuditKind {
    fn from(kind: AuditKind) -> Self {
        match kind {
            AuditKind::Money => audit::AuditKind::Money,
            AuditKind::Access => audit::AuditKind::Access,
            AuditKind::Documents => audit::AuditKind::Documents,
            AuditKind::Addresses => audit::AuditKind::Addresses,
            AuditKind::People => audit::AuditKind::People,
            AuditKind::Other => audit::AuditKind::Other,
        }
    }
}

/// One change that affected money or access: who, what, before, after.
pub struct AuditEntry(pub audit_log::Model, pub Option<String>);

impl AuditEntry {
    /// An entry with the name of its actor, as the service reads them together.
    pub fn with_actor((row, actor): (audit_log::Model, Option<String>)) -> Self {
        Self(row, actor)
    }
}

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
    /// What the change is about, for filtering (from the action's area).
    async fn kind(&self) -> AuditKind {
        audit::AuditKind::of(&self.0.action).into()
    }
    /// The organisation it is about (`cus_…`); null for the operator's own changes (staff
    /// users, API keys, the catalog).
    async fn customer_id(&self) -> Option<ID> {
        self.0.customer_id.map(|id| id.into())
    }
    /// That organisation's name, read for a page of entries in one query.
    async fn customer_name(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let Some(customer) = self.0.customer_id else {
            return Ok(None);
        };
        ctx.data::<DataLoader<CustomerNames>>()?
            .load_one(customer)
            .await
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
    /// The name of the user who made the change, as it is now; null for the system or a user
    /// removed since.
    async fn actor_name(&self) -> Option<&str> {
        self.1.as_deref()
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
