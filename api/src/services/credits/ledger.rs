//! The one way a credit balance changes: a guarded update of the customer's balance and a ledger
//! entry beside it, in the caller's transaction.
//!
//! The update adds `delta` only where the result stays at or above zero, so two transactions
//! using the same credit at once cannot both succeed: on PostgreSQL the second waits for the
//! first's row lock and then re-evaluates the guard; on SQLite writers are serialised anyway.

use billing::Money;
use chrono::{DateTime, Utc};
use entity::credit_entry::{self, CreditEntryKind};
use entity::customer;
use ids::{CreditEntryId, CreditNoteId, CustomerId, InvoiceId, QuoteId, UserId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::CreditError;
use crate::error::{ServiceError, ServiceResult};

/// One change of a balance.
#[derive(Clone, Debug)]
pub struct BalanceChange {
    /// The customer.
    pub customer: CustomerId,
    /// Signed change in the customer's currency (`Money` carries it).
    pub delta: Money,
    /// Why.
    pub kind: CreditEntryKind,
    /// Text for the ledger.
    pub description: String,
    /// The invoice it was applied to.
    pub invoice: Option<InvoiceId>,
    /// The credit note that gave it.
    pub credit_note: Option<CreditNoteId>,
    /// The license quote that gave it.
    pub quote: Option<QuoteId>,
    /// Who; `None` for the billing run.
    pub by: Option<UserId>,
    /// The field a refusal names (`Insufficient`).
    pub field: &'static str,
}

/// Applies `change` in `txn` and returns the ledger entry, or refuses with `Insufficient` when
/// the balance would go below zero (nothing written). The caller commits with the tenant's
/// revision bump, since upcoming charges read the balance.
pub(crate) async fn change_balance<C: ConnectionTrait>(
    txn: &C,
    change: BalanceChange,
    now: DateTime<Utc>,
) -> ServiceResult<credit_entry::Model> {
    let delta = change
        .delta
        .to_minor()
        .map_err(|e| ServiceError::internal(format!("credit amount: {e}")))?;
    let updated = customer::Entity::update_many()
        .col_expr(
            customer::Column::CreditBalanceMinor,
            Expr::col(customer::Column::CreditBalanceMinor).add(delta),
        )
        .filter(customer::Column::Id.eq(change.customer))
        .filter(
            Expr::col(customer::Column::CreditBalanceMinor)
                .add(delta)
                .gte(0),
        )
        .exec(txn)
        .await?;
    let balance: Option<i64> = customer::Entity::find_by_id(change.customer)
        .select_only()
        .column(customer::Column::CreditBalanceMinor)
        .into_tuple()
        .one(txn)
        .await?;
    let balance = balance.ok_or(CreditError::CustomerNotFound)?;
    if updated.rows_affected != 1 {
        return Err(CreditError::Insufficient {
            field: change.field,
            balance: Money::from_minor(balance, change.delta.currency()).to_string(),
        }
        .into());
    }
    let entry = credit_entry::Model {
        id: CreditEntryId::new(),
        customer_id: change.customer,
        kind: change.kind,
        amount_minor: delta,
        balance_after_minor: balance,
        currency: change.delta.currency().code().to_owned(),
        description: change.description,
        invoice_id: change.invoice,
        credit_note_id: change.credit_note,
        quote_id: change.quote,
        created_by: change.by,
        created_at: now,
    };
    credit_entry::Entity::insert(credit_entry::ActiveModel::from(entry.clone()))
        .exec_without_returning(txn)
        .await?;
    Ok(entry)
}

/// Records credit a new invoice used (its `credits_applied`), if any.
pub(crate) async fn apply_to_invoice<C: ConnectionTrait>(
    txn: &C,
    customer: CustomerId,
    invoice: InvoiceId,
    number: &str,
    credits_applied: Money,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    if credits_applied.is_zero() {
        return Ok(());
    }
    change_balance(
        txn,
        BalanceChange {
            customer,
            delta: -credits_applied,
            kind: CreditEntryKind::Invoice,
            description: format!("Applied to invoice {number}"),
            invoice: Some(invoice),
            credit_note: None,
            quote: None,
            by: None,
            field: "creditBalance",
        },
        now,
    )
    .await
    // The invoice was built from the balance read in this transaction: a shortfall here means
    // the balance changed under the run, which the row lock rules out.
    .map_err(|e| match e {
        ServiceError::BadInput { message, .. } => {
            ServiceError::internal(format!("credit applied beyond the balance: {message}"))
        }
        other => other,
    })?;
    Ok(())
}
