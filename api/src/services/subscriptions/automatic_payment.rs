//! Staff turn a subscription's automatic payment on or off (ChargeOver's billing package:
//! "automatic payment"). Automatic collection reads the switch when it claims an invoice (the
//! invoice's `collection_subscription_id`: period invoices, license changes billed at once,
//! the last invoice of a cancellation, charges invoiced on the subscription), so it applies
//! to the subscription's open invoices as well as to later ones: turned off, none of them is
//! charged off session or retried (the customer pays by transfer or in the portal, staff
//! record the payment or press "Retry now"; a payment already under way is not stopped);
//! turned back on, collection charges each when its next attempt is due.

use std::collections::HashMap;

use entity::subscription;
use ids::SubscriptionId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;

use super::{SubscriptionsService, lock};
use crate::auth::Actor;
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};

impl SubscriptionsService {
    /// Sets whether automatic collection charges the subscription's invoices (operator staff,
    /// not support); returns it. Setting the value it already has writes nothing. `NOT_FOUND`
    /// for an unknown subscription; any status is accepted, since a cancelled subscription
    /// may still have invoices to collect.
    pub async fn set_automatic_payment(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: SubscriptionId,
        enabled: bool,
    ) -> ServiceResult<subscription::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        // Under the row's lock, like the other changes of a subscription.
        let before = lock(&txn, id).await?;
        if before.automatic_payment == enabled {
            // Nothing to write: dropping the transaction rolls the no-op lock back.
            return Ok(before);
        }
        subscription::Entity::update_many()
            .col_expr(subscription::Column::AutomaticPayment, Expr::value(enabled))
            .filter(subscription::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(before.customer_id),
                action: "subscription.automatic_payment",
                subject_type: "subscription",
                subject_id: id.to_string(),
                before: Some(json!({ "automatic_payment": before.automatic_payment })),
                after: Some(json!({ "automatic_payment": enabled })),
            },
        )
        .await?;
        txn.commit(before.customer_id).await?;
        Ok(subscription::Model {
            automatic_payment: enabled,
            ..before
        })
    }

    /// The automatic payment switch of each of `subscriptions` (one query). No actor is
    /// checked: the caller passes only subscriptions of rows the actor was already allowed to
    /// read (the GraphQL loader behind `Invoice.automaticPayment`).
    pub(crate) async fn automatic_payment_of_readable(
        &self,
        subscriptions: &[SubscriptionId],
    ) -> ServiceResult<HashMap<SubscriptionId, bool>> {
        let rows: Vec<(SubscriptionId, bool)> = subscription::Entity::find()
            .select_only()
            .column(subscription::Column::Id)
            .column(subscription::Column::AutomaticPayment)
            .filter(subscription::Column::Id.is_in(subscriptions.iter().copied()))
            .into_tuple()
            .all(self.db.reads())
            .await?;
        Ok(rows.into_iter().collect())
    }
}
