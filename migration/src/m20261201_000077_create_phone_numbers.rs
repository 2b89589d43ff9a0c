//! Telephone numbers sold to customers: E.164, unique across the platform (a number is one
//! line in the world), each on a subscription item whose recurring price is the monthly rental
//! per number, with a type, the tariff its calls are rated with, and the day it was sold.
//!
//! The item and the tariff restrict deletion: a number must be released before either goes.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000001_create_customers::Customers;
use crate::m20261122_000011_create_subscription_items::SubscriptionItems;
use crate::m20261201_000076_create_tariffs::Tariffs;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PhoneNumbers::Table)
                    .col(pk_uuid(PhoneNumbers::Id))
                    .col(uuid(PhoneNumbers::CustomerId))
                    .col(uuid(PhoneNumbers::SubscriptionItemId))
                    .col(string_len_uniq(PhoneNumbers::E164, 16))
                    .col(string_len(PhoneNumbers::NumberType, 16))
                    .col(uuid(PhoneNumbers::TariffId))
                    .col(date(PhoneNumbers::SoldOn))
                    .col(timestamp_with_time_zone(PhoneNumbers::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_phone_numbers_customer")
                            .from(PhoneNumbers::Table, PhoneNumbers::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_phone_numbers_item")
                            .from(PhoneNumbers::Table, PhoneNumbers::SubscriptionItemId)
                            .to(SubscriptionItems::Table, SubscriptionItems::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_phone_numbers_tariff")
                            .from(PhoneNumbers::Table, PhoneNumbers::TariffId)
                            .to(Tariffs::Table, Tariffs::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_phone_numbers_customer")
                    .table(PhoneNumbers::Table)
                    .col(PhoneNumbers::CustomerId)
                    .col(PhoneNumbers::E164)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_phone_numbers_item")
                    .table(PhoneNumbers::Table)
                    .col(PhoneNumbers::SubscriptionItemId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PhoneNumbers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum PhoneNumbers {
    Table,
    Id,
    CustomerId,
    SubscriptionItemId,
    E164,
    NumberType,
    TariffId,
    SoldOn,
    CreatedAt,
}
