//! `payment_methods`: a customer's card or SEPA Direct Debit account as the processor holds it.
//! We keep the processor's opaque references and what a person recognises (brand, last four,
//! expiry, holder); never a card number, CVC or full IBAN.

use ids::{CustomerId, PaymentMethodId};
use sea_orm::entity::prelude::*;

/// What kind of payment method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum MethodKind {
    /// A payment card.
    #[sea_orm(string_value = "card")]
    Card,
    /// A SEPA Direct Debit mandate on a bank account.
    #[sea_orm(string_value = "sepa_debit")]
    SepaDebit,
}

/// A payment method.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_methods")]
pub struct Model {
    /// UUIDv7, exposed as `pm_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: PaymentMethodId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// Card or SEPA debit.
    pub kind: MethodKind,
    /// Which processor holds it (`sandbox`, `stripe`).
    pub processor: String,
    /// The processor's customer object (opaque).
    pub processor_customer: String,
    /// The processor's payment method object (opaque).
    pub processor_method: String,
    /// Card brand (`visa`…); none for a bank account.
    pub brand: Option<String>,
    /// Last four digits of the card or characters of the IBAN.
    pub last4: String,
    /// Card expiry month (1–12).
    pub exp_month: Option<i32>,
    /// Card expiry year (four digits).
    pub exp_year: Option<i32>,
    /// Account holder of a bank account.
    pub holder_name: Option<String>,
    /// The one method automatic collection charges.
    pub is_default: bool,
    /// When it was added.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
