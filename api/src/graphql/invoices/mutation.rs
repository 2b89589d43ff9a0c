//! Staff settle finalised invoices by hand.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::types::Invoice;
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::invoices::Settlement;

/// Input of the invoice settlements.
#[derive(InputObject)]
pub struct SettleInvoiceInput {
    /// The invoice (`inv_…`).
    pub invoice_id: ID,
}

/// Result of an invoice settlement.
#[derive(SimpleObject)]
pub struct SettleInvoicePayload {
    /// The invoice in its new status.
    pub invoice: Invoice,
}

/// Invoice mutations (operator staff).
#[derive(Default)]
pub struct InvoicesMutation;

impl InvoicesMutation {
    async fn settle(
        ctx: &Context<'_>,
        input: SettleInvoiceInput,
        settlement: Settlement,
    ) -> Result<SettleInvoicePayload> {
        let id = parse_id(&input.invoice_id, "input.invoiceId")?;
        let invoice = ctx
            .services()
            .invoices
            .settle(ctx.actor(), ctx.request_id(), id, settlement)
            .await?;
        Ok(SettleInvoicePayload {
            invoice: Invoice(invoice),
        })
    }
}

#[Object]
impl InvoicesMutation {
    /// Records that an open invoice was paid outside the card processor (bank transfer,
    /// cheque) (operator staff). `CONFLICT` when it is not open.
    async fn mark_invoice_paid(
        &self,
        ctx: &Context<'_>,
        input: SettleInvoiceInput,
    ) -> Result<SettleInvoicePayload> {
        Self::settle(ctx, input, Settlement::Paid).await
    }

    /// Voids an open invoice issued in error; it keeps its number (operator staff).
    /// `CONFLICT` when it is not open.
    async fn void_invoice(
        &self,
        ctx: &Context<'_>,
        input: SettleInvoiceInput,
    ) -> Result<SettleInvoicePayload> {
        Self::settle(ctx, input, Settlement::Void).await
    }

    /// Marks an open invoice as uncollectible (operator staff). `CONFLICT` when it is not open.
    async fn mark_invoice_uncollectible(
        &self,
        ctx: &Context<'_>,
        input: SettleInvoiceInput,
    ) -> Result<SettleInvoicePayload> {
        Self::settle(ctx, input, Settlement::Uncollectible).await
    }
}
