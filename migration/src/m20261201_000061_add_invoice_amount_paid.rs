//! What an invoice is still owed has one definition: `amount_due_minor − amount_paid_minor`.
//!
//! `amount_due_minor` stays what the invoice asks for (its total less credits applied and
//! credit notes taken off it); `amount_paid_minor` is what payments settled of it, maintained
//! under the invoice's row lock by the payments service. Before this column, payments lowered
//! nothing on the invoice, so the credit-note, overdue and collection rules, which read the
//! amount due, took a partly paid invoice for an unpaid one.
//!
//! Backfill: what was received for each invoice, capped at its amount due (anything above it
//! was already credited to the customer's balance when it was received).
//!
//! Also: at most one default payment method per customer, held by the database (a partial
//! unique index) rather than only by the service's "clear the others first".

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .add_column(big_integer(Invoices::AmountPaidMinor).default(0))
                    .to_owned(),
            )
            .await?;
        let smaller = match manager.get_database_backend() {
            DbBackend::Sqlite => "MIN",
            _ => "LEAST",
        };
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "UPDATE invoices SET amount_paid_minor = {smaller}(amount_due_minor, \
             CAST(COALESCE((SELECT SUM(p.amount_minor) FROM payments p \
             WHERE p.invoice_id = invoices.id), 0) AS BIGINT))"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_payment_methods_one_default \
             ON payment_methods (customer_id) WHERE is_default",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX ux_payment_methods_one_default")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .drop_column(Invoices::AmountPaidMinor)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    AmountPaidMinor,
}
