//! Subscription mutations (operator staff).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use billing::Interval;
use chrono::NaiveDate;

use super::types::{Subscription, SubscriptionItem};
use crate::error::ServiceError;
use crate::graphql::catalog::IntervalUnit;
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::subscriptions::NewSubscription;

/// An item of a new subscription.
#[derive(InputObject)]
pub struct SubscriptionItemInput {
    /// The price version (`price_…`).
    pub price_id: ID,
    /// Seats or units (1 to 10,000).
    pub quantity: u32,
}

/// Input of `createSubscription`.
#[derive(InputObject)]
pub struct CreateSubscriptionInput {
    /// The customer (`cus_…`).
    pub customer_id: ID,
    /// First day of the first period, not in the future; periods repeat from it.
    pub anchor_date: NaiveDate,
    /// Unit of the billing interval.
    pub interval: IntervalUnit,
    /// Interval units per period (default 1).
    #[graphql(default = 1)]
    pub interval_count: u32,
    /// The items.
    pub items: Vec<SubscriptionItemInput>,
}

/// Result of `createSubscription`.
#[derive(SimpleObject)]
pub struct CreateSubscriptionPayload {
    /// The new subscription, in its current period.
    pub subscription: Subscription,
}

/// Input of `setSubscriptionItemUnitPrice`.
#[derive(InputObject)]
pub struct SetSubscriptionItemUnitPriceInput {
    /// The item (`si_…`).
    pub item_id: ID,
    /// The customer's own unit price, exact decimal text with up to 12 decimals, at most
    /// 10000000; null to go back to the price version's amount.
    pub unit_price: Option<String>,
}

/// Result of `setSubscriptionItemUnitPrice`.
#[derive(SimpleObject)]
pub struct SetSubscriptionItemUnitPricePayload {
    /// The item with its new unit price.
    pub item: SubscriptionItem,
}

/// Input of `cancelSubscription`.
#[derive(InputObject)]
pub struct CancelSubscriptionInput {
    /// The subscription (`sub_…`).
    pub subscription_id: ID,
}

/// Result of `cancelSubscription`.
#[derive(SimpleObject)]
pub struct CancelSubscriptionPayload {
    /// The subscription, with `cancelAt` set.
    pub subscription: Subscription,
}

/// Subscription mutations.
#[derive(Default)]
pub struct SubscriptionsMutation;

#[Object]
impl SubscriptionsMutation {
    /// Creates a subscription in its current period (operator staff). License items get one
    /// unassigned license per seat.
    async fn create_subscription(
        &self,
        ctx: &Context<'_>,
        input: CreateSubscriptionInput,
    ) -> Result<CreateSubscriptionPayload> {
        let interval = Interval::new(input.interval.into(), input.interval_count)
            .map_err(|e| ServiceError::bad_input("input.intervalCount", e.to_string()))?;
        let items = input
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                Ok((
                    parse_id(&item.price_id, &format!("input.items.{i}.priceId"))?,
                    item.quantity,
                ))
            })
            .collect::<Result<Vec<_>, ServiceError>>()?;
        let new = NewSubscription {
            customer: parse_id(&input.customer_id, "input.customerId")?,
            anchor: input.anchor_date,
            interval,
            items,
        };
        let subscription = ctx
            .services()
            .subscriptions
            .create(
                ctx.actor(),
                ctx.request_id(),
                new,
                ctx.services().clock.now(),
            )
            .await?;
        Ok(CreateSubscriptionPayload {
            subscription: Subscription(subscription),
        })
    }

    /// Gives an item its own unit price (ChargeOver's per-customer pricing), or takes it back
    /// to the price's (operator staff). Billed from the next period and in license quotes from
    /// now on; charges already waiting keep their amounts. Flat, per-unit and package prices
    /// only (`BAD_USER_INPUT` on `input.unitPrice` for tiered ones).
    async fn set_subscription_item_unit_price(
        &self,
        ctx: &Context<'_>,
        input: SetSubscriptionItemUnitPriceInput,
    ) -> Result<SetSubscriptionItemUnitPricePayload> {
        let item = parse_id(&input.item_id, "input.itemId")?;
        let (item, price, product) = ctx
            .services()
            .subscriptions
            .set_unit_price(
                ctx.actor(),
                ctx.request_id(),
                item,
                input.unit_price.as_deref(),
            )
            .await?;
        Ok(SetSubscriptionItemUnitPricePayload {
            item: SubscriptionItem {
                item,
                price,
                product,
            },
        })
    }

    /// Cancels an active subscription at the end of its current period (operator staff): it
    /// is billed as usual until then; that day's invoice bills only what is pending (no new
    /// period) and the subscription is cancelled. `CONFLICT` when it is not active or already
    /// scheduled.
    async fn cancel_subscription(
        &self,
        ctx: &Context<'_>,
        input: CancelSubscriptionInput,
    ) -> Result<CancelSubscriptionPayload> {
        let id = parse_id(&input.subscription_id, "input.subscriptionId")?;
        let subscription = ctx
            .services()
            .subscriptions
            .cancel_at_period_end(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(CancelSubscriptionPayload {
            subscription: Subscription(subscription),
        })
    }
}
