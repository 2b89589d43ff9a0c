//! Customers get a revision: a counter every write to the tenant's data bumps in the same
//! transaction. Readers that keep a tenant's billing state in memory compare it to know whether
//! what they hold is still current, whichever process made the write.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .add_column(big_integer(Customers::Revision).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .drop_column(Customers::Revision)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Revision,
}
