//! Gapless number sequences (invoices, credit notes): one row per sequence holding the last
//! number taken. A number is taken by incrementing the row inside the transaction that uses it,
//! so a transaction that rolls back gives its number back and no number is ever skipped.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NumberSequences::Table)
                    .col(string_len(NumberSequences::Name, 64).primary_key())
                    .col(big_integer(NumberSequences::LastValue).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NumberSequences::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum NumberSequences {
    Table,
    Name,
    LastValue,
}
