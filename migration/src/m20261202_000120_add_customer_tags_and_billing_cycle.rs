//! Customers get **tags** (the operator's own labels: `vip`, `wholesale`, `reseller`…, which
//! staff search by) and a **billing cycle**: the interval new subscriptions of the customer bill
//! at unless another is chosen (the telecom platform asks for it when a customer is added;
//! "Monthly is the most common"). Existing customers get no tags and a monthly cycle.
//!
//! Tags are a JSON array of strings in one text column, read with the customer (no join per
//! customer in a list) and found by the search's `LIKE` like the other fields; a tag holds no
//! `"` or `\`, so the array's text needs no escaping.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .add_column(text(Customers::Tags).default("[]"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .add_column(string_len(Customers::BillingIntervalUnit, 16).default("month"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .add_column(integer(Customers::BillingIntervalCount).default(1))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Customers::Tags,
            Customers::BillingIntervalUnit,
            Customers::BillingIntervalCount,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Customers::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Tags,
    BillingIntervalUnit,
    BillingIntervalCount,
}
