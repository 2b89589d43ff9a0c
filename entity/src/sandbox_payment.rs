//! `sandbox_payments`: the sandbox processor's payments, one per idempotency key (as Stripe
//! answers the same key with the same payment), with how often the key was sent.

use sea_orm::entity::prelude::*;

/// A sandbox payment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_payments")]
pub struct Model {
    /// `sbx_pi_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The key it was created with; unique.
    pub idempotency_key: String,
    /// `sbx_pm_…` charged.
    pub method: String,
    /// Minor units.
    pub amount_minor: i64,
    /// ISO 4217.
    pub currency: String,
    /// Charged without the customer present.
    pub off_session: bool,
    /// `succeeded`, `processing`, `requires_action`, `failed`.
    pub status: String,
    /// Refusal code.
    pub failure_code: Option<String>,
    /// Refusal message.
    pub failure_message: Option<String>,
    /// When a processing payment settles (at the next tick after it).
    pub settle_at: Option<DateTimeUtc>,
    /// How many requests carried its idempotency key.
    pub requests: i32,
    /// Refunded so far.
    pub refunded_minor: i64,
    /// When created.
    pub created_at: DateTimeUtc,
    /// When it last changed.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
