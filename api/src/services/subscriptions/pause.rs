//! Staff pause a subscription and resume it.
//!
//! Paused, it is not billed: the billing run does not claim it and upcoming charges do not show
//! it ([`super::rows::is_billed`]). The period already billed when it was paused stays paid and
//! nothing is credited for the paused days (no proration of paused time). Charges waiting for
//! its next invoice (prorations, one-time charges) keep waiting.
//!
//! Resumed, it is `active` again and billing restarts from the period containing the resume
//! date: within the period it was paused in, nothing changes (that period is paid, its next
//! invoice is due at its end as before); later, the periods while it was paused are skipped
//! (no catch-up invoices) and its next invoice, due at once, bills the period containing the
//! resume date in full, in advance, like every period.

use billing::{BillingCycle, Period, local_date};
use chrono::{DateTime, Utc};
use entity::customer;
use entity::subscription::{self, SubscriptionStatus};
use ids::SubscriptionId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{SubscriptionError, SubscriptionsService, lock};
use crate::auth::Actor;
use crate::db::UniqueLookup;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::{accounts, catalog};

impl SubscriptionsService {
    /// Pauses an active subscription (operator staff); returns it. `CONFLICT` when it is not
    /// active, or when a cancellation is scheduled (it would never take effect).
    pub async fn pause(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: SubscriptionId,
    ) -> ServiceResult<subscription::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        let row = lock(&txn, id).await?;
        if row.status != SubscriptionStatus::Active {
            return Err(SubscriptionError::NotActive.into());
        }
        if row.cancel_at.is_some() {
            return Err(SubscriptionError::CancellationScheduled.into());
        }
        subscription::Entity::update_many()
            .col_expr(
                subscription::Column::Status,
                Expr::value(SubscriptionStatus::Paused),
            )
            .filter(subscription::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "subscription.pause",
                subject_type: "subscription",
                subject_id: id.to_string(),
                before: Some(json!({ "status": "active" })),
                after: Some(json!({ "status": "paused" })),
            },
        )
        .await?;
        txn.commit(row.customer_id).await?;
        Ok(subscription::Model {
            status: SubscriptionStatus::Paused,
            ..row
        })
    }

    /// Resumes a paused subscription on the business date of `now` (operator staff); returns
    /// it. `CONFLICT` when it is not paused.
    pub async fn resume(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: SubscriptionId,
        now: DateTime<Utc>,
    ) -> ServiceResult<subscription::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        let row = lock(&txn, id).await?;
        if row.status != SubscriptionStatus::Paused {
            return Err(SubscriptionError::NotPaused.into());
        }
        let customer = customer::Entity::find_by_id(row.customer_id)
            .one_by_key(&txn)
            .await?
            .ok_or(SubscriptionError::CustomerNotFound)?;
        let today = local_date(now, accounts::rows::time_zone(&customer)?);
        let resumed = subscription::Model {
            status: SubscriptionStatus::Active,
            ..row.clone()
        };
        let resumed = match period_before_resume(&row, today)? {
            Some(before) => subscription::Model {
                current_period_start: before.start(),
                current_period_end: before.end(),
                next_invoice_date: before.end(),
                ..resumed
            },
            None => resumed,
        };
        subscription::Entity::update_many()
            .col_expr(subscription::Column::Status, Expr::value(resumed.status))
            .col_expr(
                subscription::Column::CurrentPeriodStart,
                Expr::value(resumed.current_period_start),
            )
            .col_expr(
                subscription::Column::CurrentPeriodEnd,
                Expr::value(resumed.current_period_end),
            )
            .col_expr(
                subscription::Column::NextInvoiceDate,
                Expr::value(resumed.next_invoice_date),
            )
            .filter(subscription::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "subscription.resume",
                subject_type: "subscription",
                subject_id: id.to_string(),
                before: Some(json!({
                    "status": "paused",
                    "current_period_start": row.current_period_start,
                    "next_invoice_date": row.next_invoice_date,
                })),
                after: Some(json!({
                    "status": "active",
                    "current_period_start": resumed.current_period_start,
                    "next_invoice_date": resumed.next_invoice_date,
                })),
            },
        )
        .await?;
        txn.commit(row.customer_id).await?;
        Ok(resumed)
    }
}

/// Where a subscription resumed on `today` stands: `None` when `today` is still in its current
/// period (nothing moves); otherwise the period just before the one containing `today`, made
/// its current one, so that its next invoice (due on that period's end, at the latest today)
/// bills the period containing `today` and none of the paused ones before it.
fn period_before_resume(
    row: &subscription::Model,
    today: chrono::NaiveDate,
) -> ServiceResult<Option<Period>> {
    if today < row.current_period_end {
        return Ok(None);
    }
    let interval = catalog::rows::interval(row.interval_unit, row.interval_count)?;
    let cycle = BillingCycle::new(row.anchor_date, interval);
    let index = cycle
        .index_of(today)
        .map_err(|e| ServiceError::internal(e.to_string()))?;
    // `today` is at or after the current period's end, which is at or after the anchor's
    // first period's end: its period is never the first.
    let before = cycle
        .period(index.saturating_sub(1))
        .map_err(|e| ServiceError::internal(e.to_string()))?;
    Ok(Some(before))
}
