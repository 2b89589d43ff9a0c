//! `credit_entries`: the ledger of a customer's credit balance. Each entry is one change, signed
//! (a top-up is positive, credit applied to an invoice negative), with the balance after it.

use ids::{CreditEntryId, CreditNoteId, CustomerId, InvoiceId, QuoteId, UserId};
use sea_orm::entity::prelude::*;

/// Why the balance changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CreditEntryKind {
    /// Staff added credit (a prepayment, a goodwill gesture).
    #[sea_orm(string_value = "top_up")]
    TopUp,
    /// Staff corrected the balance, up or down.
    #[sea_orm(string_value = "adjustment")]
    Adjustment,
    /// Unused days of removed licenses, credited by the price's rule.
    #[sea_orm(string_value = "license_removal")]
    LicenseRemoval,
    /// Unused time of a removed or reduced subscription item, or of a subscription cancelled
    /// now, credited by the price's rule.
    #[sea_orm(string_value = "unused_time")]
    UnusedTime,
    /// A credit note's amount not used to reduce its invoice.
    #[sea_orm(string_value = "credit_note")]
    CreditNote,
    /// Credit applied to a new invoice (negative).
    #[sea_orm(string_value = "invoice")]
    Invoice,
}

/// One change of a credit balance.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_entries")]
pub struct Model {
    /// UUIDv7, exposed as `cre_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: CreditEntryId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// Why.
    pub kind: CreditEntryKind,
    /// The change, minor units, signed.
    pub amount_minor: i64,
    /// The balance right after this change, minor units, never negative.
    pub balance_after_minor: i64,
    /// ISO 4217 code (the customer's currency).
    pub currency: String,
    /// Text shown in the ledger.
    pub description: String,
    /// The invoice it was applied to, if any.
    pub invoice_id: Option<InvoiceId>,
    /// The credit note that gave it, if any.
    pub credit_note_id: Option<CreditNoteId>,
    /// The license quote that gave it, if any.
    pub quote_id: Option<QuoteId>,
    /// Who made the change; `None` for the billing run.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: DateTimeUtc,
}

/// Credit entries have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
