//! GraphQL types of the catalog.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use billing::{Currency, TierSpec, UnitPrice};
use chrono::{DateTime, Utc};
use entity::product::ProductKind as StoredKind;
use entity::{price, product};

use crate::graphql::context::ContextExt;

/// What kind of thing a product is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum ProductKind {
    /// Seats assigned to members, changed with a prorated quote.
    License,
    /// A recurring service with a quantity.
    Service,
    /// Usage rated at the end of the period.
    Metered,
    /// A non-recurring addon.
    OneOff,
    /// A telephone number with a tariff.
    Number,
}

impl From<StoredKind> for ProductKind {
    fn from(kind: StoredKind) -> Self {
        match kind {
            StoredKind::License => ProductKind::License,
            StoredKind::Service => ProductKind::Service,
            StoredKind::Metered => ProductKind::Metered,
            StoredKind::OneOff => ProductKind::OneOff,
            StoredKind::Number => ProductKind::Number,
        }
    }
}

impl From<ProductKind> for StoredKind {
    fn from(kind: ProductKind) -> Self {
        match kind {
            ProductKind::License => StoredKind::License,
            ProductKind::Service => StoredKind::Service,
            ProductKind::Metered => StoredKind::Metered,
            ProductKind::OneOff => StoredKind::OneOff,
            ProductKind::Number => StoredKind::Number,
        }
    }
}

/// Unit of a billing interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum IntervalUnit {
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Calendar months (month ends clamp and return).
    Month,
    /// Quarters (three months).
    Quarter,
    /// Years.
    Year,
}

impl From<IntervalUnit> for billing::IntervalUnit {
    fn from(unit: IntervalUnit) -> Self {
        match unit {
            IntervalUnit::Day => billing::IntervalUnit::Day,
            IntervalUnit::Week => billing::IntervalUnit::Week,
            IntervalUnit::Month => billing::IntervalUnit::Month,
            IntervalUnit::Quarter => billing::IntervalUnit::Quarter,
            IntervalUnit::Year => billing::IntervalUnit::Year,
        }
    }
}

impl From<billing::IntervalUnit> for IntervalUnit {
    fn from(unit: billing::IntervalUnit) -> Self {
        match unit {
            billing::IntervalUnit::Day => IntervalUnit::Day,
            billing::IntervalUnit::Week => IntervalUnit::Week,
            billing::IntervalUnit::Month => IntervalUnit::Month,
            billing::IntervalUnit::Quarter => IntervalUnit::Quarter,
            billing::IntervalUnit::Year => IntervalUnit::Year,
        }
    }
}

impl From<price::IntervalUnit> for IntervalUnit {
    fn from(unit: price::IntervalUnit) -> Self {
        match unit {
            price::IntervalUnit::Day => IntervalUnit::Day,
            price::IntervalUnit::Week => IntervalUnit::Week,
            price::IntervalUnit::Month => IntervalUnit::Month,
            price::IntervalUnit::Quarter => IntervalUnit::Quarter,
            price::IntervalUnit::Year => IntervalUnit::Year,
        }
    }
}

/// How a price turns a quantity into an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum PricingModelKind {
    /// A fixed amount whatever the quantity.
    Flat,
    /// Quantity × unit amount.
    PerUnit,
    /// Each tier's units at that tier's price (plus its flat fee).
    Graduated,
    /// All units at the price of the tier reached.
    Volume,
    /// The flat amount of the tier reached.
    Stairstep,
    /// A price per started package of N units.
    Package,
}

impl From<price::PricingModelKind> for PricingModelKind {
    fn from(kind: price::PricingModelKind) -> Self {
        match kind {
            price::PricingModelKind::Flat => PricingModelKind::Flat,
            price::PricingModelKind::PerUnit => PricingModelKind::PerUnit,
            price::PricingModelKind::Graduated => PricingModelKind::Graduated,
            price::PricingModelKind::Volume => PricingModelKind::Volume,
            price::PricingModelKind::Stairstep => PricingModelKind::Stairstep,
            price::PricingModelKind::Package => PricingModelKind::Package,
        }
    }
}

/// How partial periods of licenses are prorated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum ProrationUnit {
    /// By calendar day in the customer's time zone (default).
    Day,
    /// By second.
    Second,
    /// No proration: the full period is charged.
    None,
}

impl From<price::ProrationUnit> for ProrationUnit {
    fn from(unit: price::ProrationUnit) -> Self {
        match unit {
            price::ProrationUnit::Day => ProrationUnit::Day,
            price::ProrationUnit::Second => ProrationUnit::Second,
            price::ProrationUnit::None => ProrationUnit::None,
        }
    }
}

/// When added licenses are charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum AdditionCharge {
    /// At once.
    Immediately,
    /// On the next invoice.
    NextInvoice,
}

impl From<price::AdditionsCharged> for AdditionCharge {
    fn from(rule: price::AdditionsCharged) -> Self {
        match rule {
            price::AdditionsCharged::Immediately => AdditionCharge::Immediately,
            price::AdditionsCharged::NextInvoice => AdditionCharge::NextInvoice,
        }
    }
}

/// A product of the catalog.
pub struct Product(pub product::Model);

#[Object]
impl Product {
    /// Opaque id (`prod_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Name on invoices ("ADVANCED").
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Unique short code.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Kind of product.
    async fn kind(&self) -> ProductKind {
        self.0.kind.into()
    }
    /// Longer description.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Whether it is sold to new subscriptions.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// Every price version, newest first.
    async fn prices(&self, ctx: &Context<'_>) -> Result<Vec<Price>> {
        let prices = ctx
            .services()
            .catalog
            .prices(ctx.actor(), self.0.id)
            .await?;
        Ok(prices.into_iter().map(Price).collect())
    }
}

/// One tier of a tier table.
#[derive(SimpleObject, InputObject, Clone, Debug)]
#[graphql(input_name = "TierInput")]
pub struct Tier {
    /// First unit of the tier (the first tier starts at 0 or 1).
    pub from: u32,
    /// Last unit, inclusive; null for the open last tier.
    pub to: Option<u32>,
    /// Price of each unit in the tier, exact decimal text (up to 12 decimals, at most
    /// 10000000).
    pub unit_amount: String,
    /// Amount charged when the tier is entered or reached, exact decimal text (the same
    /// bounds).
    pub flat_fee: String,
}

/// License rules of a price.
#[derive(SimpleObject)]
pub struct LicenseRules {
    /// How partial periods are prorated.
    pub proration_unit: ProrationUnit,
    /// When added licenses are charged.
    pub additions_charged: AdditionCharge,
    /// Whether removing a license credits its unused time.
    pub credit_removals: bool,
    /// Whether licenses are removed one at a time.
    pub remove_one_at_a_time: bool,
    /// Fewest licenses.
    pub min_quantity: i32,
    /// Most licenses, if limited.
    pub max_quantity: Option<i32>,
}

/// One version of a product's price.
pub struct Price(pub price::Model);

#[Object]
impl Price {
    /// Opaque id (`price_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// 1 for the first price of a product, then 2, 3…
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// ISO 4217 currency.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Unit of the billing interval (never null; nullable for older clients).
    async fn interval(&self) -> Option<IntervalUnit> {
        Some(self.0.interval_unit.into())
    }
    /// Interval units per period.
    async fn interval_count(&self) -> i32 {
        self.0.interval_count
    }
    /// Pricing model.
    async fn model(&self) -> Option<PricingModelKind> {
        Some(self.0.model.into())
    }
    /// Unit (per unit), flat (flat) or package (package) amount, exact decimal text.
    async fn unit_amount(&self) -> Option<&str> {
        self.0.unit_amount.as_deref()
    }
    /// `unitAmount` for people, exact and never rounded (`€12.50`, `€0.0123`, `KWD 1.250`);
    /// null for the tiered models.
    async fn unit_amount_formatted(&self) -> Option<String> {
        let amount: UnitPrice = self.0.unit_amount.as_deref()?.parse().ok()?;
        let currency = Currency::from_code(&self.0.currency).ok()?;
        Some(amount.display(currency))
    }
    /// Units per package (package model).
    async fn package_size(&self) -> Option<String> {
        self.0.package_size.map(|n| n.to_string())
    }
    /// The tier table (graduated, volume, stairstep).
    async fn tiers(&self) -> Vec<Tier> {
        let tiers: Vec<TierSpec> = self
            .0
            .tiers
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default();
        tiers
            .into_iter()
            .map(|t| Tier {
                from: u32::try_from(t.from).unwrap_or(u32::MAX),
                to: t.to.map(|to| u32::try_from(to).unwrap_or(u32::MAX)),
                unit_amount: t.unit_price.to_string(),
                flat_fee: t.flat_fee.to_string(),
            })
            .collect()
    }
    /// Whether tax applies.
    async fn taxable(&self) -> bool {
        self.0.taxable
    }
    /// License rules (meaningful for license products).
    async fn license(&self) -> LicenseRules {
        LicenseRules {
            proration_unit: self.0.proration_unit.into(),
            additions_charged: self.0.additions_charged.into(),
            credit_removals: self.0.credit_removals,
            remove_one_at_a_time: self.0.remove_one_at_a_time,
            min_quantity: self.0.min_quantity,
            max_quantity: self.0.max_quantity,
        }
    }
    /// Whether this is the version sold to new subscriptions.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When the version was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// How many items of subscriptions that are not cancelled bill this version: what
    /// `moveSubscriptionsToPrice` would move from it (operator staff; `FORBIDDEN` for others).
    async fn subscription_item_count(&self, ctx: &Context<'_>) -> Result<u64> {
        Ok(ctx
            .services()
            .catalog
            .items_on(ctx.actor(), self.0.id)
            .await?)
    }
}
