//! Immutable documents and where invoices are e-mailed.
//!
//! - `invoices.pdf_sha256`, `credit_notes.pdf_sha256`: the SHA-256 (hex) of the PDF rendered
//!   once for the document and stored under a key that contains it. Set once, never changed:
//!   the document a customer downloads a year later is byte-for-byte the one first sent.
//!   Nullable: a document is rendered just after it is finalised, outside the finalising
//!   transaction (a billing run finalises thousands a second; rendering takes milliseconds).
//! - `customers.invoice_email`: where the customer receives invoices and credit notes; `NULL`
//!   means the customer's own e-mail address.
//! - `customers.email_invoices`: whether they are e-mailed at all (on by default, as before
//!   there was mail nothing was sent, no existing customer is surprised by an old invoice: only
//!   documents finalised from now on are queued).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for table in [Alias::new("invoices"), Alias::new("credit_notes")] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(string_len_null(Columns::PdfSha256, 64))
                        .to_owned(),
                )
                .await?;
        }
        // What the document job looks for every few seconds: only the few rows not rendered
        // yet, never a scan of every invoice ever issued. The same statement on both databases
        // (sea-query's index builder has no WHERE).
        for (index, table) in [
            ("ix_invoices_pdf_pending", "invoices"),
            ("ix_credit_notes_pdf_pending", "credit_notes"),
        ] {
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "CREATE INDEX {index} ON {table} (id) WHERE pdf_sha256 IS NULL"
                ))
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("customers"))
                    .add_column(string_len_null(Columns::InvoiceEmail, 254))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("customers"))
                    .add_column(boolean(Columns::EmailInvoices).default(true))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Columns::EmailInvoices, Columns::InvoiceEmail] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("customers"))
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for index in ["ix_credit_notes_pdf_pending", "ix_invoices_pdf_pending"] {
            manager
                .get_connection()
                .execute_unprepared(&format!("DROP INDEX {index}"))
                .await?;
        }
        for table in [Alias::new("credit_notes"), Alias::new("invoices")] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(Columns::PdfSha256)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Columns {
    PdfSha256,
    InvoiceEmail,
    EmailInvoices,
}
