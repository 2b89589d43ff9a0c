//! The credit balance and credit notes.
//!
//! A customer's balance is a column on its row, changed only by an update that also refuses to
//! take it below zero (`credit_balance_minor + delta >= 0`), so that concurrent uses serialise on
//! the row lock and the balance can never go negative; every change also writes a ledger entry
//! (`credit_entries`) with the balance after it, so the history explains the balance. Credit
//! notes correct a finalised invoice: numbered in their own gapless sequence, their lines point
//! at the invoice lines they credit. Amounts are integer minor units.

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
                    .add_column(big_integer(Customers::CreditBalanceMinor).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CreditNotes::Table)
                    .col(pk_uuid(CreditNotes::Id))
                    .col(uuid(CreditNotes::CustomerId))
                    .col(uuid(CreditNotes::InvoiceId))
                    .col(string_len(CreditNotes::Number, 32))
                    .col(string_len(CreditNotes::Currency, 3))
                    .col(string(CreditNotes::Reason))
                    .col(big_integer(CreditNotes::SubtotalMinor))
                    .col(big_integer(CreditNotes::TaxMinor))
                    .col(big_integer(CreditNotes::TotalMinor))
                    .col(big_integer(CreditNotes::AppliedToInvoiceMinor))
                    .col(big_integer(CreditNotes::CreditedToBalanceMinor))
                    .col(uuid_null(CreditNotes::CreatedBy))
                    .col(date(CreditNotes::IssueDate))
                    .col(timestamp_with_time_zone(CreditNotes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CreditNotes::Table, CreditNotes::CustomerId)
                            .to(Customers::Table, Customers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CreditNotes::Table, CreditNotes::InvoiceId)
                            .to(Invoices::Table, Invoices::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CreditNoteLines::Table)
                    .col(pk_uuid(CreditNoteLines::Id))
                    .col(uuid(CreditNoteLines::CreditNoteId))
                    .col(uuid(CreditNoteLines::CustomerId))
                    .col(uuid(CreditNoteLines::InvoiceLineId))
                    .col(integer(CreditNoteLines::Position))
                    .col(string(CreditNoteLines::Description))
                    .col(big_integer(CreditNoteLines::AmountMinor))
                    .col(big_integer(CreditNoteLines::TaxMinor))
                    .col(string_null(CreditNoteLines::TaxRate))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CreditNoteLines::Table, CreditNoteLines::CreditNoteId)
                            .to(CreditNotes::Table, CreditNotes::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CreditNoteLines::Table, CreditNoteLines::InvoiceLineId)
                            .to(InvoiceLines::Table, InvoiceLines::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CreditEntries::Table)
                    .col(pk_uuid(CreditEntries::Id))
                    .col(uuid(CreditEntries::CustomerId))
                    .col(string_len(CreditEntries::Kind, 16))
                    .col(big_integer(CreditEntries::AmountMinor))
                    .col(big_integer(CreditEntries::BalanceAfterMinor))
                    .col(string_len(CreditEntries::Currency, 3))
                    .col(string(CreditEntries::Description))
                    .col(uuid_null(CreditEntries::InvoiceId))
                    .col(uuid_null(CreditEntries::CreditNoteId))
                    .col(uuid_null(CreditEntries::QuoteId))
                    .col(uuid_null(CreditEntries::CreatedBy))
                    .col(timestamp_with_time_zone(CreditEntries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CreditEntries::Table, CreditEntries::CustomerId)
                            .to(Customers::Table, Customers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, columns, unique) in [
            (
                "ix_credit_entries_page",
                CreditEntries::Table.into_iden(),
                vec![
                    CreditEntries::CustomerId.into_iden(),
                    CreditEntries::CreatedAt.into_iden(),
                    CreditEntries::Id.into_iden(),
                ],
                false,
            ),
            (
                "ux_credit_notes_number",
                CreditNotes::Table.into_iden(),
                vec![CreditNotes::Number.into_iden()],
                true,
            ),
            (
                "ix_credit_notes_invoice",
                CreditNotes::Table.into_iden(),
                vec![CreditNotes::InvoiceId.into_iden()],
                false,
            ),
            (
                "ix_credit_notes_page",
                CreditNotes::Table.into_iden(),
                vec![
                    CreditNotes::CustomerId.into_iden(),
                    CreditNotes::CreatedAt.into_iden(),
                    CreditNotes::Id.into_iden(),
                ],
                false,
            ),
            (
                "ux_credit_note_lines_position",
                CreditNoteLines::Table.into_iden(),
                vec![
                    CreditNoteLines::CreditNoteId.into_iden(),
                    CreditNoteLines::Position.into_iden(),
                ],
                true,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(table);
            for column in columns {
                index.col(column);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CreditEntries::Table.into_iden(),
            CreditNoteLines::Table.into_iden(),
            CreditNotes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .drop_column(Customers::CreditBalanceMinor)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    CreditBalanceMinor,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum InvoiceLines {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CreditNotes {
    Table,
    Id,
    CustomerId,
    InvoiceId,
    Number,
    Currency,
    Reason,
    SubtotalMinor,
    TaxMinor,
    TotalMinor,
    AppliedToInvoiceMinor,
    CreditedToBalanceMinor,
    CreatedBy,
    IssueDate,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CreditNoteLines {
    Table,
    Id,
    CreditNoteId,
    CustomerId,
    InvoiceLineId,
    Position,
    Description,
    AmountMinor,
    TaxMinor,
    TaxRate,
}

#[derive(DeriveIden)]
enum CreditEntries {
    Table,
    Id,
    CustomerId,
    Kind,
    AmountMinor,
    BalanceAfterMinor,
    Currency,
    Description,
    InvoiceId,
    CreditNoteId,
    QuoteId,
    CreatedBy,
    CreatedAt,
}
