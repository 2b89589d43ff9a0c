//! `refunds`: money given back on a payment (through the processor for processor payments).

use ids::{CustomerId, InvoiceId, PaymentId, RefundId, UserId};
use sea_orm::entity::prelude::*;

/// Where a refund is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum RefundStatus {
    /// Committed, the processor not answered yet (its amount is reserved on the payment).
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Given back.
    #[sea_orm(string_value = "succeeded")]
    Succeeded,
    /// Refused by the processor (the amount is released).
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// A refund.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refunds")]
pub struct Model {
    /// UUIDv7, exposed as `rfd_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: RefundId,
    /// The payment refunded.
    pub payment_id: PaymentId,
    /// Its invoice.
    pub invoice_id: InvoiceId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Where it is.
    pub status: RefundStatus,
    /// Sent to the processor.
    pub idempotency_key: String,
    /// The caller's idempotency key (`refundPayment(idempotencyKey)`): the same key answers
    /// this refund again.
    pub request_key: Option<String>,
    /// The processor's refund object.
    pub processor_refund: Option<String>,
    /// Why, for people.
    pub reason: Option<String>,
    /// Why the processor refused it.
    pub failure_message: Option<String>,
    /// Staff who refunded.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
