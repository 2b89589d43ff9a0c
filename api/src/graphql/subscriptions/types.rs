//! GraphQL types of subscriptions.

use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use entity::{price, product, subscription, subscription_item};

use crate::graphql::catalog::{IntervalUnit, Price, Product};
use crate::graphql::context::ContextExt;
use crate::ids::{SubscriptionId, SubscriptionItemId};

/// A customer's billing package.
pub struct Subscription(pub subscription::Model);

#[Object]
impl Subscription {
    /// Opaque id (`sub_…`).
    async fn id(&self) -> ID {
        SubscriptionId::from(self.0.id).into()
    }
    /// `trialing`, `active`, `paused` or `cancelled`.
    async fn status(&self) -> &str {
        &self.0.status
    }
    /// Unit of the billing interval.
    async fn interval(&self) -> Option<IntervalUnit> {
        IntervalUnit::from_stored(&self.0.interval_unit)
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
    /// The items.
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<SubscriptionItem>> {
        let items = ctx
            .services()
            .subscriptions
            .items(ctx.actor(), SubscriptionId::from(self.0.id))
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
    item: subscription_item::Model,
    price: price::Model,
    product: product::Model,
}

#[Object]
impl SubscriptionItem {
    /// Opaque id (`si_…`).
    async fn id(&self) -> ID {
        SubscriptionItemId::from(self.item.id).into()
    }
    /// Seats or units.
    async fn quantity(&self) -> i32 {
        self.item.quantity
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
