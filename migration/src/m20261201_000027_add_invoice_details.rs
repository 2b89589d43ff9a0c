//! A PO number and invoice notes on customers and on subscriptions, which the invoices billed
//! to them carry (`api::services::invoices::finalise::invoice_details` says how they combine
//! with a charge's). Nullable: existing customers and subscriptions have none, as before.
//! Lengths as the invoices' own columns and the charges' parsing (100 characters for a PO
//! number; notes are text, at most 2,000 characters by the API).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for table in [Alias::new("customers"), Alias::new("subscriptions")] {
            for column in [
                string_len_null(Details::PoNumber, 100),
                text_null(Details::InvoiceNotes),
            ] {
                let mut column = column;
                manager
                    .alter_table(
                        Table::alter()
                            .table(table.clone())
                            .add_column(&mut column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [Alias::new("subscriptions"), Alias::new("customers")] {
            for column in [Details::InvoiceNotes, Details::PoNumber] {
                manager
                    .alter_table(
                        Table::alter()
                            .table(table.clone())
                            .drop_column(column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Details {
    PoNumber,
    InvoiceNotes,
}
