//! `credit_note_lines`: what a credit note credits, line by line of its invoice.

use ids::{CreditNoteId, CreditNoteLineId, CustomerId, InvoiceLineId};
use sea_orm::entity::prelude::*;

/// A credited part of one invoice line.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_note_lines")]
pub struct Model {
    /// UUIDv7, exposed as `cnl_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: CreditNoteLineId,
    /// The credit note.
    pub credit_note_id: CreditNoteId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// The invoice line credited.
    pub invoice_line_id: InvoiceLineId,
    /// Order on the credit note, from 0.
    pub position: i32,
    /// The invoice line's text.
    pub description: String,
    /// Credited amount before tax, minor units (positive; negative for a discount line given back).
    pub amount_minor: i64,
    /// Credited tax, minor units.
    pub tax_minor: i64,
    /// The invoice line's tax rate, percent as exact text.
    pub tax_rate: Option<String>,
}

/// Credit note lines have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
