//! Phone numbers get the day they were released (null while the customer holds them): from
//! that day on, the number takes no calls and its rental item bills one unit fewer. A released
//! number stays, with its calls, in the customer's history.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PhoneNumbers::Table)
                    .add_column(date_null(PhoneNumbers::ReleasedOn))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PhoneNumbers::Table)
                    .drop_column(PhoneNumbers::ReleasedOn)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum PhoneNumbers {
    Table,
    ReleasedOn,
}
