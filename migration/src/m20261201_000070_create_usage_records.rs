//! Usage records: append-only quantities against a metered subscription item over `[from, to]`,
//! keyed by (customer, client-chosen idempotency key) so a retried batch never writes a record
//! twice. `quantity` is exact decimal text (never a float column); `invoice_id` is set in the
//! transaction that finalises the invoice billing the record (no foreign key: the invoice row
//! is written later in that same transaction).
//!
//! Usage is never deleted with its item: the item's foreign key restricts (removing a metered
//! item that has usage is refused by the service, see `remove_item`). Deleting the customer
//! deletes everything of it, usage included.
//!
//! Indexes: the dedupe key (unique), (customer, from) for consumption reads, (item, invoice,
//! from) for the billing run's "not yet invoiced, before the period end", and (item, from) for
//! what a period already billed when late usage arrives for it.

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
                    .table(UsageRecords::Table)
                    .col(pk_uuid(UsageRecords::Id))
                    .col(uuid(UsageRecords::CustomerId))
                    .col(uuid(UsageRecords::SubscriptionItemId))
                    .col(string_len(UsageRecords::Quantity, 64))
                    .col(timestamp_with_time_zone(UsageRecords::FromAt))
                    .col(timestamp_with_time_zone(UsageRecords::ToAt))
                    .col(string_len(UsageRecords::IdempotencyKey, 255))
                    .col(uuid_null(UsageRecords::MemberId))
                    .col(uuid_null(UsageRecords::TeamId))
                    .col(string_len_null(UsageRecords::Number, 32))
                    .col(text_null(UsageRecords::Properties))
                    .col(uuid_null(UsageRecords::InvoiceId))
                    .col(timestamp_with_time_zone(UsageRecords::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_usage_records_customer")
                            .from(UsageRecords::Table, UsageRecords::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_usage_records_item")
                            .from(UsageRecords::Table, UsageRecords::SubscriptionItemId)
                            .to(SubscriptionItems::Table, SubscriptionItems::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_usage_records_key")
                    .table(UsageRecords::Table)
                    .col(UsageRecords::CustomerId)
                    .col(UsageRecords::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_usage_records_customer_from")
                    .table(UsageRecords::Table)
                    .col(UsageRecords::CustomerId)
                    .col(UsageRecords::FromAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_usage_records_unbilled")
                    .table(UsageRecords::Table)
                    .col(UsageRecords::SubscriptionItemId)
                    .col(UsageRecords::InvoiceId)
                    .col(UsageRecords::FromAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_usage_records_item_from")
                    .table(UsageRecords::Table)
                    .col(UsageRecords::SubscriptionItemId)
                    .col(UsageRecords::FromAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UsageRecords::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum UsageRecords {
    Table,
    Id,
    CustomerId,
    SubscriptionItemId,
    Quantity,
    FromAt,
    ToAt,
    IdempotencyKey,
    MemberId,
    TeamId,
    Number,
    Properties,
    InvoiceId,
    RecordedAt,
}
