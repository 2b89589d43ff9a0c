//! Each subscription's last invoice date (ChargeOver's billing package shows it beside the
//! next one), many at once: a customer's subscriptions tab asks for all of its rows in one
//! query. No actor is checked here: the caller passes only subscriptions the actor was
//! already allowed to read (the GraphQL loader behind `Subscription.lastInvoiceDate`).

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::invoice::{self, InvoiceStatus};
use ids::SubscriptionId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::SubscriptionsService;
use crate::error::ServiceResult;

impl SubscriptionsService {
    /// The issue day of the latest invoice (drafts aside; a voided one counts, as it was
    /// issued) of each of `subscriptions`; one never invoiced is left out.
    pub(crate) async fn last_invoice_dates_of_readable(
        &self,
        subscriptions: &[SubscriptionId],
    ) -> ServiceResult<HashMap<SubscriptionId, NaiveDate>> {
        let rows: Vec<(Option<SubscriptionId>, Option<NaiveDate>)> = invoice::Entity::find()
            .select_only()
            .column(invoice::Column::SubscriptionId)
            .column_as(invoice::Column::IssueDate.max(), "last")
            .filter(invoice::Column::SubscriptionId.is_in(subscriptions.iter().copied()))
            .filter(invoice::Column::Status.ne(InvoiceStatus::Draft))
            .group_by(invoice::Column::SubscriptionId)
            .into_tuple()
            .all(self.db.reads())
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(subscription, last)| Some((subscription?, last?)))
            .collect())
    }
}
