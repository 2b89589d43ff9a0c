//! Charges waiting for the next invoice, in integer minor units.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UnbilledCharges::Table)
                    .col(pk_uuid(UnbilledCharges::Id))
                    .col(uuid(UnbilledCharges::CustomerId))
                    .col(uuid(UnbilledCharges::SubscriptionId))
                    .col(uuid_null(UnbilledCharges::ItemId))
                    .col(uuid_null(UnbilledCharges::QuoteId))
                    .col(string_len(UnbilledCharges::Kind, 16))
                    .col(string(UnbilledCharges::ProductName))
                    .col(big_integer(UnbilledCharges::Quantity))
                    .col(big_integer(UnbilledCharges::UnitAmountMinor))
                    .col(integer_null(UnbilledCharges::Days))
                    .col(string_len(UnbilledCharges::Currency, 3))
                    .col(string_null(UnbilledCharges::TaxRate))
                    .col(date(UnbilledCharges::PeriodStart))
                    .col(date(UnbilledCharges::PeriodEnd))
                    .col(timestamp_with_time_zone(UnbilledCharges::CreatedAt))
                    .col(timestamp_with_time_zone_null(UnbilledCharges::InvoicedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_unbilled_charges_subscription")
                    .table(UnbilledCharges::Table)
                    .col(UnbilledCharges::SubscriptionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UnbilledCharges::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum UnbilledCharges {
    Table,
    Id,
    CustomerId,
    SubscriptionId,
    ItemId,
    QuoteId,
    Kind,
    ProductName,
    Quantity,
    UnitAmountMinor,
    Days,
    Currency,
    TaxRate,
    PeriodStart,
    PeriodEnd,
    CreatedAt,
    InvoicedAt,
}
