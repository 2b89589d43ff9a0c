//! Members: the people of an organisation who use the service.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000001_create_customers::Customers;
use crate::m20261121_000003_create_teams::Teams;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Members::Table)
                    .col(pk_uuid(Members::Id))
                    .col(uuid(Members::CustomerId))
                    .col(uuid_null(Members::TeamId))
                    .col(string(Members::Name))
                    .col(string_null(Members::Email))
                    .col(timestamp_with_time_zone(Members::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_members_customer")
                            .from(Members::Table, Members::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_members_team")
                            .from(Members::Table, Members::TeamId)
                            .to(Teams::Table, Teams::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_members_customer")
                    .table(Members::Table)
                    .col(Members::CustomerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Members::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
    CustomerId,
    TeamId,
    Name,
    Email,
    CreatedAt,
}
