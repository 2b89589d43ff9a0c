//! `products`: what the operator sells.

use ids::ProductId;
use sea_orm::entity::prelude::*;

/// What kind of thing a product is; it decides which rules its prices follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ProductKind {
    /// Seats assigned to members, added and removed with a prorated quote.
    #[sea_orm(string_value = "license")]
    License,
    /// A recurring service with a quantity.
    #[sea_orm(string_value = "service")]
    Service,
    /// Usage rated at the end of the period.
    #[sea_orm(string_value = "metered")]
    Metered,
    /// A non-recurring addon.
    #[sea_orm(string_value = "one_off")]
    OneOff,
    /// A telephone number with a tariff.
    #[sea_orm(string_value = "number")]
    Number,
}

/// A product of the catalog.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    /// UUIDv7, exposed as `prod_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: ProductId,
    /// Name on invoices and in the portal ("ADVANCED").
    pub name: String,
    /// Short unique code for integrations.
    #[sea_orm(unique)]
    pub code: String,
    /// Kind of product.
    pub kind: ProductKind,
    /// Longer description.
    pub description: Option<String>,
    /// Inactive products cannot be added to new subscriptions.
    pub active: bool,
    /// When the row was created.
    pub created_at: DateTimeUtc,
}

/// Relations of a product.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Its price versions.
    #[sea_orm(has_many = "super::price::Entity")]
    Prices,
}

impl Related<super::price::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Prices.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
