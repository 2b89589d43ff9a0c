//! `payments`: money received for an invoice, through the processor (from a succeeded attempt)
//! or recorded by staff (a bank transfer, a cheque), with what was refunded of it.

use ids::{CustomerId, InvoiceId, PaymentAttemptId, PaymentId, UserId};
use sea_orm::entity::prelude::*;

/// How the money came.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PaymentKind {
    /// Collected by the processor.
    #[sea_orm(string_value = "processor")]
    Processor,
    /// Recorded by staff.
    #[sea_orm(string_value = "offline")]
    Offline,
}

/// A payment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    /// UUIDv7, exposed as `pay_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: PaymentId,
    /// The invoice paid.
    pub invoice_id: InvoiceId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// The attempt that collected it (processor payments).
    pub attempt_id: Option<PaymentAttemptId>,
    /// Processor or offline.
    pub kind: PaymentKind,
    /// Amount received, minor units.
    pub amount_minor: i64,
    /// Given back so far, minor units.
    pub refunded_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// The processor's payment object (processor payments).
    pub processor_payment: Option<String>,
    /// How it was paid, for people (`Visa •••• 4242`, `Bank transfer`).
    pub method_text: String,
    /// A reference given by staff (a transfer's reference).
    pub reference: Option<String>,
    /// The caller's idempotency key for a recorded payment.
    pub request_key: Option<String>,
    /// Staff who recorded it (offline payments).
    pub recorded_by: Option<UserId>,
    /// When it was received.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
