//! Invoices and their lines, as finalised by a billing run: immutable once `open`, numbered in
//! the finalising transaction. One invoice per (subscription, period start): a second or
//! concurrent run finds it and creates nothing. Amounts are integer minor units; quantities,
//! unit amounts and tax rates are exact decimal text. Unbilled charges remember the invoice that
//! took them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Invoices::Table)
                    .col(pk_uuid(Invoices::Id))
                    .col(uuid(Invoices::CustomerId))
                    .col(uuid_null(Invoices::SubscriptionId))
                    .col(string_len_null(Invoices::Number, 32))
                    .col(string_len(Invoices::Status, 16))
                    .col(string_len(Invoices::Currency, 3))
                    .col(date(Invoices::PeriodStart))
                    .col(date(Invoices::PeriodEnd))
                    .col(date(Invoices::IssueDate))
                    .col(date(Invoices::DueDate))
                    .col(big_integer(Invoices::SubtotalMinor))
                    .col(big_integer(Invoices::DiscountMinor))
                    .col(big_integer(Invoices::TaxMinor))
                    .col(big_integer(Invoices::TotalMinor))
                    .col(big_integer(Invoices::CreditsAppliedMinor))
                    .col(big_integer(Invoices::AmountDueMinor))
                    .col(json_binary(Invoices::BillingSnapshot))
                    .col(timestamp_with_time_zone(Invoices::CreatedAt))
                    .col(timestamp_with_time_zone_null(Invoices::FinalisedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invoices::Table, Invoices::CustomerId)
                            .to(Customers::Table, Customers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "ux_invoices_subscription_period",
                vec![Invoices::SubscriptionId, Invoices::PeriodStart],
                true,
            ),
            ("ux_invoices_number", vec![Invoices::Number], true),
            (
                "ix_invoices_page",
                vec![Invoices::CustomerId, Invoices::CreatedAt, Invoices::Id],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Invoices::Table);
            for column in columns {
                index.col(column);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(InvoiceLines::Table)
                    .col(pk_uuid(InvoiceLines::Id))
                    .col(uuid(InvoiceLines::InvoiceId))
                    .col(uuid(InvoiceLines::CustomerId))
                    .col(integer(InvoiceLines::Position))
                    .col(string_len(InvoiceLines::Kind, 16))
                    .col(string(InvoiceLines::Description))
                    .col(string_null(InvoiceLines::ProductId))
                    .col(string(InvoiceLines::Quantity))
                    .col(string_null(InvoiceLines::UnitAmount))
                    .col(big_integer(InvoiceLines::AmountMinor))
                    .col(big_integer(InvoiceLines::TaxMinor))
                    .col(string_null(InvoiceLines::TaxRate))
                    .col(date_null(InvoiceLines::PeriodStart))
                    .col(date_null(InvoiceLines::PeriodEnd))
                    .foreign_key(
                        ForeignKey::create()
                            .from(InvoiceLines::Table, InvoiceLines::InvoiceId)
                            .to(Invoices::Table, Invoices::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_invoice_lines_position")
                    .table(InvoiceLines::Table)
                    .col(InvoiceLines::InvoiceId)
                    .col(InvoiceLines::Position)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(UnbilledCharges::Table)
                    .add_column(uuid_null(UnbilledCharges::InvoiceId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UnbilledCharges::Table)
                    .drop_column(UnbilledCharges::InvoiceId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(InvoiceLines::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Invoices::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    CustomerId,
    SubscriptionId,
    Number,
    Status,
    Currency,
    PeriodStart,
    PeriodEnd,
    IssueDate,
    DueDate,
    SubtotalMinor,
    DiscountMinor,
    TaxMinor,
    TotalMinor,
    CreditsAppliedMinor,
    AmountDueMinor,
    BillingSnapshot,
    CreatedAt,
    FinalisedAt,
}

#[derive(DeriveIden)]
enum InvoiceLines {
    Table,
    Id,
    InvoiceId,
    CustomerId,
    Position,
    Kind,
    Description,
    ProductId,
    Quantity,
    UnitAmount,
    AmountMinor,
    TaxMinor,
    TaxRate,
    PeriodStart,
    PeriodEnd,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum UnbilledCharges {
    Table,
    InvoiceId,
}
