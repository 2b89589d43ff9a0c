//! `sandbox_refunds`: the sandbox processor's refunds, one per idempotency key.

use sea_orm::entity::prelude::*;

/// A sandbox refund.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_refunds")]
pub struct Model {
    /// `sbx_re_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `sbx_pi_…` refunded.
    pub payment: String,
    /// The key it was created with; unique.
    pub idempotency_key: String,
    /// Minor units.
    pub amount_minor: i64,
    /// How many requests carried its key.
    pub requests: i32,
    /// When created.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
