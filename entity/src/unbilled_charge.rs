//! `unbilled_charges`: amounts waiting for the next invoice (prorations, one-time charges).
//! Amounts are integer minor units.

use ids::{ChargeId, CustomerId, InvoiceId, QuoteId, SubscriptionId, SubscriptionItemId};
use sea_orm::entity::prelude::*;

/// What an unbilled charge is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ChargeKind {
    /// Seats added in a period, prorated to its end.
    #[sea_orm(string_value = "proration")]
    Proration,
    /// A one-time charge.
    #[sea_orm(string_value = "one_off")]
    OneOff,
}

/// A charge waiting for an invoice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unbilled_charges")]
pub struct Model {
    /// UUIDv7, exposed as `chg_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: ChargeId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// The subscription whose next invoice takes the charge.
    pub subscription_id: SubscriptionId,
    /// The item it concerns, if any.
    pub item_id: Option<SubscriptionItemId>,
    /// The quote that created it, if any.
    pub quote_id: Option<QuoteId>,
    /// What the charge is.
    pub kind: ChargeKind,
    /// Product name shown on the line.
    pub product_name: String,
    /// Units charged.
    pub quantity: i64,
    /// Amount per unit, minor units.
    pub unit_amount_minor: i64,
    /// Days the amount covers (prorations).
    pub days: Option<i32>,
    /// ISO 4217 currency.
    pub currency: String,
    /// Tax rate applied, percent as exact decimal text, if taxable.
    pub tax_rate: Option<String>,
    /// First day of the service period.
    pub period_start: Date,
    /// First day after the service period.
    pub period_end: Date,
    /// When the charge was recorded.
    pub created_at: DateTimeUtc,
    /// When an invoice took it, if one did.
    pub invoiced_at: Option<DateTimeUtc>,
    /// The invoice that took it, if one did.
    pub invoice_id: Option<InvoiceId>,
    /// Whether a proration's units are license seats (its line reads "2 ADVANCED licenses at
    /// …") or another item's ("2 × Support at …").
    pub licenses: bool,
}

/// Unbilled charges have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
