//! Staff settle a finalised invoice by hand: paid (a bank transfer arrived), void (issued in
//! error; it keeps its number), or uncollectible (given up on). Only an open invoice moves, and
//! each move writes an audit entry with the status before and after.

use entity::invoice::{self, InvoiceStatus};
use ids::InvoiceId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{InvoiceError, InvoicesService, StoredInvoice};
use crate::auth::Actor;
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};
use crate::services::payments::attempts::refuse_if_in_flight;

/// What staff do to an open invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// Paid outside the processor (bank transfer, cheque).
    Paid,
    /// Cancelled: issued in error. It keeps its number; a credit note corrects a paid one.
    Void,
    /// Given up on.
    Uncollectible,
}

impl Settlement {
    fn status(self) -> InvoiceStatus {
        match self {
            Settlement::Paid => InvoiceStatus::Paid,
            Settlement::Void => InvoiceStatus::Void,
            Settlement::Uncollectible => InvoiceStatus::Uncollectible,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Settlement::Paid => "invoice.paid",
            Settlement::Void => "invoice.void",
            Settlement::Uncollectible => "invoice.uncollectible",
        }
    }
}

impl InvoicesService {
    /// Moves an open invoice to the settlement's status (operator staff). `NOT_FOUND` for an
    /// unknown invoice; `CONFLICT` when it is not open any more (settled, or settled by someone
    /// else a moment ago), or (`PAYMENT_IN_FLIGHT`) while a payment attempt of it is
    /// unfinished.
    pub async fn settle(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: InvoiceId,
        settlement: Settlement,
    ) -> ServiceResult<StoredInvoice> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        // The invoice's status is not part of any cached tenant state.
        let txn = self.db().begin_plain_write().await?;
        let mut update = invoice::Entity::update_many()
            .col_expr(invoice::Column::Status, Expr::value(settlement.status()));
        if settlement == Settlement::Paid {
            // What was still owed arrived outside the processor: the invoice reads as paid in
            // full (`amountPaid`), without a payment row (staff record one with
            // `recordOfflinePayment` when they want its method and reference kept).
            update = update.col_expr(
                invoice::Column::AmountPaidMinor,
                Expr::col(invoice::Column::AmountDueMinor),
            );
        }
        let moved = update
            .filter(invoice::Column::Id.eq(id))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Open))
            .exec(&txn)
            .await?;
        let row = invoice::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(InvoiceError::NotFound)?;
        if moved.rows_affected != 1 {
            return Err(InvoiceError::NotOpen(row.status).into());
        }
        // The update holds the invoice's row lock: a payment attempt started meanwhile queues
        // behind it. One already unfinished would collect the invoice after this settles it.
        refuse_if_in_flight(&txn, id).await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: settlement.action(),
                subject_type: "invoice",
                subject_id: id.to_string(),
                before: Some(json!({ "status": "open" })),
                after: Some(json!({ "status": sea_orm::ActiveEnum::to_value(&row.status) })),
            },
        )
        .await?;
        txn.commit().await?;
        self.get(actor, row.customer_id, id).await
    }
}
