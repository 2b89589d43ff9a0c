//! The append-only audit log, indexed for "a tenant's entries, newest first".

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_uuid(AuditLog::Id))
                    .col(uuid_null(AuditLog::CustomerId))
                    .col(uuid_null(AuditLog::ActorUserId))
                    .col(string_len(AuditLog::ActorRole, 16))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::SubjectType))
                    .col(string(AuditLog::SubjectId))
                    .col(json_binary_null(AuditLog::Before))
                    .col(json_binary_null(AuditLog::After))
                    .col(string_null(AuditLog::RequestId))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_customer_id")
                    .table(AuditLog::Table)
                    .col(AuditLog::CustomerId)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    CustomerId,
    ActorUserId,
    ActorRole,
    Action,
    SubjectType,
    SubjectId,
    Before,
    After,
    RequestId,
    CreatedAt,
}
