//! Stored license change quotes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Quotes::Table)
                    .col(pk_uuid(Quotes::Id))
                    .col(uuid(Quotes::CustomerId))
                    .col(uuid(Quotes::ItemId))
                    .col(integer(Quotes::Delta))
                    .col(text(Quotes::Quote))
                    .col(string_len(Quotes::Currency, 3))
                    .col(big_integer(Quotes::AmountDueNowMinor))
                    .col(big_integer(Quotes::AmountNextInvoiceMinor))
                    .col(timestamp_with_time_zone(Quotes::ExpiresAt))
                    .col(uuid(Quotes::CreatedBy))
                    .col(timestamp_with_time_zone(Quotes::CreatedAt))
                    .col(timestamp_with_time_zone_null(Quotes::AppliedAt))
                    .col(text_null(Quotes::Result))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Quotes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Quotes {
    Table,
    Id,
    CustomerId,
    ItemId,
    Delta,
    Quote,
    Currency,
    AmountDueNowMinor,
    AmountNextInvoiceMinor,
    ExpiresAt,
    CreatedBy,
    CreatedAt,
    AppliedAt,
    Result,
}
