//! `sandbox_payment_methods`: the sandbox processor's own record of an attached method: how it
//! behaves (decided by the test number it was attached with, which is not kept) and what a
//! person recognises.

use sea_orm::entity::prelude::*;

/// A sandbox payment method.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_payment_methods")]
pub struct Model {
    /// `sbx_pm_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `sbx_cus_…`.
    pub customer: String,
    /// `card` or `sepa_debit`.
    pub kind: String,
    /// What charges do: `succeed`, `decline`, `insufficient_funds`, `authenticate`,
    /// `sepa_succeed`, `sepa_fail`.
    pub behaviour: String,
    /// Card brand.
    pub brand: Option<String>,
    /// Last four digits or characters.
    pub last4: String,
    /// Card expiry month.
    pub exp_month: Option<i32>,
    /// Card expiry year.
    pub exp_year: Option<i32>,
    /// Detached from its customer: no longer chargeable.
    pub detached: bool,
    /// When attached.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
