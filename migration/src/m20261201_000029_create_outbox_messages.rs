//! The transactional mail outbox: a message is a row written in the same transaction as what
//! caused it (an invoice finalised, a credit note issued, a copy asked for), and sent later by a
//! worker that claims rows (see `api::services::mail`).
//!
//! - `dedupe_key` is unique: a cause writes its message once per (document, recipient), so a
//!   retried transaction or a second instance can never queue it twice.
//! - A claim is a lease: `claim_token` and `claimed_until`, set in a short transaction; only the
//!   holder of the token may record the outcome, and a crashed worker's rows become claimable
//!   again when the lease ends.
//! - `ix_outbox_messages_due` serves the claim: pending rows in the order they fall due.
//! - `ix_outbox_messages_document` serves "what was sent for this invoice".

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxMessages::Table)
                    .col(pk_uuid(OutboxMessages::Id))
                    .col(uuid(OutboxMessages::CustomerId))
                    .col(string_len(OutboxMessages::Kind, 24))
                    .col(uuid(OutboxMessages::DocumentId))
                    .col(string_len(OutboxMessages::Recipient, 254))
                    .col(string_len_uniq(OutboxMessages::DedupeKey, 400))
                    .col(string_len(OutboxMessages::Status, 16))
                    .col(integer(OutboxMessages::Attempts))
                    .col(timestamp_with_time_zone(OutboxMessages::NextAttemptAt))
                    .col(uuid_null(OutboxMessages::ClaimToken))
                    .col(timestamp_with_time_zone_null(OutboxMessages::ClaimedUntil))
                    .col(text_null(OutboxMessages::LastError))
                    .col(timestamp_with_time_zone(OutboxMessages::CreatedAt))
                    .col(timestamp_with_time_zone_null(OutboxMessages::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outbox_messages_customer")
                            .from(OutboxMessages::Table, OutboxMessages::CustomerId)
                            .to(Customers::Table, Customers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_messages_due")
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::Status)
                    .col(OutboxMessages::NextAttemptAt)
                    .col(OutboxMessages::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_messages_document")
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::DocumentId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutboxMessages::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    Id,
    CustomerId,
    Kind,
    DocumentId,
    Recipient,
    DedupeKey,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimToken,
    ClaimedUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}
