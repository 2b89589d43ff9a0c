//! Subscription items, with the customer repeated for tenant scoping and a version counter.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000009_create_prices::Prices;
use crate::m20261122_000010_create_subscriptions::Subscriptions;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SubscriptionItems::Table)
                    .col(pk_uuid(SubscriptionItems::Id))
                    .col(uuid(SubscriptionItems::SubscriptionId))
                    .col(uuid(SubscriptionItems::CustomerId))
                    .col(uuid(SubscriptionItems::PriceId))
                    .col(integer(SubscriptionItems::Quantity))
                    .col(integer(SubscriptionItems::Version).default(0))
                    .col(timestamp_with_time_zone(SubscriptionItems::CreatedAt))
                    .col(timestamp_with_time_zone(SubscriptionItems::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_subscription_items_subscription")
                            .from(SubscriptionItems::Table, SubscriptionItems::SubscriptionId)
                            .to(Subscriptions::Table, Subscriptions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_subscription_items_price")
                            .from(SubscriptionItems::Table, SubscriptionItems::PriceId)
                            .to(Prices::Table, Prices::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_subscription_items_customer")
                    .table(SubscriptionItems::Table)
                    .col(SubscriptionItems::CustomerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SubscriptionItems::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum SubscriptionItems {
    Table,
    Id,
    SubscriptionId,
    CustomerId,
    PriceId,
    Quantity,
    Version,
    CreatedAt,
    UpdatedAt,
}
