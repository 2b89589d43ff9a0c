//! `unbilled_charges`: amounts waiting for the next invoice (prorations, one-time charges).
//! Amounts are integer minor units.

use sea_orm::entity::prelude::*;

/// A charge waiting for an invoice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unbilled_charges")]
pub struct Model {
    /// UUIDv7, exposed as `chg_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The customer (tenant).
    pub customer_id: Uuid,
    /// The subscription whose next invoice takes the charge.
    pub subscription_id: Uuid,
    /// The item it concerns, if any.
    pub item_id: Option<Uuid>,
    /// The quote that created it, if any.
    pub quote_id: Option<Uuid>,
    /// `proration` or `one_off`.
    pub kind: String,
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
}

/// Unbilled charges have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
