//! Subscriptions with their current period and next invoice date.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000001_create_customers::Customers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .col(pk_uuid(Subscriptions::Id))
                    .col(uuid(Subscriptions::CustomerId))
                    .col(string_len(Subscriptions::Status, 16))
                    .col(string_len(Subscriptions::IntervalUnit, 8))
                    .col(integer(Subscriptions::IntervalCount))
                    .col(date(Subscriptions::AnchorDate))
                    .col(date(Subscriptions::CurrentPeriodStart))
                    .col(date(Subscriptions::CurrentPeriodEnd))
                    .col(date(Subscriptions::NextInvoiceDate))
                    .col(timestamp_with_time_zone(Subscriptions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_subscriptions_customer")
                            .from(Subscriptions::Table, Subscriptions::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_subscriptions_customer")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::CustomerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Subscriptions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Subscriptions {
    Table,
    Id,
    CustomerId,
    Status,
    IntervalUnit,
    IntervalCount,
    AnchorDate,
    CurrentPeriodStart,
    CurrentPeriodEnd,
    NextInvoiceDate,
    CreatedAt,
}
