//! Payments: the organisation's payment methods (a processor's opaque references plus what a
//! person recognises: brand, last four, expiry; never a card number or IBAN), the attempts to
//! collect an invoice (each committed before the processor is called, with the idempotency key
//! the processor sees), the payments received (processor or offline), their refunds, and each
//! open invoice's collection state (failed automatic attempts, when the next one is due).
//!
//! The sandbox processor keeps its own tables (`sandbox_*`), as a processor would keep them on
//! its side: our tables refer to its objects only by their opaque ids.

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
                    .table(PaymentMethods::Table)
                    .col(pk_uuid(PaymentMethods::Id))
                    .col(uuid(PaymentMethods::CustomerId))
                    .col(string_len(PaymentMethods::Kind, 16))
                    .col(string_len(PaymentMethods::Processor, 16))
                    .col(string_len(PaymentMethods::ProcessorCustomer, 100))
                    .col(string_len(PaymentMethods::ProcessorMethod, 100))
                    .col(string_len_null(PaymentMethods::Brand, 32))
                    .col(string_len(PaymentMethods::Last4, 4))
                    .col(integer_null(PaymentMethods::ExpMonth))
                    .col(integer_null(PaymentMethods::ExpYear))
                    .col(string_len_null(PaymentMethods::HolderName, 200))
                    .col(boolean(PaymentMethods::IsDefault).default(false))
                    .col(timestamp_with_time_zone(PaymentMethods::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payment_methods_customer")
                            .from(PaymentMethods::Table, PaymentMethods::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_payment_methods_customer")
                    .table(PaymentMethods::Table)
                    .col(PaymentMethods::CustomerId)
                    .col(PaymentMethods::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PaymentAttempts::Table)
                    .col(pk_uuid(PaymentAttempts::Id))
                    .col(uuid(PaymentAttempts::InvoiceId))
                    .col(uuid(PaymentAttempts::CustomerId))
                    .col(integer(PaymentAttempts::Number))
                    .col(string_len(PaymentAttempts::IdempotencyKey, 120))
                    .col(string_len_null(PaymentAttempts::RequestKey, 200))
                    .col(uuid_null(PaymentAttempts::PaymentMethodId))
                    .col(string_len(PaymentAttempts::MethodLabel, 100))
                    .col(string_len(PaymentAttempts::ProcessorCustomer, 100))
                    .col(string_len(PaymentAttempts::ProcessorMethod, 100))
                    .col(big_integer(PaymentAttempts::AmountMinor))
                    .col(string_len(PaymentAttempts::Currency, 3))
                    .col(boolean(PaymentAttempts::OffSession))
                    .col(string_len(PaymentAttempts::Status, 24))
                    .col(string_len_null(PaymentAttempts::ProcessorPayment, 100))
                    .col(string_len_null(PaymentAttempts::FailureCode, 64))
                    .col(string_len_null(PaymentAttempts::FailureMessage, 300))
                    .col(timestamp_with_time_zone_null(PaymentAttempts::LeaseUntil))
                    .col(uuid_null(PaymentAttempts::CreatedBy))
                    .col(timestamp_with_time_zone(PaymentAttempts::CreatedAt))
                    .col(timestamp_with_time_zone(PaymentAttempts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payment_attempts_customer")
                            .from(PaymentAttempts::Table, PaymentAttempts::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payment_attempts_invoice")
                            .from(PaymentAttempts::Table, PaymentAttempts::InvoiceId)
                            .to(Invoices::Table, Invoices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ux_payment_attempts_number",
                vec![PaymentAttempts::InvoiceId, PaymentAttempts::Number],
            ),
            (
                "ux_payment_attempts_key",
                vec![PaymentAttempts::IdempotencyKey],
            ),
            (
                "ux_payment_attempts_request",
                vec![PaymentAttempts::InvoiceId, PaymentAttempts::RequestKey],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(PaymentAttempts::Table).unique();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_payment_attempts_status")
                    .table(PaymentAttempts::Table)
                    .col(PaymentAttempts::Status)
                    .col(PaymentAttempts::UpdatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .col(pk_uuid(Payments::Id))
                    .col(uuid(Payments::InvoiceId))
                    .col(uuid(Payments::CustomerId))
                    .col(uuid_null(Payments::AttemptId).unique_key())
                    .col(string_len(Payments::Kind, 16))
                    .col(big_integer(Payments::AmountMinor))
                    .col(big_integer(Payments::RefundedMinor).default(0))
                    .col(string_len(Payments::Currency, 3))
                    .col(string_len_null(Payments::ProcessorPayment, 100))
                    .col(string_len(Payments::MethodText, 200))
                    .col(string_len_null(Payments::Reference, 200))
                    .col(string_len_null(Payments::RequestKey, 200).unique_key())
                    .col(uuid_null(Payments::RecordedBy))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payments_customer")
                            .from(Payments::Table, Payments::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payments_invoice")
                            .from(Payments::Table, Payments::InvoiceId)
                            .to(Invoices::Table, Invoices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_payments_invoice")
                    .table(Payments::Table)
                    .col(Payments::InvoiceId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Refunds::Table)
                    .col(pk_uuid(Refunds::Id))
                    .col(uuid(Refunds::PaymentId))
                    .col(uuid(Refunds::InvoiceId))
                    .col(uuid(Refunds::CustomerId))
                    .col(big_integer(Refunds::AmountMinor))
                    .col(string_len(Refunds::Currency, 3))
                    .col(string_len(Refunds::Status, 16))
                    .col(string_len(Refunds::IdempotencyKey, 120).unique_key())
                    .col(string_len_null(Refunds::RequestKey, 200))
                    .col(string_len_null(Refunds::ProcessorRefund, 100))
                    .col(string_len_null(Refunds::Reason, 500))
                    .col(string_len_null(Refunds::FailureMessage, 300))
                    .col(uuid_null(Refunds::CreatedBy))
                    .col(timestamp_with_time_zone(Refunds::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refunds_payment")
                            .from(Refunds::Table, Refunds::PaymentId)
                            .to(Payments::Table, Payments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A caller's idempotency key names one refund of a payment.
        manager
            .create_index(
                Index::create()
                    .name("ux_refunds_request_key")
                    .table(Refunds::Table)
                    .col(Refunds::PaymentId)
                    .col(Refunds::RequestKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InvoiceCollections::Table)
                    .col(pk_uuid(InvoiceCollections::InvoiceId))
                    .col(uuid(InvoiceCollections::CustomerId))
                    .col(integer(InvoiceCollections::Failures))
                    .col(string_len(InvoiceCollections::State, 16))
                    .col(timestamp_with_time_zone(InvoiceCollections::NextAttemptAt))
                    .col(string_len_null(InvoiceCollections::LastFailure, 300))
                    .col(timestamp_with_time_zone(InvoiceCollections::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invoice_collections_invoice")
                            .from(InvoiceCollections::Table, InvoiceCollections::InvoiceId)
                            .to(Invoices::Table, Invoices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invoice_collections_due")
                    .table(InvoiceCollections::Table)
                    .col(InvoiceCollections::State)
                    .col(InvoiceCollections::NextAttemptAt)
                    .col(InvoiceCollections::InvoiceId)
                    .to_owned(),
            )
            .await?;

        // The sandbox processor's side.
        manager
            .create_table(
                Table::create()
                    .table(SandboxPaymentMethods::Table)
                    .col(string_len(SandboxPaymentMethods::Id, 64).primary_key())
                    .col(string_len(SandboxPaymentMethods::Customer, 64))
                    .col(string_len(SandboxPaymentMethods::Kind, 16))
                    .col(string_len(SandboxPaymentMethods::Behaviour, 32))
                    .col(string_len_null(SandboxPaymentMethods::Brand, 32))
                    .col(string_len(SandboxPaymentMethods::Last4, 4))
                    .col(integer_null(SandboxPaymentMethods::ExpMonth))
                    .col(integer_null(SandboxPaymentMethods::ExpYear))
                    .col(boolean(SandboxPaymentMethods::Detached).default(false))
                    .col(timestamp_with_time_zone(SandboxPaymentMethods::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SandboxPayments::Table)
                    .col(string_len(SandboxPayments::Id, 64).primary_key())
                    .col(string_len(SandboxPayments::IdempotencyKey, 200).unique_key())
                    .col(string_len(SandboxPayments::Method, 64))
                    .col(big_integer(SandboxPayments::AmountMinor))
                    .col(string_len(SandboxPayments::Currency, 3))
                    .col(boolean(SandboxPayments::OffSession))
                    .col(string_len(SandboxPayments::Status, 24))
                    .col(string_len_null(SandboxPayments::FailureCode, 64))
                    .col(string_len_null(SandboxPayments::FailureMessage, 300))
                    .col(timestamp_with_time_zone_null(SandboxPayments::SettleAt))
                    .col(integer(SandboxPayments::Requests))
                    .col(big_integer(SandboxPayments::RefundedMinor).default(0))
                    .col(timestamp_with_time_zone(SandboxPayments::CreatedAt))
                    .col(timestamp_with_time_zone(SandboxPayments::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SandboxRefunds::Table)
                    .col(string_len(SandboxRefunds::Id, 64).primary_key())
                    .col(string_len(SandboxRefunds::Payment, 64))
                    .col(string_len(SandboxRefunds::IdempotencyKey, 200).unique_key())
                    .col(big_integer(SandboxRefunds::AmountMinor))
                    .col(integer(SandboxRefunds::Requests))
                    .col(timestamp_with_time_zone(SandboxRefunds::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SandboxRefunds::Table.into_iden(),
            SandboxPayments::Table.into_iden(),
            SandboxPaymentMethods::Table.into_iden(),
            InvoiceCollections::Table.into_iden(),
            Refunds::Table.into_iden(),
            Payments::Table.into_iden(),
            PaymentAttempts::Table.into_iden(),
            PaymentMethods::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PaymentMethods {
    Table,
    Id,
    CustomerId,
    Kind,
    Processor,
    ProcessorCustomer,
    ProcessorMethod,
    Brand,
    Last4,
    ExpMonth,
    ExpYear,
    HolderName,
    IsDefault,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PaymentAttempts {
    Table,
    Id,
    InvoiceId,
    CustomerId,
    Number,
    IdempotencyKey,
    RequestKey,
    PaymentMethodId,
    MethodLabel,
    ProcessorCustomer,
    ProcessorMethod,
    AmountMinor,
    Currency,
    OffSession,
    Status,
    ProcessorPayment,
    FailureCode,
    FailureMessage,
    LeaseUntil,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    InvoiceId,
    CustomerId,
    AttemptId,
    Kind,
    AmountMinor,
    RefundedMinor,
    Currency,
    ProcessorPayment,
    MethodText,
    Reference,
    RequestKey,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Refunds {
    Table,
    Id,
    PaymentId,
    InvoiceId,
    CustomerId,
    AmountMinor,
    Currency,
    Status,
    IdempotencyKey,
    RequestKey,
    ProcessorRefund,
    Reason,
    FailureMessage,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InvoiceCollections {
    Table,
    InvoiceId,
    CustomerId,
    Failures,
    State,
    NextAttemptAt,
    LastFailure,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SandboxPaymentMethods {
    Table,
    Id,
    Customer,
    Kind,
    Behaviour,
    Brand,
    Last4,
    ExpMonth,
    ExpYear,
    Detached,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SandboxPayments {
    Table,
    Id,
    IdempotencyKey,
    Method,
    AmountMinor,
    Currency,
    OffSession,
    Status,
    FailureCode,
    FailureMessage,
    SettleAt,
    Requests,
    RefundedMinor,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SandboxRefunds {
    Table,
    Id,
    Payment,
    IdempotencyKey,
    AmountMinor,
    Requests,
    CreatedAt,
}
