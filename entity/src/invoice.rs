//! `invoices`: a customer's invoice for one subscription period, immutable once finalised
//! (`open`). Amounts are integer minor units of `currency`.

use chrono::NaiveDate;
use ids::{BillingRunId, CustomerId, InvoiceId, SubscriptionId};
use sea_orm::entity::prelude::*;

/// Lifecycle of an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum InvoiceStatus {
    /// Being built; no number yet.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// Finalised: numbered, immutable, waiting for payment.
    #[sea_orm(string_value = "open")]
    Open,
    /// Paid in full.
    #[sea_orm(string_value = "paid")]
    Paid,
    /// Cancelled; keeps its number.
    #[sea_orm(string_value = "void")]
    Void,
    /// Given up on.
    #[sea_orm(string_value = "uncollectible")]
    Uncollectible,
}

/// An invoice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    /// UUIDv7, exposed as `inv_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: InvoiceId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// The subscription billed, for period invoices.
    pub subscription_id: Option<SubscriptionId>,
    /// The subscription whose automatic payment switch decides whether collection charges
    /// it: the one it bills, or whose license change, cancellation or charges it invoices;
    /// `None` for charges on the customer alone (always collected automatically).
    pub collection_subscription_id: Option<SubscriptionId>,
    /// Gapless number (`INV-2026-000042`), assigned at finalisation.
    pub number: Option<String>,
    /// Lifecycle status.
    pub status: InvoiceStatus,
    /// ISO 4217 currency of every amount.
    pub currency: String,
    /// First day of the period billed.
    pub period_start: NaiveDate,
    /// First day after the period billed.
    pub period_end: NaiveDate,
    /// The day the invoice was issued.
    pub issue_date: NaiveDate,
    /// The day payment is due.
    pub due_date: NaiveDate,
    /// Sum of the charge lines.
    pub subtotal_minor: i64,
    /// Sum of the discounts (positive).
    pub discount_minor: i64,
    /// Sum of the tax.
    pub tax_minor: i64,
    /// Subtotal − discount + tax.
    pub total_minor: i64,
    /// Taken from the credit balance (positive).
    pub credits_applied_minor: i64,
    /// What the invoice asks for: the total less credits applied and credit notes taken off
    /// it. Payments do not change it: what is still owed is this less `amount_paid_minor`.
    pub amount_due_minor: i64,
    /// What payments settled of the amount due (never more than it; anything above was credited
    /// to the customer's balance). Changed only under the invoice's row lock.
    pub amount_paid_minor: i64,
    /// The customer's billing details as they were at finalisation.
    pub billing_snapshot: Json,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When it was finalised.
    pub finalised_at: Option<DateTimeUtc>,
    /// The customer's purchase order number, printed on the invoice.
    pub po_number: Option<String>,
    /// Free text printed on the invoice.
    pub notes: Option<String>,
    /// SHA-256 (hex) of the PDF rendered once for this invoice and stored under a key that
    /// contains it; set once, never changed (`None` until it is rendered).
    pub pdf_sha256: Option<String>,
    /// The recorded billing run that finalised it; `None` for one-time charges, an unrecorded
    /// run, and invoices from before runs were remembered.
    pub billing_run_id: Option<BillingRunId>,
}

/// Relations of an invoice.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Its lines.
    #[sea_orm(has_many = "super::invoice_line::Entity")]
    Lines,
}

impl Related<super::invoice_line::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lines.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
