//! The binding license change quote, as the customer sees it before confirming.

use async_graphql::{ID, Object};
use billing::ProrationUnit;
use chrono::{DateTime, NaiveDate, Utc};

use crate::graphql::catalog::IntervalUnit;
use crate::graphql::money::Money;
use crate::services::licenses::change::StoredQuote;

/// A stored, binding quote for adding or removing licenses: Ringover's pop-up (unit price,
/// first payment date, quantity, new monthly total, prepaid period) plus the prorated amount
/// and days.
pub struct LicenseQuote(pub StoredQuote);

#[Object]
impl LicenseQuote {
    /// Opaque id (`quo_…`), to pass to `applyLicenseChange`.
    async fn id(&self) -> ID {
        self.0.row.id.into()
    }
    /// The license item (`si_…`).
    async fn item_id(&self) -> ID {
        self.0.row.item_id.into()
    }
    /// The product's name.
    async fn product_name(&self) -> &str {
        &self.0.quote.product_name
    }
    /// Seats added (positive) or removed (negative).
    async fn delta(&self) -> i32 {
        self.0.quote.delta
    }
    /// Seats before the change (when quoted).
    async fn quantity_before(&self) -> u32 {
        self.0.quote.quantity_before
    }
    /// Seats after the change (when quoted).
    async fn quantity_after(&self) -> u32 {
        self.0.quote.quantity_after
    }
    /// Price version quoted.
    async fn price_version(&self) -> u32 {
        self.0.quote.price_version
    }
    /// Unit of the billing interval the prices are for.
    async fn interval(&self) -> IntervalUnit {
        IntervalUnit::from(self.0.quote.interval.unit())
    }
    /// Interval units per period.
    async fn interval_count(&self) -> u32 {
        self.0.quote.interval.count()
    }
    /// Price of one seat for a full period: "the monthly price of the new license".
    async fn unit_price(&self) -> Money {
        Money(self.0.quote.recurring_unit_amount)
    }
    /// One seat for the rest of the current period, rounded.
    async fn prorated_unit_amount(&self) -> Money {
        Money(self.0.quote.prorated_unit_amount)
    }
    /// Days from the change (inclusive) to the period end.
    async fn days_remaining(&self) -> u32 {
        self.0.quote.proration.remaining_days
    }
    /// Days in the current period.
    async fn period_days(&self) -> u32 {
        self.0.quote.proration.period_days
    }
    /// Whether the amount is prorated (by day or second) or charged in full.
    async fn prorated(&self) -> bool {
        self.0.quote.proration.unit != ProrationUnit::None
    }
    /// The invoice line the change adds, e.g. "2 ADVANCED licenses at €46.93 each for 22
    /// days"; null for removals.
    async fn line_description(&self) -> Option<&str> {
        self.0.quote.line.as_ref().map(|l| l.description.as_str())
    }
    /// Amount of that line before tax.
    async fn line_amount(&self) -> Option<Money> {
        self.0.quote.line.as_ref().map(|l| Money(l.amount))
    }
    /// Tax on the line.
    async fn tax(&self) -> Money {
        Money(self.0.quote.tax)
    }
    /// Charged now, tax included.
    async fn amount_due_now(&self) -> Money {
        Money(self.0.quote.amount_due_now)
    }
    /// Added to the next invoice, tax included.
    async fn amount_next_invoice(&self) -> Money {
        Money(self.0.quote.amount_next_invoice)
    }
    /// Credited for unused time on removal (when the price credits removals), tax included.
    async fn credit_to_balance(&self) -> Money {
        Money(self.0.quote.credit_to_balance)
    }
    /// Recurring cost of the seats changed: "the total monthly cost of the additional licenses".
    async fn delta_recurring_total(&self) -> Money {
        Money(self.0.quote.delta_recurring_total)
    }
    /// Recurring cost of all seats after the change.
    async fn new_recurring_total(&self) -> Money {
        Money(self.0.quote.new_recurring_total)
    }
    /// When the customer first pays for the change.
    async fn first_payment_date(&self) -> NaiveDate {
        self.0.quote.first_payment_date
    }
    /// First day of the part of the period paid in advance (or left unused, for removals).
    async fn prepaid_period_start(&self) -> NaiveDate {
        self.0.quote.prepaid_period.start()
    }
    /// First day after it (the next period's start).
    async fn prepaid_period_end(&self) -> NaiveDate {
        self.0.quote.prepaid_period.end()
    }
    /// When the quote stops being applicable.
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.row.expires_at
    }
    /// When it was applied, if it was.
    async fn applied_at(&self) -> Option<DateTime<Utc>> {
        self.0.row.applied_at
    }
}
