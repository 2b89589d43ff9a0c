//! GraphQL types of tax: rates, and an invoice's tax by rate.

use std::collections::BTreeMap;

use async_graphql::{ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::tax_rate;

use crate::error::ServiceError;
use crate::graphql::money::Money;
use crate::services::tax;

/// A tax rate for a country, or a region of it.
pub struct TaxRate(pub tax_rate::Model);

#[Object]
impl TaxRate {
    /// Opaque id (`txr_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// ISO 3166-1 alpha-2 country code.
    async fn country(&self) -> &str {
        &self.0.country
    }
    /// Region code within the country; null: the whole country (regions without a rate of
    /// their own).
    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    /// Name on invoices ("VAT FR").
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Percent, exact decimal text.
    async fn rate(&self) -> &str {
        &self.0.rate
    }
    /// Whether it applies (archived rates do not).
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The tax of one rate on an invoice.
#[derive(SimpleObject)]
pub struct TaxAmount {
    /// Percent, exact decimal text.
    pub rate: String,
    /// The rate's name ("VAT FR"); "Tax 20%" for a rate the customer no longer has (a
    /// license change quoted under an earlier rate).
    pub name: String,
    /// Net amount taxed at this rate (discounts deducted).
    pub taxable: Money,
    /// Tax at this rate.
    pub amount: Money,
}

/// An invoice's tax by rate, lowest rate first, named from `names` (rate key -> name).
pub fn taxes(
    currency: billing::Currency,
    lines: &[billing::InvoiceLine],
    names: &BTreeMap<String, String>,
) -> Result<Vec<TaxAmount>> {
    let by_rate = billing::taxes_by_rate(currency, lines)
        .map_err(|e| ServiceError::internal(format!("tax by rate: {e}")))?;
    Ok(by_rate
        .into_iter()
        .map(|t| TaxAmount {
            rate: tax::rate_key(t.rate),
            name: tax::name_of(names, t.rate),
            taxable: Money(t.taxable),
            amount: Money(t.tax),
        })
        .collect())
}
