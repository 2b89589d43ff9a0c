//! Lists are paged by `(created_at, id)` (keyset pagination in `api::services::page`): an index
//! on the list's scope followed by that key lets each page read its rows in order instead of
//! sorting all of a tenant's rows.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// For each paged list: the index, its table, and the column that scopes the list (none for
/// lists of everything).
const INDEXES: [(&str, &str, Option<&str>); 7] = [
    ("ix_audit_log_page", "audit_log", Some("customer_id")),
    ("ix_members_page", "members", Some("customer_id")),
    ("ix_users_page", "users", Some("customer_id")),
    ("ix_teams_page", "teams", Some("customer_id")),
    ("ix_licenses_page", "licenses", Some("item_id")),
    ("ix_customers_page", "customers", None),
    ("ix_products_page", "products", None),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, scope) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(Alias::new(table));
            if let Some(scope) = scope {
                index.col(Alias::new(scope));
            }
            index.col(Alias::new("created_at")).col(Alias::new("id"));
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
