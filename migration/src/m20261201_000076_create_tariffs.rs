//! Telephone tariffs and their versions. A tariff is a name and a currency; its rates live in
//! versions, each immutable once written (the whole `billing::TariffSpec` as JSON text, exact
//! decimals as strings), so a call rated against a version keeps meaning what it meant: a new
//! version never changes calls already rated. (tariff, version) is unique, which also makes
//! two concurrent "new version" writes collide instead of both becoming version n + 1.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tariffs::Table)
                    .col(pk_uuid(Tariffs::Id))
                    .col(string_len(Tariffs::Name, 100))
                    .col(string_len(Tariffs::Currency, 3))
                    .col(timestamp_with_time_zone(Tariffs::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TariffVersions::Table)
                    .col(pk_uuid(TariffVersions::Id))
                    .col(uuid(TariffVersions::TariffId))
                    .col(integer(TariffVersions::Version))
                    .col(text(TariffVersions::Spec))
                    .col(timestamp_with_time_zone(TariffVersions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tariff_versions_tariff")
                            .from(TariffVersions::Table, TariffVersions::TariffId)
                            .to(Tariffs::Table, Tariffs::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_tariff_versions_version")
                    .table(TariffVersions::Table)
                    .col(TariffVersions::TariffId)
                    .col(TariffVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TariffVersions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Tariffs::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Tariffs {
    Table,
    Id,
    Name,
    Currency,
    CreatedAt,
}

#[derive(DeriveIden)]
pub(crate) enum TariffVersions {
    Table,
    Id,
    TariffId,
    Version,
    Spec,
    CreatedAt,
}
