//! Invoices remember the recorded billing run that finalised them, so staff read a run's
//! invoices on its page. Nullable: invoices of one-time charges, of an unrecorded run and
//! those finalised before this have none. No foreign key, like the other columns naming a run
//! (runs are bookkeeping, never deleted). The index serves a run's invoices, newest first.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .add_column(uuid_null(Invoices::BillingRunId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invoices_billing_run")
                    .table(Invoices::Table)
                    .col(Invoices::BillingRunId)
                    .col(Invoices::CreatedAt)
                    .col(Invoices::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_invoices_billing_run")
                    .table(Invoices::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .drop_column(Invoices::BillingRunId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    CreatedAt,
    BillingRunId,
}
