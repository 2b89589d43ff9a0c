//! An outbox message may carry a secret its e-mail needs and nothing else keeps: an
//! invitation's link (its table holds only the token's hash). The secret stays in the row only
//! until the message is sent, then it is cleared.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxMessages::Table)
                    .add_column(string_len_null(OutboxMessages::Secret, 200))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxMessages::Table)
                    .drop_column(OutboxMessages::Secret)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    Secret,
}
