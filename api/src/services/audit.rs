//! The audit log: who changed what, with the state before and after.

use chrono::Utc;
use entity::audit_log;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde_json::Value;

use crate::auth::AuthenticatedActor;
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

/// A tenant's audit entries, newest first. Customer users read their own organisation's.
pub async fn entries<C: ConnectionTrait>(
    db: &C,
    actor: &crate::auth::Actor,
    customer: CustomerId,
    page: super::page::PageRequest,
) -> crate::error::ServiceResult<super::page::Page<audit_log::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    let scope = actor.authenticated()?.scope();
    let mut select = audit_log::Entity::find()
        .filter(scope.condition(audit_log::Column::CustomerId))
        .filter(audit_log::Column::CustomerId.eq(customer))
        .order_by_desc(audit_log::Column::Id)
        .limit(page.limit + 1);
    if let Some(before) = page.after {
        select = select.filter(audit_log::Column::Id.lt(before));
    }
    let mut items = select.all(db).await?;
    let has_next_page = items.len() as u64 > page.limit;
    items.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    Ok(super::page::Page {
        items,
        has_next_page,
    })
}
