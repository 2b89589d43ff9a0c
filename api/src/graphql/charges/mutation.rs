//! Charges mutations (operator staff).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::types::{Charge, ChargeTiming, ChargesInput};
use crate::graphql::context::ContextExt;
use crate::graphql::invoices::Invoice;
use crate::graphql::money::parse_id;
use crate::services::charges::CreateCharges;

/// Input of `createCharges`.
#[derive(InputObject)]
pub struct CreateChargesInput {
    /// The customer, subscription, charges, PO number and notes.
    #[graphql(flatten)]
    pub details: ChargesInput,
    /// Invoice now, or add to the unbilled charges of the next invoice.
    pub timing: ChargeTiming,
    /// Charge even though the customer has unpaid invoices; without it such a request
    /// answers `UNPAID_INVOICES` with their count and amount due.
    #[graphql(default)]
    pub confirm_unpaid_invoices: bool,
    /// A key of your choice, the same on retries: the charges are created once, and the same
    /// key with another input answers `CONFLICT`.
    pub idempotency_key: Option<String>,
}

/// Result of `createCharges`.
#[derive(SimpleObject)]
pub struct CreateChargesPayload {
    /// The invoice finalised, for `INVOICE_NOW`.
    pub invoice: Option<Invoice>,
    /// The charges, in input order.
    pub charges: Vec<Charge>,
    /// For `ADD_TO_UNBILLED`, the subscription whose next invoice takes them (`sub_…`).
    pub subscription_id: Option<ID>,
}

/// Input of `deleteUnbilledCharge`.
#[derive(InputObject)]
pub struct DeleteUnbilledChargeInput {
    /// The charge (`chg_…`), not yet invoiced.
    pub charge_id: ID,
}

/// Result of `deleteUnbilledCharge`.
#[derive(SimpleObject)]
pub struct DeleteUnbilledChargePayload {
    /// The charge as it was.
    pub charge: Charge,
}

/// Charges mutations.
#[derive(Default)]
pub struct ChargesMutation;

#[Object]
impl ChargesMutation {
    /// Charges a customer or one of its subscriptions one-time amounts and addons (operator
    /// staff): invoiced now (one invoice, numbered, `OPEN`), or left for the next invoice.
    /// `UNPAID_INVOICES` while the customer has open invoices, unless confirmed.
    async fn create_charges(
        &self,
        ctx: &Context<'_>,
        input: CreateChargesInput,
    ) -> Result<CreateChargesPayload> {
        let request = CreateCharges {
            entry: input.details.entry()?,
            timing: input.timing.into(),
            confirm_unpaid_invoices: input.confirm_unpaid_invoices,
            idempotency_key: input.idempotency_key,
        };
        let services = ctx.services();
        let created = services
            .charges
            .create(
                ctx.actor(),
                ctx.request_id(),
                &request,
                services.clock.now(),
            )
            .await?;
        let invoice = match created.invoice {
            Some(id) => Some(Invoice(
                services
                    .invoices
                    .get(ctx.actor(), created.customer, id)
                    .await?,
            )),
            None => None,
        };
        let charges = services
            .charges
            .charges(ctx.actor(), created.customer, &created.charges)
            .await?;
        Ok(CreateChargesPayload {
            invoice,
            charges: charges.into_iter().map(Charge).collect(),
            subscription_id: created.subscription.map(ID::from),
        })
    }

    /// Deletes a charge that no invoice has taken yet (operator staff). `CONFLICT` once
    /// invoiced.
    async fn delete_unbilled_charge(
        &self,
        ctx: &Context<'_>,
        input: DeleteUnbilledChargeInput,
    ) -> Result<DeleteUnbilledChargePayload> {
        let id = parse_id(&input.charge_id, "input.chargeId")?;
        let charge = ctx
            .services()
            .charges
            .delete_unbilled(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(DeleteUnbilledChargePayload {
            charge: Charge(charge),
        })
    }
}
