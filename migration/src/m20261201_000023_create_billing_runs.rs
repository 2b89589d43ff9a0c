//! Billing runs as records: who started one (staff, the scheduler, the command line), for which
//! business date and how many workers, how far it got and which subscriptions failed. At most
//! one run is `running` at a time: a partial unique index refuses a second one, whichever
//! process or instance starts it. An index on subscriptions' next invoice date lets a run's
//! workers claim the next due subscription without scanning them all, and indexes on the
//! customer of unbilled charges and of licenses let each period's tenant-state read find the
//! customer's rows without scanning every customer's.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BillingRuns::Table)
                    .col(pk_uuid(BillingRuns::Id))
                    .col(date(BillingRuns::AsOf))
                    .col(integer(BillingRuns::Workers))
                    .col(string_len(BillingRuns::Status, 16))
                    .col(string_len(BillingRuns::Origin, 16))
                    .col(uuid_null(BillingRuns::StartedBy))
                    .col(timestamp_with_time_zone(BillingRuns::StartedAt))
                    .col(timestamp_with_time_zone(BillingRuns::HeartbeatAt))
                    .col(timestamp_with_time_zone_null(BillingRuns::FinishedAt))
                    .col(big_integer(BillingRuns::Due))
                    .col(big_integer(BillingRuns::Invoiced))
                    .col(big_integer(BillingRuns::Failed))
                    .col(json_binary(BillingRuns::Failures))
                    .col(text_null(BillingRuns::Error))
                    .to_owned(),
            )
            .await?;
        // The same statement on both databases: sea-query's index builder has no WHERE.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_billing_runs_one_running ON billing_runs (status) \
                 WHERE status = 'running'",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_billing_runs_page")
                    .table(BillingRuns::Table)
                    .col(BillingRuns::StartedAt)
                    .col(BillingRuns::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_subscriptions_due")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::NextInvoiceDate)
                    .col(Subscriptions::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_unbilled_charges_customer")
                    .table(UnbilledCharges::Table)
                    .col(UnbilledCharges::CustomerId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_licenses_customer")
                    .table(Licenses::Table)
                    .col(Licenses::CustomerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_licenses_customer", Licenses::Table.into_iden()),
            (
                "ix_unbilled_charges_customer",
                UnbilledCharges::Table.into_iden(),
            ),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ix_subscriptions_due")
                    .table(Subscriptions::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(BillingRuns::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum BillingRuns {
    Table,
    Id,
    AsOf,
    Workers,
    Status,
    Origin,
    StartedBy,
    StartedAt,
    HeartbeatAt,
    FinishedAt,
    Due,
    Invoiced,
    Failed,
    Failures,
    Error,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    NextInvoiceDate,
    Id,
}

#[derive(DeriveIden)]
enum UnbilledCharges {
    Table,
    CustomerId,
}

#[derive(DeriveIden)]
enum Licenses {
    Table,
    CustomerId,
}
