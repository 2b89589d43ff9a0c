//! `tax_rates`: the tax rate of a country (ISO 3166-1 alpha-2), or of a region of it. The rate
//! is a percent as exact decimal text. Archived rates stay for history and resolve nobody.

use ids::TaxRateId;
use sea_orm::entity::prelude::*;

/// A tax rate.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tax_rates")]
pub struct Model {
    /// UUIDv7, exposed as `txr_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: TaxRateId,
    /// ISO 3166-1 alpha-2 country code, upper case (`FR`).
    pub country: String,
    /// Region code within the country, upper case (`QC`), or `None` for the whole country.
    pub region: Option<String>,
    /// Name shown on invoices ("VAT FR").
    pub name: String,
    /// Percent as exact decimal text (`20`, `8.875`).
    pub rate: String,
    /// Whether it applies; at most one active rate per (country, region).
    pub active: bool,
    /// When it was created.
    pub created_at: DateTimeUtc,
}

/// Tax rates have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
