//! An unbilled proration says whether its units are license seats ("2 ADVANCED licenses at …")
//! or another item's units ("2 × Support at …"), now that non-license items are prorated too
//! (items added within a period, quantities changed). Every charge before this was a seat's.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UnbilledCharges::Table)
                    .add_column(boolean(UnbilledCharges::Licenses).default(true))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UnbilledCharges::Table)
                    .drop_column(UnbilledCharges::Licenses)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum UnbilledCharges {
    Table,
    Licenses,
}
