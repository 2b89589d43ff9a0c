//! The operator's rule that customers add no licenses while an invoice is overdue (open past its
//! due date): the refusal says which invoice and how much, so the customer knows what to pay.

use chrono::NaiveDate;
use entity::customer;
use entity::invoice::{self, InvoiceStatus};
use entity::invoice_collection;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};

use crate::error::{ServiceError, ServiceResult};
use crate::services::catalog;
use crate::services::invoices::owed::{owed_minor, still_owed};

/// `OVERDUE_INVOICES` when `customer` has an open invoice still owed that is due before `today`
/// (its local date) or past due (automatic collection exhausted its retries).
pub(super) async fn refuse_if_overdue<C: ConnectionTrait>(
    db: &C,
    customer: &customer::Model,
    today: NaiveDate,
) -> ServiceResult<()> {
    let overdue = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(customer.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Open))
        .filter(still_owed())
        // Overdue: past its due date, or past due because automatic collection gave up
        // (every retry failed) even if the due date is still ahead.
        .filter(
            Condition::any()
                .add(invoice::Column::DueDate.lt(today))
                .add(
                    invoice::Column::Id.in_subquery(
                        invoice_collection::Entity::find()
                            .select_only()
                            .column(invoice_collection::Column::InvoiceId)
                            .filter(
                                invoice_collection::Column::State
                                    .eq(invoice_collection::CollectionState::Exhausted),
                            )
                            .into_query(),
                    ),
                ),
        )
        .order_by_asc(invoice::Column::DueDate)
        .all(db)
        .await?;
    let Some(oldest) = overdue.first() else {
        return Ok(());
    };
    let currency = catalog::rows::currency(&oldest.currency)?;
    let amount = billing::Money::from_minor(owed_minor(oldest)?, currency);
    let number = oldest.number.as_deref().unwrap_or("a draft");
    let others = match overdue.len() - 1 {
        0 => String::new(),
        1 => " and 1 other invoice".to_owned(),
        n => format!(" and {n} other invoices"),
    };
    Err(ServiceError::OverdueInvoices {
        message: format!(
            "licenses cannot be added while invoice {number} ({amount}, due {}){others} is \
             unpaid: pay it first, or ask us",
            oldest.due_date.format("%-d %B %Y")
        ),
    })
}
