//! Tax mutations (operator staff): tax rates, and customers' billing settings.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use super::types::TaxRate;
use crate::graphql::accounts::BillingCycleInput;
use crate::graphql::context::ContextExt;
use crate::graphql::customer::Customer;
use crate::graphql::money::parse_id;
use crate::services::tax::{BillingSettingsChange, NewTaxRate};

/// Input of `createTaxRate`.
#[derive(InputObject)]
pub struct CreateTaxRateInput {
    /// ISO 3166-1 alpha-2 country code (`FR`).
    pub country: String,
    /// Region code within the country (`QC`); omitted: the whole country.
    pub region: Option<String>,
    /// Name on invoices ("VAT FR").
    pub name: String,
    /// Percent from 0 to 100, exact decimal text (`20`, `8.875`).
    pub rate: String,
}

/// Result of `createTaxRate` and `archiveTaxRate`.
#[derive(SimpleObject)]
pub struct TaxRatePayload {
    /// The rate.
    pub tax_rate: TaxRate,
}

/// Input of `archiveTaxRate`.
#[derive(InputObject)]
pub struct ArchiveTaxRateInput {
    /// The rate (`txr_…`).
    pub tax_rate_id: ID,
}

/// Input of `updateCustomerBillingSettings`: a field left out stays as it is; `null` clears
/// an optional one.
#[derive(InputObject)]
pub struct UpdateCustomerBillingSettingsInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// ISO 3166-1 alpha-2 country code; changing it clears the region unless one is given.
    pub country: MaybeUndefined<String>,
    /// Region code within the country.
    pub region: MaybeUndefined<String>,
    /// Tax id (VAT number), at most 40 characters. Named `taxNumber`: an `…Id` is one of our
    /// ids, and this is not.
    pub tax_number: MaybeUndefined<String>,
    /// Whether the organisation pays no tax at all.
    pub tax_exempt: Option<bool>,
    /// Days from an invoice's issue date to its due date, 0 (due on receipt) to 365.
    pub payment_terms_days: Option<i32>,
    /// Purchase order number printed on the organisation's invoices unless the subscription
    /// or an "invoice now" charge has its own; at most 100 characters; null or blank clears it.
    pub po_number: MaybeUndefined<String>,
    /// Notes printed on every invoice of the organisation, before the subscription's and the
    /// charge's; at most 2,000 characters; null or blank clears them.
    pub invoice_notes: MaybeUndefined<String>,
    /// The interval the organisation's new subscriptions bill at unless another is chosen;
    /// existing subscriptions keep theirs.
    pub billing_cycle: Option<BillingCycleInput>,
}

/// Result of `updateCustomerBillingSettings`.
#[derive(SimpleObject)]
pub struct UpdateCustomerBillingSettingsPayload {
    /// The organisation with its new settings.
    pub customer: Customer,
}

/// `Some(None)` for null, `Some(Some(v))` for a value, `None` when left out.
fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// Tax mutations.
#[derive(Default)]
pub struct TaxMutation;

#[Object]
impl TaxMutation {
    /// Creates a tax rate; `CONFLICT` while another active rate covers the same country and
    /// region (operator staff).
    async fn create_tax_rate(
        &self,
        ctx: &Context<'_>,
        input: CreateTaxRateInput,
    ) -> Result<TaxRatePayload> {
        let row = ctx
            .services()
            .tax_rates
            .create(
                ctx.actor(),
                ctx.request_id(),
                NewTaxRate {
                    country: input.country,
                    region: input.region,
                    name: input.name,
                    rate: input.rate,
                },
            )
            .await?;
        Ok(TaxRatePayload {
            tax_rate: TaxRate(row),
        })
    }

    /// Archives a tax rate: it stops applying to the customers of its country or region
    /// (operator staff).
    async fn archive_tax_rate(
        &self,
        ctx: &Context<'_>,
        input: ArchiveTaxRateInput,
    ) -> Result<TaxRatePayload> {
        let id = parse_id(&input.tax_rate_id, "input.taxRateId")?;
        let row = ctx
            .services()
            .tax_rates
            .archive(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(TaxRatePayload {
            tax_rate: TaxRate(row),
        })
    }

    /// Updates an organisation's billing settings: country and region (which pick its tax
    /// rate), tax id, tax exemption, payment terms, PO number, invoice notes and billing cycle
    /// (operator staff).
    async fn update_customer_billing_settings(
        &self,
        ctx: &Context<'_>,
        input: UpdateCustomerBillingSettingsInput,
    ) -> Result<UpdateCustomerBillingSettingsPayload> {
        let id = parse_id(&input.customer_id, "input.customerId")?;
        let billing_cycle = input
            .billing_cycle
            .as_ref()
            .map(|cycle| cycle.parse("input.billingCycle"))
            .transpose()?;
        let row = ctx
            .services()
            .billing_settings
            .update(
                ctx.actor(),
                ctx.request_id(),
                id,
                BillingSettingsChange {
                    country: change(input.country),
                    region: change(input.region),
                    tax_id: change(input.tax_number),
                    tax_exempt: input.tax_exempt,
                    payment_terms_days: input.payment_terms_days,
                    po_number: change(input.po_number),
                    invoice_notes: change(input.invoice_notes),
                    billing_cycle,
                },
            )
            .await?;
        Ok(UpdateCustomerBillingSettingsPayload {
            customer: Customer::from_row(row),
        })
    }
}
