//! The documents vault: files a customer organisation uploads (or the operator publishes to it),
//! each with its type, its review status and the SHA-256 of the stored bytes. Listed per
//! customer newest first, and by staff as a queue of pending documents oldest first (the two
//! indexes). A proof of address names the address it proves; removing the address keeps the
//! document (the link is cleared).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000001_create_customers::Customers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Documents::Table)
                    .col(pk_uuid(Documents::Id))
                    .col(uuid(Documents::CustomerId))
                    .col(string_len(Documents::Kind, 32))
                    .col(string_len(Documents::Status, 16))
                    .col(string_len(Documents::FileName, 160))
                    .col(string_len(Documents::ContentType, 32))
                    .col(big_integer(Documents::SizeBytes))
                    .col(string_len(Documents::Sha256, 64))
                    .col(string_len(Documents::StorageKey, 200))
                    .col(uuid_null(Documents::AddressId))
                    .col(boolean(Documents::Published).default(false))
                    .col(uuid_null(Documents::UploadedBy))
                    .col(uuid_null(Documents::ReviewedBy))
                    .col(timestamp_with_time_zone_null(Documents::ReviewedAt))
                    .col(string_len_null(Documents::RejectionReason, 500))
                    .col(timestamp_with_time_zone(Documents::CreatedAt))
                    .col(timestamp_with_time_zone(Documents::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_documents_customer")
                            .from(Documents::Table, Documents::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_documents_address")
                            .from(Documents::Table, Documents::AddressId)
                            .to(BillingAddresses::Table, BillingAddresses::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_documents_customer")
                    .table(Documents::Table)
                    .col(Documents::CustomerId)
                    .col(Documents::CreatedAt)
                    .col(Documents::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_documents_status")
                    .table(Documents::Table)
                    .col(Documents::Status)
                    .col(Documents::CreatedAt)
                    .col(Documents::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Documents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    CustomerId,
    Kind,
    Status,
    FileName,
    ContentType,
    SizeBytes,
    Sha256,
    StorageKey,
    AddressId,
    Published,
    UploadedBy,
    ReviewedBy,
    ReviewedAt,
    RejectionReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BillingAddresses {
    Table,
    Id,
}
