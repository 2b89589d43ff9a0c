//! A processor's refund is recorded once: refunds made in Stripe's dashboard are recorded when
//! `charge.refunded` reports them, keyed by Stripe's refund id, so a replayed or second event
//! about the same refund inserts nothing. Our own refunds without an answer yet have no
//! processor id (NULLs do not collide on SQLite or PostgreSQL).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "ux_refunds_processor_refund";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Alias::new("refunds"))
                    .col(Alias::new("processor_refund"))
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Alias::new("refunds"))
                    .to_owned(),
            )
            .await
    }
}
