//! Staff set the PO number and invoice notes a subscription's invoices carry (on top of the
//! customer's, by [`crate::services::invoices::finalise::invoice_details`]). They apply to
//! every invoice finalised from now on, and upcoming charges show them at once; invoices
//! already finalised keep what they carry.

use entity::subscription;
use ids::SubscriptionId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{SubscriptionsService, lock};
use crate::auth::Actor;
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};
use crate::services::charges::input::{parse_notes, parse_po_number};

/// A change of a subscription's invoice details. For each field: `None` leaves it as it is,
/// `Some(None)` (or a blank text) clears it.
#[derive(Clone, Debug, Default)]
pub struct InvoiceDetailsChange {
    /// Purchase order number, at most 100 characters.
    pub po_number: Option<Option<String>>,
    /// Invoice notes, at most 2,000 characters.
    pub invoice_notes: Option<Option<String>>,
}

impl SubscriptionsService {
    /// Applies `change` to a subscription's PO number and invoice notes (operator staff);
    /// returns it. Both fields are checked before anything is written; `NOT_FOUND` for an
    /// unknown subscription.
    pub async fn set_invoice_details(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: SubscriptionId,
        change: InvoiceDetailsChange,
    ) -> ServiceResult<subscription::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let po_number = change
            .po_number
            .map(|p| parse_po_number("input.poNumber", p.as_deref()))
            .transpose()?;
        let invoice_notes = change
            .invoice_notes
            .map(|n| parse_notes("input.invoiceNotes", n.as_deref()))
            .transpose()?;
        let txn = self.db.begin_tenant_write().await?;
        // Lock the row: a billing run claiming it waits, then bills with the new details.
        let before = lock(&txn, id).await?;
        let after = subscription::Model {
            po_number: po_number.unwrap_or_else(|| before.po_number.clone()),
            invoice_notes: invoice_notes.unwrap_or_else(|| before.invoice_notes.clone()),
            ..before.clone()
        };
        subscription::Entity::update_many()
            .col_expr(
                subscription::Column::PoNumber,
                Expr::value(after.po_number.clone()),
            )
            .col_expr(
                subscription::Column::InvoiceNotes,
                Expr::value(after.invoice_notes.clone()),
            )
            .filter(subscription::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        let details = |s: &subscription::Model| json!({ "po_number": s.po_number, "invoice_notes": s.invoice_notes });
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(before.customer_id),
                action: "subscription.invoice_details",
                subject_type: "subscription",
                subject_id: id.to_string(),
                before: Some(details(&before)),
                after: Some(details(&after)),
            },
        )
        .await?;
        txn.commit(before.customer_id).await?;
        Ok(after)
    }
}
