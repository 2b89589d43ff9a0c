//! The operator's rule that customers add no licenses while an invoice is overdue (open past its
//! due date): the refusal says which invoice and how much, so the customer knows what to pay.

use chrono::NaiveDate;
use entity::customer;
use entity::invoice::{self, InvoiceStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::{ServiceError, ServiceResult};
use crate::services::catalog;

/// `OVERDUE_INVOICES` when `customer` has an open invoice due before `today` (its local date).
pub(super) async fn refuse_if_overdue<C: ConnectionTrait>(
    db: &C,
    customer: &customer::Model,
    today: NaiveDate,
) -> ServiceResult<()> {
    let overdue = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(customer.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Open))
        .filter(invoice::Column::DueDate.lt(today))
        .order_by_asc(invoice::Column::DueDate)
        .all(db)
        .await?;
    let Some(oldest) = overdue.first() else {
        return Ok(());
    };
    let currency = catalog::rows::currency(&oldest.currency)?;
    let amount = billing::Money::from_minor(oldest.amount_due_minor, currency);
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
