//! Billfold's schema migrations. One change per file, named for the change; the same migrations
//! run on SQLite and PostgreSQL (only portable column types: uuid, text, integer/bigint,
//! boolean, timestamptz, json).

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_create_customers;
mod m20261121_000002_create_users;
mod m20261121_000003_create_teams;
mod m20261121_000004_create_members;
mod m20261121_000005_create_audit_log;
mod m20261121_000006_create_idempotency_keys;

/// Runs every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_customers::Migration),
            Box::new(m20261121_000002_create_users::Migration),
            Box::new(m20261121_000003_create_teams::Migration),
            Box::new(m20261121_000004_create_members::Migration),
            Box::new(m20261121_000005_create_audit_log::Migration),
            Box::new(m20261121_000006_create_idempotency_keys::Migration),
        ]
    }
}
