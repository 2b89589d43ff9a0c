//! `tariff_versions`: one immutable version of a tariff's rates, as `billing::TariffSpec` JSON.

use ids::{TariffId, TariffVersionId};
use sea_orm::entity::prelude::*;

/// A tariff version.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tariff_versions")]
pub struct Model {
    /// UUIDv7, exposed as `trv_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: TariffVersionId,
    /// The tariff.
    pub tariff_id: TariffId,
    /// 1, 2, …; the highest is the one new calls are rated with.
    pub version: i32,
    /// `billing::TariffSpec` as JSON (validated by `billing::Tariff::new` before it is written).
    pub spec: String,
    /// When it was created.
    pub created_at: DateTimeUtc,
}

/// Tariff versions have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
