//! `tariffs`: a telephone tariff's name and currency; its rates are in [`super::tariff_version`].

use ids::TariffId;
use sea_orm::entity::prelude::*;

/// A tariff.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tariffs")]
pub struct Model {
    /// UUIDv7, exposed as `trf_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: TariffId,
    /// Name staff know it by ("France standard").
    pub name: String,
    /// ISO 4217 code of every amount of every version (fixed: a version cannot change it).
    pub currency: String,
    /// When it was created.
    pub created_at: DateTimeUtc,
}

/// Tariffs have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
