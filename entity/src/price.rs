//! `prices`: versioned prices of a product. A change makes a new version; subscriptions keep
//! the version they were sold until moved. Exact amounts are stored as decimal text.

use ids::{PriceId, ProductId};
use sea_orm::entity::prelude::*;

/// Unit of a billing interval (prices and subscriptions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum IntervalUnit {
    /// Days.
    #[sea_orm(string_value = "day")]
    Day,
    /// Weeks.
    #[sea_orm(string_value = "week")]
    Week,
    /// Calendar months (day 29–31 clamps in short months).
    #[sea_orm(string_value = "month")]
    Month,
    /// Three calendar months.
    #[sea_orm(string_value = "quarter")]
    Quarter,
    /// Calendar years.
    #[sea_orm(string_value = "year")]
    Year,
}

/// How a price turns a quantity into an amount; the amounts and tiers are in other columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PricingModelKind {
    /// One amount whatever the quantity.
    #[sea_orm(string_value = "flat")]
    Flat,
    /// The unit amount times the quantity.
    #[sea_orm(string_value = "per_unit")]
    PerUnit,
    /// Each tier at its own rate.
    #[sea_orm(string_value = "graduated")]
    Graduated,
    /// Every unit at the rate of the tier reached.
    #[sea_orm(string_value = "volume")]
    Volume,
    /// A flat amount per tier reached.
    #[sea_orm(string_value = "stairstep")]
    Stairstep,
    /// A price per started package of `package_size` units.
    #[sea_orm(string_value = "package")]
    Package,
}

/// License rule: how a partial period is prorated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ProrationUnit {
    /// By calendar day in the customer's time zone.
    #[sea_orm(string_value = "day")]
    Day,
    /// By elapsed second.
    #[sea_orm(string_value = "second")]
    Second,
    /// Not at all: a full period is charged.
    #[sea_orm(string_value = "none")]
    None,
}

/// License rule: when added seats are charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AdditionsCharged {
    /// On an invoice issued at once.
    #[sea_orm(string_value = "immediately")]
    Immediately,
    /// On the next regular invoice.
    #[sea_orm(string_value = "next_invoice")]
    NextInvoice,
}

/// One version of a price.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "prices")]
pub struct Model {
    /// UUIDv7, exposed as `price_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: PriceId,
    /// The product priced.
    pub product_id: ProductId,
    /// 1 for the first price of a product, then 2, 3…
    pub version: i32,
    /// ISO 4217 currency.
    pub currency: String,
    /// Unit of the billing interval.
    pub interval_unit: IntervalUnit,
    /// How many interval units make one period.
    pub interval_count: i32,
    /// The pricing model.
    pub model: PricingModelKind,
    /// Exact decimal text of the unit (or flat, or package) amount, up to 12 decimals.
    pub unit_amount: Option<String>,
    /// Units per package (`package` model).
    pub package_size: Option<i64>,
    /// Tier table as JSON text (`graduated`, `volume`, `stairstep`).
    pub tiers: Option<String>,
    /// Whether tax applies to this price.
    pub taxable: bool,
    /// License rule: how partial periods are prorated.
    pub proration_unit: ProrationUnit,
    /// License rule: when added seats are charged.
    pub additions_charged: AdditionsCharged,
    /// License rule: removals credit unused time to the balance.
    pub credit_removals: bool,
    /// License rule: seats are removed one at a time.
    pub remove_one_at_a_time: bool,
    /// License rule: fewest seats.
    pub min_quantity: i32,
    /// License rule: most seats, if limited.
    pub max_quantity: Option<i32>,
    /// Only the newest version of a product is active for new sales.
    pub active: bool,
    /// When the version was created.
    pub created_at: DateTimeUtc,
}

/// Relations of a price.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The product priced.
    #[sea_orm(
        belongs_to = "super::product::Entity",
        from = "Column::ProductId",
        to = "super::product::Column::Id"
    )]
    Product,
}

impl Related<super::product::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
