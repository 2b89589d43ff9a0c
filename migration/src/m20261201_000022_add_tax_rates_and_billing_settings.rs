//! Tax rates by country (ISO 3166-1 alpha-2) and optional region, and the customer's billing
//! settings: country, region, tax id, tax exemption and payment terms in days (default 0: due
//! on receipt).
//!
//! Existing data: `customers.tax_rate` stays, as the rate of a customer that has no country
//! yet, so nobody's tax changes with this migration; giving a customer a country moves it to
//! the rate tables. Customers get `tax_exempt = false` and terms of 0 days, which is what
//! they had (a customer without a rate stays untaxed through its empty legacy rate).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TaxRates::Table)
                    .col(pk_uuid(TaxRates::Id))
                    .col(string_len(TaxRates::Country, 2))
                    .col(string_len_null(TaxRates::Region, 10))
                    .col(string_len(TaxRates::Name, 100))
                    .col(string(TaxRates::Rate))
                    .col(boolean(TaxRates::Active))
                    .col(timestamp_with_time_zone(TaxRates::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "ix_tax_rates_country",
                vec![TaxRates::Country, TaxRates::Region],
            ),
            ("ix_tax_rates_page", vec![TaxRates::CreatedAt, TaxRates::Id]),
        ] {
            let mut index = Index::create();
            index.name(name).table(TaxRates::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        // SQLite alters one column per statement.
        for column in [
            string_len_null(Customers::Country, 2),
            string_len_null(Customers::Region, 10),
            string_len_null(Customers::TaxId, 40),
            boolean(Customers::TaxExempt).default(false).to_owned(),
            integer(Customers::PaymentTermsDays).default(0).to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Customers::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Customers::PaymentTermsDays,
            Customers::TaxExempt,
            Customers::TaxId,
            Customers::Region,
            Customers::Country,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Customers::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(TaxRates::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TaxRates {
    Table,
    Id,
    Country,
    Region,
    Name,
    Rate,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Country,
    Region,
    TaxId,
    TaxExempt,
    PaymentTermsDays,
}
