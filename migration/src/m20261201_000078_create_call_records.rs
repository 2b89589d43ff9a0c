//! Call records: append-only, keyed by (customer, client-chosen idempotency key), rated at
//! ingestion against the number's tariff version of that moment. The rating is stored with
//! the call (version, billed seconds, the rate as exact decimal text, the amount in minor
//! units), so a later tariff version never changes it; a call no prefix matched is stored with
//! those columns null ("unrated") until staff re-rate it. `invoice_id` is set by the
//! transaction that finalises the invoice billing it (no foreign key, as for usage records).
//!
//! Indexes: the dedupe key (unique), (customer, started) for consumption reads, (number,
//! invoice, started) for the billing run's "not yet invoiced, before the period end", and
//! (customer, tariff version) for the staff list of unrated calls.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000001_create_customers::Customers;
use crate::m20261201_000077_create_phone_numbers::PhoneNumbers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CallRecords::Table)
                    .col(pk_uuid(CallRecords::Id))
                    .col(uuid(CallRecords::CustomerId))
                    .col(uuid(CallRecords::PhoneNumberId))
                    .col(timestamp_with_time_zone(CallRecords::StartedAt))
                    .col(integer(CallRecords::DurationSeconds))
                    .col(string_len(CallRecords::Direction, 8))
                    .col(string_len(CallRecords::Destination, 32))
                    .col(string_len(CallRecords::IdempotencyKey, 255))
                    .col(uuid_null(CallRecords::TariffVersionId))
                    .col(big_integer_null(CallRecords::BilledSeconds))
                    .col(string_len_null(CallRecords::RatePerMinute, 64))
                    .col(big_integer_null(CallRecords::AmountMinor))
                    .col(string_len(CallRecords::Currency, 3))
                    .col(uuid_null(CallRecords::InvoiceId))
                    .col(timestamp_with_time_zone(CallRecords::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_call_records_customer")
                            .from(CallRecords::Table, CallRecords::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_call_records_number")
                            .from(CallRecords::Table, CallRecords::PhoneNumberId)
                            .to(PhoneNumbers::Table, PhoneNumbers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "ux_call_records_key",
                vec![CallRecords::CustomerId, CallRecords::IdempotencyKey],
                true,
            ),
            (
                "ix_call_records_customer_started",
                vec![CallRecords::CustomerId, CallRecords::StartedAt],
                false,
            ),
            (
                "ix_call_records_unbilled",
                vec![
                    CallRecords::PhoneNumberId,
                    CallRecords::InvoiceId,
                    CallRecords::StartedAt,
                ],
                false,
            ),
            (
                "ix_call_records_rated",
                vec![CallRecords::CustomerId, CallRecords::TariffVersionId],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(CallRecords::Table);
            for col in cols {
                index.col(col);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CallRecords::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CallRecords {
    Table,
    Id,
    CustomerId,
    PhoneNumberId,
    StartedAt,
    DurationSeconds,
    Direction,
    Destination,
    IdempotencyKey,
    TariffVersionId,
    BilledSeconds,
    RatePerMinute,
    AmountMinor,
    Currency,
    InvoiceId,
    RecordedAt,
}
