//! Subscriptions get an **automatic payment** switch (ChargeOver's billing package asks for it):
//! on, automatic collection charges the customer's default payment method for the
//! subscription's invoices, as before; off, they wait to be paid by transfer or by the customer
//! (no off-session charge and no retries), until staff turn it back on. Existing subscriptions
//! keep collecting automatically.
//!
//! Invoices get the subscription whose switch governs them (`collection_subscription_id`):
//! not only the period invoices, which name their subscription already, but also the invoices
//! that bill no period (a license added with immediate billing, the last invoice of a
//! cancellation, charges invoiced now on a subscription), which do not. Period invoices are
//! backfilled; older invoices of the other kinds cannot be traced and stay collected
//! automatically, as they were.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Subscriptions::Table)
                    .add_column(boolean(Subscriptions::AutomaticPayment).default(true))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .add_column(uuid_null(Invoices::CollectionSubscriptionId))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Invoices::Table)
                    .value(
                        Invoices::CollectionSubscriptionId,
                        Expr::col(Invoices::SubscriptionId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .drop_column(Invoices::CollectionSubscriptionId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Subscriptions::Table)
                    .drop_column(Subscriptions::AutomaticPayment)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    AutomaticPayment,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    SubscriptionId,
    CollectionSubscriptionId,
}
