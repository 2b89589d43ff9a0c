//! Staff cancel a subscription at the end of its current period: it stays active and billed
//! until then; on that day the billing run bills what is still pending (prorations, one-time
//! charges) on a last invoice, bills no new period, and cancels it. Upcoming charges show that
//! last invoice, or none when nothing is pending. Until that day staff may undo it: the
//! subscription goes on as if it had never been scheduled.

use chrono::Utc;
use entity::subscription::{self, SubscriptionStatus};
use ids::SubscriptionId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{SubscriptionError, SubscriptionsService, lock};
use crate::auth::Actor;
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};

impl SubscriptionsService {
    /// Schedules the cancellation of an active subscription at the end of its current period
    /// (operator staff); returns it. `CONFLICT` when it is not active or already scheduled.
    pub async fn cancel_at_period_end(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: SubscriptionId,
    ) -> ServiceResult<subscription::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        // Lock the row: a billing run claiming it waits, then sees the cancellation.
        let row = lock(&txn, id).await?;
        if row.status != SubscriptionStatus::Active || row.cancel_at.is_some() {
            return Err(SubscriptionError::NotCancellable.into());
        }
        let cancel_at = row.current_period_end;
        set_cancel_at(&txn, id, Some(cancel_at)).await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "subscription.cancel",
                subject_type: "subscription",
                subject_id: id.to_string(),
                before: Some(json!({ "status": "active", "cancel_at": null })),
                after: Some(json!({ "cancel_at": cancel_at, "requested_at": Utc::now() })),
            },
        )
        .await?;
        txn.commit(row.customer_id).await?;
        Ok(subscription::Model {
            cancel_at: Some(cancel_at),
            ..row
        })
    }

    /// Undoes a scheduled cancellation before it takes effect (operator staff): the
    /// subscription is billed on as before; returns it. `CONFLICT` when none is scheduled or
    /// the subscription is already cancelled.
    pub async fn undo_cancellation(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: SubscriptionId,
    ) -> ServiceResult<subscription::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        // The billing run that would end it holds this lock while it does: after it, the
        // subscription is cancelled and this answers CONFLICT.
        let row = lock(&txn, id).await?;
        if row.status == SubscriptionStatus::Cancelled {
            return Err(SubscriptionError::AlreadyCancelled.into());
        }
        let Some(cancel_at) = row.cancel_at else {
            return Err(SubscriptionError::NoScheduledCancellation.into());
        };
        set_cancel_at(&txn, id, None).await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "subscription.undo_cancellation",
                subject_type: "subscription",
                subject_id: id.to_string(),
                before: Some(json!({ "cancel_at": cancel_at })),
                after: Some(json!({ "cancel_at": null })),
            },
        )
        .await?;
        txn.commit(row.customer_id).await?;
        Ok(subscription::Model {
            cancel_at: None,
            ..row
        })
    }
}

/// Sets or clears the day a subscription's billing stops.
async fn set_cancel_at(
    txn: &crate::db::TenantWrite,
    id: SubscriptionId,
    day: Option<chrono::NaiveDate>,
) -> ServiceResult<()> {
    subscription::Entity::update_many()
        .col_expr(subscription::Column::CancelAt, Expr::value(day))
        .filter(subscription::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}
