//! One-time charges and non-recurring addons, and the PO number and notes an invoice carries.
//!
//! One-off charges get a table of their own rather than more columns on `unbilled_charges`:
//! that table's quantity and unit amount are integers of minor units and its service period is
//! required, all right for prorations, while a one-off has a fractional quantity, a unit price
//! with up to 12 decimals (exact text), an optional service period, an optional product and a
//! taxable flag. Nullable look-alike columns there would be checked in code only; here every
//! column means one thing. A charge invoiced at once is kept too, with its invoice, so a
//! customer's charges read alike whichever way they were billed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            string_len_null(Invoices::PoNumber, 100),
            text_null(Invoices::Notes),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Invoices::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(OneOffCharges::Table)
                    .col(pk_uuid(OneOffCharges::Id))
                    .col(uuid(OneOffCharges::CustomerId))
                    .col(uuid_null(OneOffCharges::SubscriptionId))
                    .col(uuid_null(OneOffCharges::ProductId))
                    .col(text(OneOffCharges::Description))
                    .col(string_len(OneOffCharges::Quantity, 64))
                    .col(string_len(OneOffCharges::UnitAmount, 64))
                    .col(string_len(OneOffCharges::Currency, 3))
                    .col(boolean(OneOffCharges::Taxable))
                    .col(date_null(OneOffCharges::PeriodStart))
                    .col(date_null(OneOffCharges::PeriodEnd))
                    .col(timestamp_with_time_zone(OneOffCharges::CreatedAt))
                    .col(timestamp_with_time_zone_null(OneOffCharges::InvoicedAt))
                    .col(uuid_null(OneOffCharges::InvoiceId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OneOffCharges::Table, OneOffCharges::CustomerId)
                            .to(Customers::Table, Customers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_one_off_charges_customer", OneOffCharges::CustomerId),
            (
                "ix_one_off_charges_subscription",
                OneOffCharges::SubscriptionId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(OneOffCharges::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OneOffCharges::Table).to_owned())
            .await?;
        for column in [Invoices::Notes, Invoices::PoNumber] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Invoices::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    PoNumber,
    Notes,
}

#[derive(DeriveIden)]
enum OneOffCharges {
    Table,
    Id,
    CustomerId,
    SubscriptionId,
    ProductId,
    Description,
    Quantity,
    UnitAmount,
    Currency,
    Taxable,
    PeriodStart,
    PeriodEnd,
    CreatedAt,
    InvoicedAt,
    InvoiceId,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}
