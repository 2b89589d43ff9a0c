//! What an invoice is still owed: its amount due (total less credits applied and credit notes
//! taken off it) less what payments settled of it. One definition for every rule that asks:
//! the portal's "amount remaining", collection, dunning, the overdue and unpaid-invoice rules,
//! credit notes, and whether the default payment method may be removed.

use entity::invoice;
use sea_orm::sea_query::{Expr, ExprTrait};

use crate::error::{ServiceError, ServiceResult};
use crate::services::catalog;

/// What `row` still asks for, in minor units (never below zero), whatever its status: callers
/// that care whether it can still be paid check the status themselves.
pub fn owed_minor(row: &invoice::Model) -> ServiceResult<i64> {
    let currency = catalog::rows::currency(&row.currency)?;
    billing::due_after_payment(
        billing::Money::from_minor(row.amount_due_minor, currency),
        billing::Money::from_minor(row.amount_paid_minor, currency),
    )
    .and_then(|m| m.to_minor())
    .map_err(|e| ServiceError::internal(format!("amount owed on {}: {e}", row.id)))
}

/// The filter "something is still owed" on `invoices`: [`owed_minor`] `> 0`, in the database.
pub fn still_owed() -> Expr {
    Expr::col(invoice::Column::AmountDueMinor).gt(Expr::col(invoice::Column::AmountPaidMinor))
}
