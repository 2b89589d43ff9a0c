//! Staff's receivables: every open invoice that still asks for money, whichever customer and
//! whether or not it is collected automatically, the longest due first. The dunning page reads
//! it; an invoice without a card on file (a bank-transfer payer) is owed like any other.

use chrono::NaiveDate;
use entity::{invoice, invoice_collection};
use ids::CustomerId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::history::{InvoicesService, StoredInvoice};
use super::owed::still_owed;
use crate::auth::Actor;
use crate::error::ServiceResult;
use crate::services::page::{Direction, KeyKind, KeyValue, Keyset, Page, PageRequest, fetch_page};

/// Open invoices by due day, oldest first, the id breaking ties.
const RECEIVABLES: Keyset<invoice::Entity> = Keyset {
    list: "receivables",
    columns: &[
        (invoice::Column::DueDate, KeyKind::Day),
        (invoice::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |i| vec![KeyValue::Day(i.due_date), KeyValue::Id(i.id.into())],
};

/// Which open invoices a receivables page lists.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReceivablesFilter {
    /// Only invoices whose due day is before this day (past due on it).
    pub due_before: Option<NaiveDate>,
    /// Only this customer's.
    pub customer: Option<CustomerId>,
    /// Only invoices whose automatic collection failed at least once (the dunning queue).
    pub collection_failed: bool,
}

impl InvoicesService {
    /// One page of the open invoices with something still owed, the earliest due first
    /// (operator staff, support included); four queries whatever the page size.
    pub async fn receivables(
        &self,
        actor: &Actor,
        filter: ReceivablesFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<StoredInvoice>> {
        actor.authenticated()?.require_staff_reader()?;
        let mut select = invoice::Entity::find()
            .filter(invoice::Column::Status.eq(invoice::InvoiceStatus::Open))
            .filter(still_owed());
        if let Some(day) = filter.due_before {
            select = select.filter(invoice::Column::DueDate.lt(day));
        }
        if let Some(customer) = filter.customer {
            select = select.filter(invoice::Column::CustomerId.eq(customer));
        }
        if filter.collection_failed {
            // A collection row exists once an automatic attempt failed (`payments::collect`).
            select = select.filter(
                invoice::Column::Id.in_subquery(
                    invoice_collection::Entity::find()
                        .select_only()
                        .column(invoice_collection::Column::InvoiceId)
                        .into_query(),
                ),
            );
        }
        let page = fetch_page(self.db().reads(), select, &RECEIVABLES, page).await?;
        self.with_lines(page).await
    }
}
