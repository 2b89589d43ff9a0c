//! GraphQL types of invoices: the upcoming invoice and its lines.

use async_graphql::{Enum, ID, Object};
use billing::LineKind as BillingLineKind;
use chrono::NaiveDate;

use crate::graphql::money::Money;
use crate::services::invoices::upcoming;

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

/// The next invoice of a subscription.
pub struct UpcomingInvoice(pub upcoming::UpcomingInvoice);

#[Object]
impl UpcomingInvoice {
    /// The subscription (`sub_…`).
    async fn subscription_id(&self) -> ID {
        self.0.subscription.id.into()
    }
    /// When the invoice will be built and charged.
    async fn invoice_date(&self) -> NaiveDate {
        self.0.invoice_date
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
}

/// A line of an invoice.
pub struct InvoiceLine(billing::InvoiceLine);

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
