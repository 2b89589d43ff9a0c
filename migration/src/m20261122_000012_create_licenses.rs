//! Licenses: one row per seat, with its assignee; a member holds at most one seat per item.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000011_create_subscription_items::SubscriptionItems;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Licenses::Table)
                    .col(pk_uuid(Licenses::Id))
                    .col(uuid(Licenses::ItemId))
                    .col(uuid(Licenses::CustomerId))
                    .col(uuid_null(Licenses::MemberId))
                    .col(timestamp_with_time_zone(Licenses::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_licenses_item")
                            .from(Licenses::Table, Licenses::ItemId)
                            .to(SubscriptionItems::Table, SubscriptionItems::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_licenses_item")
                    .table(Licenses::Table)
                    .col(Licenses::ItemId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_licenses_item_member")
                    .table(Licenses::Table)
                    .col(Licenses::ItemId)
                    .col(Licenses::MemberId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Licenses::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Licenses {
    Table,
    Id,
    ItemId,
    CustomerId,
    MemberId,
    CreatedAt,
}
