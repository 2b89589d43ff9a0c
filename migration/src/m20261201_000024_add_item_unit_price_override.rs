//! Subscription items may carry their own unit price (ChargeOver's per-customer pricing): exact
//! decimal text with up to 12 decimals, used instead of the price version's amount for flat,
//! per-unit and package prices. None: the price's own amount.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SubscriptionItems::Table)
                    .add_column(string_null(SubscriptionItems::UnitPriceOverride))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SubscriptionItems::Table)
                    .drop_column(SubscriptionItems::UnitPriceOverride)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum SubscriptionItems {
    Table,
    UnitPriceOverride,
}
