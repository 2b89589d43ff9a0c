//! Contacts of a customer organisation, by role, some of them receiving the invoice e-mails.
//! Listed per customer in creation order (the index), and read per customer for the invoice
//! recipients.

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
                    .table(Contacts::Table)
                    .col(pk_uuid(Contacts::Id))
                    .col(uuid(Contacts::CustomerId))
                    .col(string_len(Contacts::Role, 16))
                    .col(string_len(Contacts::Name, 200))
                    .col(string_len(Contacts::Email, 254))
                    .col(string_len_null(Contacts::Phone, 32))
                    .col(boolean(Contacts::ReceivesInvoices).default(false))
                    .col(timestamp_with_time_zone(Contacts::CreatedAt))
                    .col(timestamp_with_time_zone(Contacts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_contacts_customer")
                            .from(Contacts::Table, Contacts::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_contacts_customer")
                    .table(Contacts::Table)
                    .col(Contacts::CustomerId)
                    .col(Contacts::CreatedAt)
                    .col(Contacts::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Contacts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
    CustomerId,
    Role,
    Name,
    Email,
    Phone,
    ReceivesInvoices,
    CreatedAt,
    UpdatedAt,
}
