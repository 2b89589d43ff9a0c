//! GraphQL types of credits: ledger entries and credit notes.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use entity::credit_entry::{self, CreditEntryKind as StoredKind};

use crate::graphql::context::ContextExt;
use crate::graphql::money::Money;
use crate::services::catalog;
use crate::services::credits::StoredCreditNote;

/// Why a credit balance changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum CreditEntryKind {
    /// Staff added credit.
    TopUp,
    /// Staff corrected the balance.
    Adjustment,
    /// Unused days of removed licenses.
    LicenseRemoval,
    /// Unused time of a subscription item removed or reduced, or of a subscription cancelled
    /// now (when its price credits removals).
    UnusedTime,
    /// A credit note's amount not taken off its invoice.
    CreditNote,
    /// Credit applied to a new invoice.
    Invoice,
}

impl From<CreditEntryKind> for StoredKind {
    fn from(kind: CreditEntryKind) -> Self {
        match kind {
            CreditEntryKind::TopUp => StoredKind::TopUp,
            CreditEntryKind::Adjustment => StoredKind::Adjustment,
            CreditEntryKind::LicenseRemoval => StoredKind::LicenseRemoval,
            CreditEntryKind::UnusedTime => StoredKind::UnusedTime,
            CreditEntryKind::CreditNote => StoredKind::CreditNote,
            CreditEntryKind::Invoice => StoredKind::Invoice,
        }
    }
}

impl From<StoredKind> for CreditEntryKind {
    fn from(kind: StoredKind) -> Self {
        match kind {
            StoredKind::TopUp => CreditEntryKind::TopUp,
            StoredKind::Adjustment => CreditEntryKind::Adjustment,
            StoredKind::LicenseRemoval => CreditEntryKind::LicenseRemoval,
            StoredKind::UnusedTime => CreditEntryKind::UnusedTime,
            StoredKind::CreditNote => CreditEntryKind::CreditNote,
            StoredKind::Invoice => CreditEntryKind::Invoice,
        }
    }
}

/// One change of the credit balance.
pub struct CreditEntry(pub credit_entry::Model);

impl CreditEntry {
    fn money(&self, minor: i64) -> async_graphql::Result<Money> {
        let currency = catalog::rows::currency(&self.0.currency)?;
        Ok(Money(billing::Money::from_minor(minor, currency)))
    }
}

#[Object]
impl CreditEntry {
    /// Opaque id (`cre_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Why the balance changed.
    async fn kind(&self) -> CreditEntryKind {
        self.0.kind.into()
    }
    /// The change: positive adds credit, negative uses it.
    async fn amount(&self) -> async_graphql::Result<Money> {
        self.money(self.0.amount_minor)
    }
    /// The balance right after this change.
    async fn balance_after(&self) -> async_graphql::Result<Money> {
        self.money(self.0.balance_after_minor)
    }
    /// Text for the ledger, e.g. "Applied to invoice INV-2026-000042".
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The invoice it was applied to or came from (`inv_…`), if any.
    async fn invoice_id(&self) -> Option<ID> {
        self.0.invoice_id.map(ID::from)
    }
    /// The credit note that gave it (`cn_…`), if any.
    async fn credit_note_id(&self) -> Option<ID> {
        self.0.credit_note_id.map(ID::from)
    }
    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A credit note: a correction of a finalised invoice, numbered in its own gapless sequence.
pub struct CreditNote(pub StoredCreditNote);

#[Object]
impl CreditNote {
    /// Opaque id (`cn_…`).
    async fn id(&self) -> ID {
        self.0.row.id.into()
    }
    /// Gapless number, e.g. `CN-2026-000001`.
    async fn number(&self) -> &str {
        &self.0.row.number
    }
    /// Where its PDF is downloaded (`/credit-notes/cn_….pdf`, relative to the API's address),
    /// with the same credentials.
    async fn pdf_url(&self) -> String {
        format!("/credit-notes/{}.pdf", self.0.row.id)
    }
    /// The e-mails that carried it to the customer, oldest first.
    async fn emails(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::mail::Email>> {
        let messages = ctx
            .services()
            .mail
            .messages_about(
                ctx.actor(),
                crate::services::mail::Document::CreditNote(self.0.row.id),
            )
            .await?;
        Ok(messages
            .into_iter()
            .map(crate::graphql::mail::Email)
            .collect())
    }
    /// The invoice it corrects (`inv_…`).
    async fn invoice_id(&self) -> ID {
        self.0.row.invoice_id.into()
    }
    /// Why it was issued.
    async fn reason(&self) -> &str {
        &self.0.row.reason
    }
    /// Its date.
    async fn issue_date(&self) -> NaiveDate {
        self.0.row.issue_date
    }
    /// What it credits, line by line of the invoice.
    async fn lines(&self) -> Vec<CreditNoteLine> {
        self.0
            .lines
            .iter()
            .map(|l| CreditNoteLine {
                description: l.description.clone(),
                amount: Money(self.0.money(l.amount_minor)),
                tax: Money(self.0.money(l.tax_minor)),
                tax_rate: l.tax_rate.clone(),
            })
            .collect()
    }
    /// Credited amounts before tax.
    async fn subtotal(&self) -> Money {
        Money(self.0.money(self.0.row.subtotal_minor))
    }
    /// Credited tax.
    async fn tax(&self) -> Money {
        Money(self.0.money(self.0.row.tax_minor))
    }
    /// Subtotal + tax.
    async fn total(&self) -> Money {
        Money(self.0.money(self.0.row.total_minor))
    }
    /// Part of the total taken off the invoice's amount due.
    async fn applied_to_invoice(&self) -> Money {
        Money(self.0.money(self.0.row.applied_to_invoice_minor))
    }
    /// Part of the total added to the credit balance.
    async fn credited_to_balance(&self) -> Money {
        Money(self.0.money(self.0.row.credited_to_balance_minor))
    }
}

/// A credited part of one invoice line.
#[derive(async_graphql::SimpleObject)]
pub struct CreditNoteLine {
    /// The invoice line's text.
    pub description: String,
    /// Credited before tax (negative when a whole credit gives a discount back).
    pub amount: Money,
    /// Credited tax.
    pub tax: Money,
    /// The invoice line's tax rate in percent, exact decimal text; null when untaxed.
    pub tax_rate: Option<String>,
}
