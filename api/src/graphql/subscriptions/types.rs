//! GraphQL types of subscriptions.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use entity::{price, product, subscription, subscription_item};

use crate::graphql::catalog::{IntervalUnit, Price, Product};
use crate::graphql::context::ContextExt;
use crate::graphql::loaders::LastInvoiceDates;

/// Lifecycle of a subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum SubscriptionStatus {
    /// In a free trial.
    Trialing,
    /// Billed every period.
    Active,
    /// Not billed for now.
    Paused,
    /// Ended; kept for history.
    Cancelled,
}

impl From<subscription::SubscriptionStatus> for SubscriptionStatus {
    fn from(status: subscription::SubscriptionStatus) -> Self {
        match status {
            subscription::SubscriptionStatus::Trialing => SubscriptionStatus::Trialing,
            subscription::SubscriptionStatus::Active => SubscriptionStatus::Active,
            subscription::SubscriptionStatus::Paused => SubscriptionStatus::Paused,
            subscription::SubscriptionStatus::Cancelled => SubscriptionStatus::Cancelled,
        }
    }
}

impl From<SubscriptionStatus> for subscription::SubscriptionStatus {
    fn from(status: SubscriptionStatus) -> Self {
        match status {
            SubscriptionStatus::Trialing => subscription::SubscriptionStatus::Trialing,
            SubscriptionStatus::Active => subscription::SubscriptionStatus::Active,
            SubscriptionStatus::Paused => subscription::SubscriptionStatus::Paused,
            SubscriptionStatus::Cancelled => subscription::SubscriptionStatus::Cancelled,
        }
    }
}

/// A customer's billing package.
pub struct Subscription(pub subscription::Model);

#[Object]
impl Subscription {
    /// Opaque id (`sub_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Lifecycle status.
    async fn status(&self) -> SubscriptionStatus {
        self.0.status.into()
    }
    /// Unit of the billing interval (never null; nullable for older clients).
    async fn interval(&self) -> Option<IntervalUnit> {
        Some(self.0.interval_unit.into())
    }
    /// Interval units per period.
    async fn interval_count(&self) -> i32 {
        self.0.interval_count
    }
    /// The date periods are counted from.
    async fn anchor_date(&self) -> NaiveDate {
        self.0.anchor_date
    }
    /// First day of the current period.
    async fn current_period_start(&self) -> NaiveDate {
        self.0.current_period_start
    }
    /// First day after the current period (exclusive end).
    async fn current_period_end(&self) -> NaiveDate {
        self.0.current_period_end
    }
    /// When the next invoice is built.
    async fn next_invoice_date(&self) -> NaiveDate {
        self.0.next_invoice_date
    }
    /// The issue day of its latest invoice (a voided one counts); null before the first.
    /// Read for a list of subscriptions in one query.
    async fn last_invoice_date(&self, ctx: &Context<'_>) -> Result<Option<NaiveDate>> {
        ctx.data::<DataLoader<LastInvoiceDates>>()?
            .load_one(self.0.id)
            .await
    }
    /// The day billing stops when a cancellation is scheduled (the end of a period); null
    /// otherwise.
    async fn cancel_at(&self) -> Option<NaiveDate> {
        self.0.cancel_at
    }
    /// Purchase order number printed on this subscription's invoices instead of the
    /// customer's (an "invoice now" charge's own wins over it); null: the customer's applies.
    async fn po_number(&self) -> Option<&str> {
        self.0.po_number.as_deref()
    }
    /// Notes printed on this subscription's invoices, after the customer's.
    async fn invoice_notes(&self) -> Option<&str> {
        self.0.invoice_notes.as_deref()
    }
    /// Whether automatic collection charges this subscription's invoices to the customer's
    /// default payment method (and retries after a failure); false: they wait to be paid by
    /// transfer, in the portal, or by staff's "Retry now".
    async fn automatic_payment(&self) -> bool {
        self.0.automatic_payment
    }
    /// The day a TRIALING subscription's trial ends and its first period starts (billed that
    /// day); null for any other status.
    async fn trial_end(&self) -> Option<NaiveDate> {
        (self.0.status == subscription::SubscriptionStatus::Trialing)
            .then_some(self.0.current_period_end)
    }
    /// The items.
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<SubscriptionItem>> {
        let items = ctx
            .services()
            .subscriptions
            .items(ctx.actor(), self.0.id)
            .await?;
        Ok(items
            .into_iter()
            .map(|(item, price, product)| SubscriptionItem {
                item,
                price,
                product,
            })
            .collect())
    }
}

/// A line of a subscription.
pub struct SubscriptionItem {
    pub(super) item: subscription_item::Model,
    pub(super) price: price::Model,
    pub(super) product: product::Model,
}

#[Object]
impl SubscriptionItem {
    /// Opaque id (`si_…`).
    async fn id(&self) -> ID {
        self.item.id.into()
    }
    /// Seats or units.
    async fn quantity(&self) -> i32 {
        self.item.quantity
    }
    /// This customer's own unit price, exact decimal text, billed instead of the price
    /// version's amount; null when the item pays the price's.
    async fn unit_price_override(&self) -> Option<&str> {
        self.item.unit_price_override.as_deref()
    }
    /// The unit amount billed, for people: the item's own unit price if it has one, else
    /// the version's per-unit, flat or package amount, exact (`€12.50`, `€0.0123`); null for
    /// a tiered price without an own unit price.
    async fn unit_price_formatted(&self) -> Option<String> {
        let amount = self
            .item
            .unit_price_override
            .as_deref()
            .or(self.price.unit_amount.as_deref())?;
        let amount: billing::UnitPrice = amount.parse().ok()?;
        let currency = billing::Currency::from_code(&self.price.currency).ok()?;
        Some(amount.display(currency))
    }
    /// The price version billed.
    async fn price(&self) -> Price {
        Price(self.price.clone())
    }
    /// The product.
    async fn product(&self) -> Product {
        Product(self.product.clone())
    }
}
