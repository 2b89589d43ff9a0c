//! `usage_days`: running totals of usage per metered item, local day (in the customer's time
//! zone, which never changes after the customer is created), team, member and number, kept in
//! the transaction that writes the records. Upcoming charges and the consumption totals and
//! chart read these few rows instead of summing every record of a period on each request.
//!
//! Each row holds two counters: everything recorded, and what invoices took of it
//! (`billed_…`, added by the billing run in the transaction that marks the records, taken off
//! again if that invoice is not written). Their difference is what is still unbilled.
//!
//! Quantities are exact: a whole part and a fraction in 10⁻¹² units (a record has at most 12
//! decimals), integers that both databases add exactly (never a float or decimal text summed
//! by SQLite). `dims` spells the row's team, member and number as one key, so the unique key
//! works with absent ones (both databases let NULLs differ in a unique index).
//!
//! Indexes: the key (item, day, dims); (customer, day) for consumption; and a partial index on
//! (item, day) over rows not wholly billed, so upcoming charges read only those.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000001_create_customers::Customers;
use crate::m20261122_000011_create_subscription_items::SubscriptionItems;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UsageDays::Table)
                    .col(uuid(UsageDays::SubscriptionItemId))
                    .col(date(UsageDays::Day))
                    .col(string_len(UsageDays::Dims, 160))
                    .col(uuid(UsageDays::CustomerId))
                    .col(uuid_null(UsageDays::TeamId))
                    .col(uuid_null(UsageDays::MemberId))
                    .col(string_len_null(UsageDays::Number, 32))
                    .col(big_integer(UsageDays::Records))
                    .col(big_integer(UsageDays::Whole))
                    .col(big_integer(UsageDays::Fraction))
                    .col(big_integer(UsageDays::BilledRecords))
                    .col(big_integer(UsageDays::BilledWhole))
                    .col(big_integer(UsageDays::BilledFraction))
                    .primary_key(
                        Index::create()
                            .col(UsageDays::SubscriptionItemId)
                            .col(UsageDays::Day)
                            .col(UsageDays::Dims),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_usage_days_customer")
                            .from(UsageDays::Table, UsageDays::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_usage_days_item")
                            .from(UsageDays::Table, UsageDays::SubscriptionItemId)
                            .to(SubscriptionItems::Table, SubscriptionItems::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_usage_days_customer_day")
                    .table(UsageDays::Table)
                    .col(UsageDays::CustomerId)
                    .col(UsageDays::Day)
                    .to_owned(),
            )
            .await?;
        // A partial index (both databases spell it the same way); the query repeats its
        // condition so that either planner uses it.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_usage_days_unbilled ON usage_days (subscription_item_id, day) \
                 WHERE records <> billed_records",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UsageDays::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum UsageDays {
    Table,
    SubscriptionItemId,
    Day,
    Dims,
    CustomerId,
    TeamId,
    MemberId,
    Number,
    Records,
    Whole,
    Fraction,
    BilledRecords,
    BilledWhole,
    BilledFraction,
}
