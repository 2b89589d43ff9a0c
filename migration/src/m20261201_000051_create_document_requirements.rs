//! Documents an organisation is asked for: a change of its default billing address asks for a
//! new company registration certificate, required until one uploaded after the change is
//! accepted. At most one open requirement per organisation and document type (a partial unique
//! index: a second change while one is open moves its date instead).

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
                    .table(DocumentRequirements::Table)
                    .col(pk_uuid(DocumentRequirements::Id))
                    .col(uuid(DocumentRequirements::CustomerId))
                    .col(string_len(DocumentRequirements::Kind, 32))
                    .col(string_len(DocumentRequirements::Reason, 32))
                    .col(timestamp_with_time_zone(
                        DocumentRequirements::RequiredSince,
                    ))
                    .col(uuid_null(DocumentRequirements::SatisfiedBy))
                    .col(timestamp_with_time_zone_null(
                        DocumentRequirements::SatisfiedAt,
                    ))
                    .col(timestamp_with_time_zone(DocumentRequirements::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_requirements_customer")
                            .from(
                                DocumentRequirements::Table,
                                DocumentRequirements::CustomerId,
                            )
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_document_requirements_open")
                    .table(DocumentRequirements::Table)
                    .col(DocumentRequirements::CustomerId)
                    .col(DocumentRequirements::Kind)
                    .unique()
                    .and_where(Expr::col(DocumentRequirements::SatisfiedAt).is_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DocumentRequirements::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DocumentRequirements {
    Table,
    Id,
    CustomerId,
    Kind,
    Reason,
    RequiredSince,
    SatisfiedBy,
    SatisfiedAt,
    CreatedAt,
}
