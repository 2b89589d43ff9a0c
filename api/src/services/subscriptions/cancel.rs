//! Staff cancel a subscription at the end of its current period: it stays active and billed
//! until then; on that day the billing run bills what is still pending (prorations, one-time
//! charges) on a last invoice, bills no new period, and cancels it. Upcoming charges show that
//! last invoice, or none when nothing is pending.

use chrono::Utc;
use entity::subscription::{self, SubscriptionStatus};
use ids::SubscriptionId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{SubscriptionError, SubscriptionsService};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult};
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
        let touched = subscription::Entity::update_many()
            .col_expr(
                subscription::Column::NextInvoiceDate,
                Expr::col(subscription::Column::NextInvoiceDate),
            )
            .filter(subscription::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if touched.rows_affected == 0 {
            return Err(SubscriptionError::NotFound.into());
        }
        let row = subscription::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(SubscriptionError::NotFound)?;
        if row.status != SubscriptionStatus::Active || row.cancel_at.is_some() {
            return Err(ServiceError::Conflict {
                message: "only an active subscription without a scheduled cancellation can be \
                          cancelled"
                    .into(),
            });
        }
        let cancel_at = row.current_period_end;
        subscription::Entity::update_many()
            .col_expr(subscription::Column::CancelAt, Expr::value(cancel_at))
            .filter(subscription::Column::Id.eq(id))
            .exec(&txn)
            .await?;
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
}
