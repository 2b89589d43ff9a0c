//! The audit log: who changed what, with the state before and after.

use chrono::Utc;
use entity::audit_log;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::Value;

use super::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};
use crate::auth::AuthenticatedActor;
use crate::error::ServiceResult;
use ids::{AuditEntryId, CustomerId};

/// One change to record.
#[derive(Clone, Debug)]
pub struct AuditEntry {
    /// The tenant concerned, if any.
    pub customer: Option<CustomerId>,
    /// What happened, `area.verb`.
    pub action: &'static str,
    /// Kind of thing changed.
    pub subject_type: &'static str,
    /// Public id of the thing changed.
    pub subject_id: String,
    /// State before.
    pub before: Option<Value>,
    /// State after.
    pub after: Option<Value>,
}

/// Appends `entry`, attributed to `actor` (or the system when `None`), in the caller's
/// transaction so that the entry exists exactly when the change does.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: Option<&AuthenticatedActor>,
    request_id: Option<&str>,
    entry: AuditEntry,
) -> Result<AuditEntryId, DbErr> {
    let id = AuditEntryId::new();
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(id),
        customer_id: Set(entry.customer),
        actor_user_id: Set(actor.map(|a| a.user_id)),
        actor_role: Set(actor.map_or(audit_log::ActorRole::System, |a| a.role.into())),
        action: Set(entry.action.to_owned()),
        subject_type: Set(entry.subject_type.to_owned()),
        subject_id: Set(entry.subject_id),
        before: Set(entry.before),
        after: Set(entry.after),
        request_id: Set(request_id.map(str::to_owned)),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// A tenant's audit entries, newest first.
const ENTRIES: Keyset<audit_log::Entity> = Keyset {
    list: "audit",
    columns: &[
        (audit_log::Column::CreatedAt, KeyKind::Time),
        (audit_log::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Descending,
    key: |e| time_key(e.created_at, e.id),
};

/// A tenant's audit entries, newest first. Customer users read their own organisation's.
pub async fn entries<C: ConnectionTrait>(
    db: &C,
    actor: &crate::auth::Actor,
    customer: CustomerId,
    page: &PageRequest,
) -> ServiceResult<Page<audit_log::Model>> {
    let scope = actor.authenticated()?.scope();
    let select = audit_log::Entity::find()
        .filter(scope.condition(audit_log::Column::CustomerId))
        .filter(audit_log::Column::CustomerId.eq(customer));
    Ok(fetch_page(db, select, &ENTRIES, page).await?)
}
