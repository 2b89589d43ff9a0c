//! The tax slice's fields of `Customer`: its billing settings.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject};
use entity::customer;

use crate::graphql::context::ContextExt;
use crate::services::tax::rate_key;

/// The tax a customer pays.
#[derive(SimpleObject)]
pub struct CustomerTaxRate {
    /// Its name ("VAT FR").
    pub name: String,
    /// Percent, exact decimal text.
    pub rate: String,
}

/// The organisation's billing settings.
pub struct CustomerBilling(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerBilling {
    /// ISO 3166-1 alpha-2 country: with the region, it picks the tax rate.
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }
    /// Region code within the country.
    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    /// Tax id (VAT number); named `taxNumber` so that no `…Id` field is anything but one of
    /// our ids.
    async fn tax_number(&self) -> Option<&str> {
        self.0.tax_id.as_deref()
    }
    /// Whether the organisation pays no tax at all.
    async fn tax_exempt(&self) -> bool {
        self.0.tax_exempt
    }
    /// Days from an invoice's issue date to its due date (0: due on receipt).
    async fn payment_terms_days(&self) -> i32 {
        self.0.payment_terms_days
    }
    /// Purchase order number printed on the organisation's invoices, unless the subscription
    /// or an "invoice now" charge has its own.
    async fn po_number(&self) -> Option<&str> {
        self.0.po_number.as_deref()
    }
    /// Notes printed on every invoice of the organisation, before the subscription's and the
    /// charge's.
    async fn invoice_notes(&self) -> Option<&str> {
        self.0.invoice_notes.as_deref()
    }
    /// The tax rate the organisation pays on taxable prices: its region's, else its
    /// country's; null when exempt or when no rate applies.
    async fn tax_rate(&self, ctx: &Context<'_>) -> Result<Option<CustomerTaxRate>> {
        let tax = ctx
            .services()
            .billing_settings
            .tax_of(ctx.actor(), &self.0)
            .await?;
        Ok(tax.map(|t| CustomerTaxRate {
            rate: rate_key(t.rate),
            name: t.name,
        }))
    }
}
