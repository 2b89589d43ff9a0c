//! `prices`: versioned prices of a product. A change makes a new version; subscriptions keep
//! the version they were sold until moved. Exact amounts are stored as decimal text.

use sea_orm::entity::prelude::*;

/// One version of a price.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "prices")]
pub struct Model {
    /// UUIDv7, exposed as `price_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The product priced.
    pub product_id: Uuid,
    /// 1 for the first price of a product, then 2, 3…
    pub version: i32,
    /// ISO 4217 currency.
    pub currency: String,
    /// `day`, `week`, `month`, `quarter` or `year`.
    pub interval_unit: String,
    /// How many interval units make one period.
    pub interval_count: i32,
    /// `flat`, `per_unit`, `graduated`, `volume`, `stairstep` or `package`.
    pub model: String,
    /// Exact decimal text of the unit (or flat, or package) amount, up to 12 decimals.
    pub unit_amount: Option<String>,
    /// Units per package (`package` model).
    pub package_size: Option<i64>,
    /// Tier table as JSON text (`graduated`, `volume`, `stairstep`).
    pub tiers: Option<String>,
    /// Whether tax applies to this price.
    pub taxable: bool,
    /// License rule: `day`, `second` or `none`.
    pub proration_unit: String,
    /// License rule: `immediately` or `next_invoice`.
    pub additions_charged: String,
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
