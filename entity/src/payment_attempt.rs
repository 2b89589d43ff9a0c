//! `payment_attempts`: one attempt to collect an invoice through the processor. The row (with
//! the idempotency key the processor sees) is committed before the processor is called, and
//! its outcome after: a `pending` row whose lease ran out is an attempt whose outcome we never
//! recorded, resumed with the same key.

use ids::{CustomerId, InvoiceId, PaymentAttemptId, PaymentMethodId, UserId};
use sea_orm::entity::prelude::*;

/// Where an attempt is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum AttemptStatus {
    /// Committed; the processor's answer is not recorded yet.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Accepted by the processor, settles later (SEPA Direct Debit).
    #[sea_orm(string_value = "processing")]
    Processing,
    /// Waiting for the customer to authenticate the payment.
    #[sea_orm(string_value = "requires_action")]
    RequiresAction,
    /// Money collected.
    #[sea_orm(string_value = "succeeded")]
    Succeeded,
    /// Refused (`failure_code`, `failure_message`).
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// A payment attempt.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_attempts")]
pub struct Model {
    /// UUIDv7, exposed as `patt_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: PaymentAttemptId,
    /// The invoice collected.
    pub invoice_id: InvoiceId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// 1, 2, … per invoice.
    pub number: i32,
    /// Sent to the processor: derived from the invoice and the number, so a retry of this
    /// attempt is recognised there.
    pub idempotency_key: String,
    /// The caller's own idempotency key, when one was given.
    pub request_key: Option<String>,
    /// The method charged (none once removed).
    pub payment_method_id: Option<PaymentMethodId>,
    /// The method as a person reads it (`Visa •••• 4242`).
    pub method_label: String,
    /// The processor's customer object charged.
    pub processor_customer: String,
    /// The processor's payment method object charged.
    pub processor_method: String,
    /// Amount asked, in minor units.
    pub amount_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Automatic collection (customer not present) rather than the customer paying now.
    pub off_session: bool,
    /// Where it is.
    pub status: AttemptStatus,
    /// The processor's payment object, once it answered.
    pub processor_payment: Option<String>,
    /// Stable code of a refusal (`card_declined`…).
    pub failure_code: Option<String>,
    /// A refusal as a person understands it.
    pub failure_message: Option<String>,
    /// While pending: until when the caller that wrote it owns the call.
    pub lease_until: Option<DateTimeUtc>,
    /// The user who asked (none for automatic collection).
    pub created_by: Option<UserId>,
    /// When it was written.
    pub created_at: DateTimeUtc,
    /// When it last changed.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
