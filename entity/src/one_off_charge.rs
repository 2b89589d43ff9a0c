//! `one_off_charges`: one-time charges (an amount) and non-recurring addons (a `one_off`
//! product), either invoiced at once or waiting for the next invoice of a subscription.
//! Quantities and unit prices are exact decimal text (up to 12 decimals).

use ids::{ChargeId, CustomerId, InvoiceId, ProductId, SubscriptionId};
use sea_orm::entity::prelude::*;

/// A one-time charge or addon.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "one_off_charges")]
pub struct Model {
    /// UUIDv7, exposed as `chg_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: ChargeId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// While unbilled, the subscription whose next invoice takes it (always set then); for a
    /// charge invoiced at once, the subscription it was made on, if any.
    pub subscription_id: Option<SubscriptionId>,
    /// The addon product; `None` for a quick charge of an amount.
    pub product_id: Option<ProductId>,
    /// Line text.
    pub description: String,
    /// Units, exact decimal text (may be fractional).
    pub quantity: String,
    /// Price of one unit in `currency`, exact decimal text (≤ 12 decimals).
    pub unit_amount: String,
    /// ISO 4217 currency: the customer's.
    pub currency: String,
    /// Whether the customer's tax rate applies.
    pub taxable: bool,
    /// First day of the service period, if any.
    pub period_start: Option<Date>,
    /// First day after the service period, if any.
    pub period_end: Option<Date>,
    /// When the charge was recorded.
    pub created_at: DateTimeUtc,
    /// When an invoice took it, if one did.
    pub invoiced_at: Option<DateTimeUtc>,
    /// The invoice that took it, if one did.
    pub invoice_id: Option<InvoiceId>,
}

/// One-off charges have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
