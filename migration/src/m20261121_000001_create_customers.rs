//! Customers: the tenants.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .col(pk_uuid(Customers::Id))
                    .col(string(Customers::Name))
                    .col(string_null(Customers::Company))
                    .col(string(Customers::Email))
                    .col(string_len(Customers::Currency, 3))
                    .col(string(Customers::TimeZone))
                    .col(string_len(Customers::Status, 16))
                    .col(timestamp_with_time_zone(Customers::CreatedAt))
                    .col(timestamp_with_time_zone(Customers::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Customers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Customers {
    Table,
    Id,
    Name,
    Company,
    Email,
    Currency,
    TimeZone,
    Status,
    CreatedAt,
    UpdatedAt,
}
