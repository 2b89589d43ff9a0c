//! `credit_notes`: corrections of finalised invoices, numbered in their own gapless sequence.
//! Amounts are integer minor units; the total is split between reducing what the invoice still
//! asks for and the customer's credit balance.

use chrono::NaiveDate;
use ids::{CreditNoteId, CustomerId, InvoiceId, UserId};
use sea_orm::entity::prelude::*;

/// A credit note.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_notes")]
pub struct Model {
    /// UUIDv7, exposed as `cn_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: CreditNoteId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// The invoice it corrects.
    pub invoice_id: InvoiceId,
    /// Gapless number, e.g. `CN-2026-000001`.
    pub number: String,
    /// ISO 4217 code (the invoice's).
    pub currency: String,
    /// Why it was issued, as staff wrote it.
    pub reason: String,
    /// Credited amounts before tax.
    pub subtotal_minor: i64,
    /// Credited tax.
    pub tax_minor: i64,
    /// `subtotal + tax`.
    pub total_minor: i64,
    /// Part of the total that reduced the invoice's amount due.
    pub applied_to_invoice_minor: i64,
    /// Part of the total added to the credit balance.
    pub credited_to_balance_minor: i64,
    /// Staff user who issued it.
    pub created_by: Option<UserId>,
    /// Its date.
    pub issue_date: NaiveDate,
    /// When it was issued.
    pub created_at: DateTimeUtc,
    /// SHA-256 (hex) of the PDF rendered once for this credit note; set once, never changed.
    pub pdf_sha256: Option<String>,
}

/// Credit notes have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
