//! Billing addresses of a customer organisation. Exactly one is the default: a partial unique
//! index allows one row with `is_default` per customer (SQLite and PostgreSQL both have partial
//! indexes), so two concurrent "make this the default" cannot both win. The invoices read the
//! default one per customer, for a batch of customers at once (the same index).

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
                    .table(BillingAddresses::Table)
                    .col(pk_uuid(BillingAddresses::Id))
                    .col(uuid(BillingAddresses::CustomerId))
                    .col(string_len(BillingAddresses::Line1, 200))
                    .col(string_len_null(BillingAddresses::Line2, 200))
                    .col(string_len(BillingAddresses::City, 100))
                    .col(string_len_null(BillingAddresses::PostalCode, 16))
                    .col(string_len_null(BillingAddresses::Region, 100))
                    .col(string_len(BillingAddresses::Country, 2))
                    .col(boolean(BillingAddresses::IsDefault).default(false))
                    .col(timestamp_with_time_zone_null(BillingAddresses::VerifiedAt))
                    .col(uuid_null(BillingAddresses::VerifiedBy))
                    .col(timestamp_with_time_zone(BillingAddresses::CreatedAt))
                    .col(timestamp_with_time_zone(BillingAddresses::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_billing_addresses_customer")
                            .from(BillingAddresses::Table, BillingAddresses::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_billing_addresses_customer")
                    .table(BillingAddresses::Table)
                    .col(BillingAddresses::CustomerId)
                    .col(BillingAddresses::CreatedAt)
                    .col(BillingAddresses::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_billing_addresses_default")
                    .table(BillingAddresses::Table)
                    .col(BillingAddresses::CustomerId)
                    .unique()
                    .and_where(Expr::col(BillingAddresses::IsDefault).eq(true))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BillingAddresses::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum BillingAddresses {
    Table,
    Id,
    CustomerId,
    Line1,
    Line2,
    City,
    PostalCode,
    Region,
    Country,
    IsDefault,
    VerifiedAt,
    VerifiedBy,
    CreatedAt,
    UpdatedAt,
}
