//! Stripe's webhook events, each recorded once by its id (the primary key) in the transaction
//! that applies it: a replayed delivery finds its id and changes nothing. Also makes a
//! processor's payment method unique per processor, so a SetupIntent recorded both by the
//! portal's return page and by its webhook is one method.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StripeEvents::Table)
                    .col(string_len(StripeEvents::Id, 255).primary_key())
                    .col(string_len(StripeEvents::Kind, 100))
                    .col(string_len(StripeEvents::Object, 255))
                    .col(timestamp_with_time_zone(StripeEvents::ReceivedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_payment_methods_processor_method")
                    .table(PaymentMethods::Table)
                    .col(PaymentMethods::Processor)
                    .col(PaymentMethods::ProcessorMethod)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_payment_methods_processor_method")
                    .table(PaymentMethods::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(StripeEvents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum StripeEvents {
    Table,
    Id,
    Kind,
    Object,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum PaymentMethods {
    Table,
    Processor,
    ProcessorMethod,
}
