//! Detailed consumption filters a customer's usage by team, member or number within a date
//! range (`api::services::usage::consumption`). Each filter gets an index on (customer, filter
//! column, from), so a filtered page or aggregate reads only the matching records of the range
//! instead of every record of the customer in it. The item filter already has
//! `ix_usage_records_item_from`; the unfiltered reads use `ix_usage_records_customer_from`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The index and the column it filters on, after `customer_id` and before `from_at`.
const INDEXES: [(&str, &str); 3] = [
    ("ix_usage_records_team_from", "team_id"),
    ("ix_usage_records_member_from", "member_id"),
    ("ix_usage_records_number_from", "number"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, column) in INDEXES {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Alias::new("usage_records"))
                        .col(Alias::new("customer_id"))
                        .col(Alias::new(column))
                        .col(Alias::new("from_at"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(Alias::new("usage_records"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
