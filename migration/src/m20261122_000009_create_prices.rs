//! Versioned prices: (product, version) is unique; amounts are exact decimal text.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000008_create_products::Products;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Prices::Table)
                    .col(pk_uuid(Prices::Id))
                    .col(uuid(Prices::ProductId))
                    .col(integer(Prices::Version))
                    .col(string_len(Prices::Currency, 3))
                    .col(string_len(Prices::IntervalUnit, 8))
                    .col(integer(Prices::IntervalCount))
                    .col(string_len(Prices::Model, 16))
                    .col(string_null(Prices::UnitAmount))
                    .col(big_integer_null(Prices::PackageSize))
                    .col(text_null(Prices::Tiers))
                    .col(boolean(Prices::Taxable))
                    .col(string_len(Prices::ProrationUnit, 8))
                    .col(string_len(Prices::AdditionsCharged, 16))
                    .col(boolean(Prices::CreditRemovals))
                    .col(boolean(Prices::RemoveOneAtATime))
                    .col(integer(Prices::MinQuantity))
                    .col(integer_null(Prices::MaxQuantity))
                    .col(boolean(Prices::Active))
                    .col(timestamp_with_time_zone(Prices::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_prices_product")
                            .from(Prices::Table, Prices::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_prices_product_version")
                    .table(Prices::Table)
                    .col(Prices::ProductId)
                    .col(Prices::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Prices::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Prices {
    Table,
    Id,
    ProductId,
    Version,
    Currency,
    IntervalUnit,
    IntervalCount,
    Model,
    UnitAmount,
    PackageSize,
    Tiers,
    Taxable,
    ProrationUnit,
    AdditionsCharged,
    CreditRemovals,
    RemoveOneAtATime,
    MinQuantity,
    MaxQuantity,
    Active,
    CreatedAt,
}
