//! Subscription lifecycle mutations (operator staff): undoing a scheduled cancellation,
//! pausing and resuming, and adding, removing and re-quantifying items within a period.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::types::{Subscription, SubscriptionItem};
use crate::graphql::context::ContextExt;
use crate::graphql::money::{Money, parse_id};
use crate::services::subscriptions::ItemChanged;

/// Input of the mutations that take only a subscription.
#[derive(InputObject)]
pub struct SubscriptionIdInput {
    /// The subscription (`sub_…`).
    pub subscription_id: ID,
}

/// Input of `setSubscriptionAutomaticPayment`.
#[derive(InputObject)]
pub struct SetSubscriptionAutomaticPaymentInput {
    /// The subscription (`sub_…`).
    pub subscription_id: ID,
    /// True: its invoices are charged automatically; false: they wait to be paid another way.
    pub enabled: bool,
}

/// Result of a mutation that changes a subscription's status or schedule.
#[derive(SimpleObject)]
pub struct SubscriptionPayload {
    /// The subscription as it is now.
    pub subscription: Subscription,
}

/// Input of `addSubscriptionItem`.
#[derive(InputObject)]
pub struct AddSubscriptionItemInput {
    /// The subscription (`sub_…`).
    pub subscription_id: ID,
    /// The price version (`price_…`): sold, in the customer's currency, with the
    /// subscription's interval.
    pub price_id: ID,
    /// Seats or units (1 to 10,000; within a license price's limits).
    pub quantity: u32,
}

/// Input of `removeSubscriptionItem`.
#[derive(InputObject)]
pub struct RemoveSubscriptionItemInput {
    /// The item (`si_…`).
    pub item_id: ID,
}

/// Input of `setSubscriptionItemQuantity`.
#[derive(InputObject)]
pub struct SetSubscriptionItemQuantityInput {
    /// The item (`si_…`), not a license item.
    pub item_id: ID,
    /// The new quantity (1 to 10,000), other than the current one.
    pub quantity: u32,
}

/// Result of an item change.
#[derive(SimpleObject)]
pub struct SubscriptionItemChangePayload {
    /// The item as it is now; null once removed.
    pub item: Option<SubscriptionItem>,
    /// Its subscription.
    pub subscription: Subscription,
    /// The proration the next invoice charges for the rest of the current period, before tax
    /// (zero when the change costs nothing more or is not prorated).
    pub next_invoice: Money,
    /// The unused time credited to the customer's balance, tax included (zero unless the
    /// change costs less, the price credits removals and the period was billed).
    pub credited: Money,
}

impl From<ItemChanged> for SubscriptionItemChangePayload {
    fn from(changed: ItemChanged) -> Self {
        Self {
            item: changed.item.map(|(item, price, product)| SubscriptionItem {
                item,
                price,
                product,
            }),
            subscription: Subscription(changed.subscription),
            next_invoice: Money(changed.next_invoice),
            credited: Money(changed.credited),
        }
    }
}

/// Subscription lifecycle mutations.
#[derive(Default)]
pub struct SubscriptionLifecycleMutation;

#[Object]
impl SubscriptionLifecycleMutation {
    /// Undoes a cancellation scheduled at the end of the period, before it takes effect
    /// (operator staff): the subscription is billed on as before. `CONFLICT` when none is
    /// scheduled or the subscription is already cancelled.
    async fn undo_cancellation(
        &self,
        ctx: &Context<'_>,
        input: SubscriptionIdInput,
    ) -> Result<SubscriptionPayload> {
        let id = parse_id(&input.subscription_id, "input.subscriptionId")?;
        let subscription = ctx
            .services()
            .subscriptions
            .undo_cancellation(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(SubscriptionPayload {
            subscription: Subscription(subscription),
        })
    }

    /// Turns a subscription's automatic payment on or off (operator staff). Applies to its
    /// open invoices too (those billing it, its license changes, its last invoice and charges
    /// invoiced on it): off, automatic collection neither charges nor retries them (staff's
    /// "Retry now" still can; a payment already under way is not stopped); on, collection
    /// charges them when their next attempt is due (at once for one never tried). Any status
    /// is accepted; the value it already has changes nothing.
    async fn set_subscription_automatic_payment(
        &self,
        ctx: &Context<'_>,
        input: SetSubscriptionAutomaticPaymentInput,
    ) -> Result<SubscriptionPayload> {
        let id = parse_id(&input.subscription_id, "input.subscriptionId")?;
        let subscription = ctx
            .services()
            .subscriptions
            .set_automatic_payment(ctx.actor(), ctx.request_id(), id, input.enabled)
            .await?;
        Ok(SubscriptionPayload {
            subscription: Subscription(subscription),
        })
    }

    /// Pauses an active subscription (operator staff): PAUSED, not billed, absent from
    /// upcoming charges. The period already billed stays paid, without credit for the paused
    /// days. `CONFLICT` when it is not active or a cancellation is scheduled.
    async fn pause_subscription(
        &self,
        ctx: &Context<'_>,
        input: SubscriptionIdInput,
    ) -> Result<SubscriptionPayload> {
        let id = parse_id(&input.subscription_id, "input.subscriptionId")?;
        let subscription = ctx
            .services()
            .subscriptions
            .pause(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(SubscriptionPayload {
            subscription: Subscription(subscription),
        })
    }

    /// Resumes a paused subscription today (operator staff): ACTIVE again. Within the period
    /// it was paused in nothing else changes; later, the paused periods are never billed and
    /// the next invoice, due at once, bills the period containing today. `CONFLICT` when it is
    /// not paused.
    async fn resume_subscription(
        &self,
        ctx: &Context<'_>,
        input: SubscriptionIdInput,
    ) -> Result<SubscriptionPayload> {
        let id = parse_id(&input.subscription_id, "input.subscriptionId")?;
        let services = ctx.services();
        let subscription = services
            .subscriptions
            .resume(ctx.actor(), ctx.request_id(), id, services.clock.now())
            .await?;
        Ok(SubscriptionPayload {
            subscription: Subscription(subscription),
        })
    }

    /// Adds an item to an active or trialing subscription (operator staff). Active: billed
    /// from today, the rest of the current period prorated onto the next invoice (like seats
    /// added with NEXT_INVOICE), then in advance each period. `CONFLICT` when the subscription
    /// is paused or cancelled.
    async fn add_subscription_item(
        &self,
        ctx: &Context<'_>,
        input: AddSubscriptionItemInput,
    ) -> Result<SubscriptionItemChangePayload> {
        let subscription = parse_id(&input.subscription_id, "input.subscriptionId")?;
        let price = parse_id(&input.price_id, "input.priceId")?;
        let services = ctx.services();
        let changed = services
            .subscriptions
            .add_item(
                ctx.actor(),
                ctx.request_id(),
                subscription,
                price,
                input.quantity,
                services.clock.now(),
            )
            .await?;
        Ok(changed.into())
    }

    /// Removes an item (operator staff): no longer billed; its unused days go to the credit
    /// balance when its price credits removals and the period was billed. `CONFLICT` for the
    /// last item (cancel instead), a license item with assigned seats (unassign them first),
    /// or a paused or cancelled subscription.
    async fn remove_subscription_item(
        &self,
        ctx: &Context<'_>,
        input: RemoveSubscriptionItemInput,
    ) -> Result<SubscriptionItemChangePayload> {
        let item = parse_id(&input.item_id, "input.itemId")?;
        let services = ctx.services();
        let changed = services
            .subscriptions
            .remove_item(ctx.actor(), ctx.request_id(), item, services.clock.now())
            .await?;
        Ok(changed.into())
    }

    /// Changes a non-license item's quantity (operator staff), the difference prorated like
    /// seats: more is charged on the next invoice for the rest of the period; less credits the
    /// unused days when the price says so. License items answer `BAD_USER_INPUT` on
    /// `input.itemId`: their seats change through `previewLicenseChange`.
    async fn set_subscription_item_quantity(
        &self,
        ctx: &Context<'_>,
        input: SetSubscriptionItemQuantityInput,
    ) -> Result<SubscriptionItemChangePayload> {
        let item = parse_id(&input.item_id, "input.itemId")?;
        let services = ctx.services();
        let changed = services
            .subscriptions
            .set_item_quantity(
                ctx.actor(),
                ctx.request_id(),
                item,
                input.quantity,
                services.clock.now(),
            )
            .await?;
        Ok(changed.into())
    }
}
