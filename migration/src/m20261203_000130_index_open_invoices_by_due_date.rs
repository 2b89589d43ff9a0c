//! Staff's receivables list every open invoice by due day across customers (the dunning
//! page): an index on `(status, due_date, id)` reads them in that order without scanning the
//! paid ones, which are most invoices after the first months.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_invoices_status_due_date")
                    .table(Invoices::Table)
                    .col(Invoices::Status)
                    .col(Invoices::DueDate)
                    .col(Invoices::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_invoices_status_due_date")
                    .table(Invoices::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    Status,
    DueDate,
}
