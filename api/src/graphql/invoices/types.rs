//! GraphQL types of invoices: finalised invoices, the upcoming invoice, and their lines (one
//! line type for both, so a client reads them alike).

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object};
use billing::LineKind as BillingLineKind;
use chrono::NaiveDate;

use crate::graphql::context::ContextExt;
use crate::graphql::loaders::{AutomaticPayments, InvoiceCollections};
use crate::graphql::money::Money;
use crate::graphql::tax::types::{TaxAmount, taxes};
use entity::invoice;

use crate::services::invoices::{StoredInvoice, upcoming};

/// What an invoice line is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum LineKind {
    /// A recurring item for the period.
    Recurring,
    /// A prorated license change.
    Proration,
    /// Metered or rated usage.
    Usage,
    /// A one-time charge or addon.
    OneOff,
    /// A coupon.
    Discount,
    /// Credit applied from the balance.
    Credit,
}

/// Lifecycle of an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum InvoiceStatus {
    /// Being built; no number yet.
    Draft,
    /// Finalised: numbered, immutable, waiting for payment.
    Open,
    /// Paid in full.
    Paid,
    /// Cancelled; keeps its number.
    Void,
    /// Given up on.
    Uncollectible,
}

impl From<invoice::InvoiceStatus> for InvoiceStatus {
    fn from(status: invoice::InvoiceStatus) -> Self {
        match status {
            invoice::InvoiceStatus::Draft => InvoiceStatus::Draft,
            invoice::InvoiceStatus::Open => InvoiceStatus::Open,
            invoice::InvoiceStatus::Paid => InvoiceStatus::Paid,
            invoice::InvoiceStatus::Void => InvoiceStatus::Void,
            invoice::InvoiceStatus::Uncollectible => InvoiceStatus::Uncollectible,
        }
    }
}

impl From<InvoiceStatus> for invoice::InvoiceStatus {
    fn from(status: InvoiceStatus) -> Self {
        match status {
            InvoiceStatus::Draft => invoice::InvoiceStatus::Draft,
            InvoiceStatus::Open => invoice::InvoiceStatus::Open,
            InvoiceStatus::Paid => invoice::InvoiceStatus::Paid,
            InvoiceStatus::Void => invoice::InvoiceStatus::Void,
            InvoiceStatus::Uncollectible => invoice::InvoiceStatus::Uncollectible,
        }
    }
}

/// A finalised invoice: immutable, numbered without gaps.
pub struct Invoice(pub StoredInvoice);

#[Object]
impl Invoice {
    /// The customer billed (`cus_…`).
    async fn customer_id(&self) -> ID {
        self.0.row.customer_id.into()
    }
    /// The customer's name as invoiced (kept with the invoice: a later rename does not change
    /// it).
    async fn billed_to(&self) -> &str {
        self.0.row.billing_snapshot["name"]
            .as_str()
            .unwrap_or_default()
    }
    /// Opaque id (`inv_…`).
    async fn id(&self) -> ID {
        self.0.row.id.into()
    }
    /// Gapless number, e.g. `INV-2026-000042`; null while a draft.
    async fn number(&self) -> Option<&str> {
        self.0.row.number.as_deref()
    }
    /// Lifecycle status.
    async fn status(&self) -> InvoiceStatus {
        self.0.row.status.into()
    }
    /// The subscription billed (`sub_…`), for period invoices.
    async fn subscription_id(&self) -> Option<ID> {
        self.0.row.subscription_id.map(ID::from)
    }
    /// The day it was issued.
    async fn issue_date(&self) -> NaiveDate {
        self.0.row.issue_date
    }
    /// The day payment is due.
    async fn due_date(&self) -> NaiveDate {
        self.0.row.due_date
    }
    /// Whole days since the due day by the server's clock (UTC) while something is still
    /// owed; 0 when not yet due, paid, void or uncollectible.
    async fn days_past_due(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let owed = self.0.row.status == invoice::InvoiceStatus::Open
            && crate::services::invoices::owed::owed_minor(&self.0.row)? > 0;
        let today = ctx.services().clock.now().date_naive();
        Ok(if owed {
            (today - self.0.row.due_date).num_days().max(0)
        } else {
            0
        })
    }
    /// First day of the period billed.
    async fn period_start(&self) -> NaiveDate {
        self.0.row.period_start
    }
    /// The customer's purchase order number, when one was given.
    async fn po_number(&self) -> Option<&str> {
        self.0.row.po_number.as_deref()
    }
    /// Free text printed on the invoice, when some was given.
    async fn notes(&self) -> Option<&str> {
        self.0.row.notes.as_deref()
    }
    /// First day after the period billed.
    async fn period_end(&self) -> NaiveDate {
        self.0.row.period_end
    }
    /// The lines, charges first.
    async fn lines(&self) -> Vec<InvoiceLine> {
        self.0.lines.iter().cloned().map(InvoiceLine).collect()
    }
    /// Where its PDF is downloaded (`/invoices/inv_….pdf`, relative to the API's address),
    /// with the same credentials: the document first issued, byte for byte.
    async fn pdf_url(&self) -> String {
        format!("/invoices/{}.pdf", self.0.row.id)
    }
    /// The e-mails that carried it (when issued, copies asked for), oldest first.
    async fn emails(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::mail::Email>> {
        let messages = ctx
            .services()
            .mail
            .messages_about(
                ctx.actor(),
                crate::services::mail::Document::Invoice(self.0.row.id),
            )
            .await?;
        Ok(messages
            .into_iter()
            .map(crate::graphql::mail::Email)
            .collect())
    }
    /// Its payments: attempts through the processor, money received, refunds, what it still
    /// asks for, and its automatic collection (the payments slice).
    async fn payment_history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::graphql::payments::types::InvoicePaymentHistory> {
        let history = ctx
            .services()
            .payments
            .of_invoice(ctx.actor(), self.0.row.id)
            .await?;
        Ok(crate::graphql::payments::types::InvoicePaymentHistory(
            history,
            self.0.row.currency.clone(),
        ))
    }
    /// The automatic collection's retries (as `paymentHistory.dunning`, without the rest of
    /// the history): null while no automatic attempt failed. A list of invoices reads it in
    /// one query.
    async fn dunning(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::payments::types::Dunning>> {
        Ok(ctx
            .data::<DataLoader<InvoiceCollections>>()?
            .load_one(self.0.row.id)
            .await?
            .map(crate::graphql::payments::types::Dunning))
    }
    /// Whether automatic collection charges it to the customer's default payment method:
    /// false when its subscription (the one it bills, or whose license change, cancellation
    /// or charges it invoices) has automatic payment off; it then waits to be paid by
    /// transfer, in the portal, or by staff's "Retry now". Read in one query for a list of
    /// invoices.
    async fn automatic_payment(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let Some(subscription) = self.0.row.collection_subscription_id else {
            return Ok(true);
        };
        Ok(ctx
            .data::<DataLoader<AutomaticPayments>>()?
            .load_one(subscription)
            .await?
            .unwrap_or(true))
    }
    /// Sum of the charge lines.
    async fn subtotal(&self) -> Money {
        Money(self.0.money(self.0.row.subtotal_minor))
    }
    /// Sum of the discounts.
    async fn discount(&self) -> Money {
        Money(self.0.money(self.0.row.discount_minor))
    }
    /// Sum of the lines' tax.
    async fn tax(&self) -> Money {
        Money(self.0.money(self.0.row.tax_minor))
    }
    /// The address the invoice was issued to: the customer's default billing address when it
    /// was finalised; null when the customer had none.
    async fn billing_address(&self) -> Option<crate::graphql::accounts::PostalAddress> {
        crate::graphql::accounts::PostalAddress::from_snapshot(&self.0.row.billing_snapshot)
    }
    /// The tax by rate, lowest rate first, named as when the invoice was finalised.
    async fn taxes(&self) -> async_graphql::Result<Vec<TaxAmount>> {
        let names = self
            .0
            .row
            .billing_snapshot
            .get("tax_names")
            .and_then(|n| serde_json::from_value(n.clone()).ok())
            .unwrap_or_default();
        taxes(self.0.currency, &self.0.lines, &names)
    }
    /// Subtotal − discount + tax.
    async fn total(&self) -> Money {
        Money(self.0.money(self.0.row.total_minor))
    }
    /// Credit balance used.
    async fn credits_applied(&self) -> Money {
        Money(self.0.money(self.0.row.credits_applied_minor))
    }
    /// What the invoice asks the customer to pay: the total less credits applied and credit
    /// notes taken off it. Payments do not change it; see `amountPaid` and `amountRemaining`.
    async fn amount_due(&self) -> Money {
        Money(self.0.money(self.0.row.amount_due_minor))
    }
    /// What payments settled of the amount due (partial payments included; anything paid
    /// above it went to the credit balance).
    async fn amount_paid(&self) -> Money {
        Money(self.0.money(self.0.row.amount_paid_minor))
    }
    /// What is still owed now: the amount due less what was paid while the invoice is open or
    /// uncollectible, nothing once it is paid or void.
    async fn amount_remaining(&self) -> async_graphql::Result<Money> {
        use entity::invoice::InvoiceStatus as Status;
        let owed = match self.0.row.status {
            Status::Open | Status::Uncollectible => {
                crate::services::invoices::owed::owed_minor(&self.0.row)?
            }
            Status::Draft | Status::Paid | Status::Void => 0,
        };
        Ok(Money(self.0.money(owed)))
    }
    /// Credit notes correcting this invoice, oldest first (read with the invoice: no query per
    /// invoice of a history page).
    async fn credit_notes(&self) -> Vec<crate::graphql::credits::CreditNote> {
        self.0
            .credit_notes
            .iter()
            .cloned()
            .map(crate::graphql::credits::CreditNote)
            .collect()
    }
}

/// The next invoice of a subscription.
pub struct UpcomingInvoice(pub upcoming::UpcomingInvoice);

#[Object]
impl UpcomingInvoice {
    /// The subscription (`sub_…`).
    async fn subscription_id(&self) -> ID {
        self.0.subscription.id.into()
    }
    /// When the invoice will be built (and charged, with `automaticPayment`).
    async fn invoice_date(&self) -> NaiveDate {
        self.0.invoice_date
    }
    /// Whether the invoice will be charged to the default payment method when it is built
    /// (the subscription's automatic payment); false: it is to be paid another way.
    async fn automatic_payment(&self) -> bool {
        self.0.subscription.automatic_payment
    }
    /// First day of the period the recurring lines pay for.
    async fn period_start(&self) -> NaiveDate {
        self.0.invoice.period.start()
    }
    /// First day after it.
    async fn period_end(&self) -> NaiveDate {
        self.0.invoice.period.end()
    }
    /// The lines, charges first.
    async fn lines(&self) -> Vec<InvoiceLine> {
        self.0
            .invoice
            .lines
            .iter()
            .cloned()
            .map(InvoiceLine)
            .collect()
    }
    /// Sum of the charge lines.
    async fn subtotal(&self) -> Money {
        Money(self.0.invoice.totals.subtotal)
    }
    /// Sum of the discounts.
    async fn discount(&self) -> Money {
        Money(self.0.invoice.totals.discount)
    }
    /// Sum of the lines' tax.
    async fn tax(&self) -> Money {
        Money(self.0.invoice.totals.tax)
    }
    /// The tax by rate, lowest rate first.
    async fn taxes(&self) -> async_graphql::Result<Vec<TaxAmount>> {
        taxes(
            self.0.invoice.currency,
            &self.0.invoice.lines,
            &self.0.tax_names,
        )
    }
    /// Subtotal − discount + tax.
    async fn total(&self) -> Money {
        Money(self.0.invoice.totals.total)
    }
    /// Credit balance used.
    async fn credits_applied(&self) -> Money {
        Money(self.0.invoice.totals.credits_applied)
    }
    /// What will be charged.
    async fn amount_due(&self) -> Money {
        Money(self.0.invoice.totals.amount_due)
    }
    /// The purchase order number the invoice will carry: the subscription's, else the
    /// customer's.
    async fn po_number(&self) -> Option<&str> {
        self.0.details.po_number.as_deref()
    }
    /// The notes the invoice will carry: the customer's, then the subscription's, separated by
    /// a blank line.
    async fn notes(&self) -> Option<&str> {
        self.0.details.notes.as_deref()
    }
}

/// A line of an invoice.
pub struct InvoiceLine(pub(crate) billing::InvoiceLine);

#[Object]
impl InvoiceLine {
    /// What the line is for.
    async fn kind(&self) -> LineKind {
        match self.0.kind {
            BillingLineKind::Recurring => LineKind::Recurring,
            BillingLineKind::Proration => LineKind::Proration,
            BillingLineKind::Usage => LineKind::Usage,
            BillingLineKind::OneOff => LineKind::OneOff,
            BillingLineKind::Discount => LineKind::Discount,
            BillingLineKind::Credit => LineKind::Credit,
        }
    }
    /// Text as the customer reads it, e.g. "1 ADVANCED license at €61.87 for 29 days".
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Quantity, exact decimal text.
    async fn quantity(&self) -> String {
        self.0.quantity.to_string()
    }
    /// Amount before tax.
    async fn amount(&self) -> Money {
        Money(self.0.amount)
    }
    /// Tax on the line.
    async fn tax(&self) -> Money {
        Money(self.0.tax)
    }
    /// Tax rate in percent, exact decimal text; null when untaxed.
    async fn tax_rate(&self) -> Option<String> {
        self.0.tax_rate.map(|r| r.0.value().to_string())
    }
    /// First day the line pays for.
    async fn service_period_start(&self) -> Option<NaiveDate> {
        self.0.service_period.map(|p| p.start())
    }
    /// First day after it.
    async fn service_period_end(&self) -> Option<NaiveDate> {
        self.0.service_period.map(|p| p.end())
    }
}
