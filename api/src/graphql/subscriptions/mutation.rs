//! Subscription mutations (operator staff).

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use billing::Interval;
use chrono::NaiveDate;

use super::types::{Subscription, SubscriptionItem};
use crate::error::ServiceError;
use crate::graphql::catalog::IntervalUnit;
use crate::graphql::context::ContextExt;
use crate::graphql::money::{Money, parse_id};
use crate::services::subscriptions::{InvoiceDetailsChange, NewItem, NewSubscription, unit_price};

/// An item of a new subscription.
#[derive(InputObject)]
pub struct SubscriptionItemInput {
    /// The price version (`price_…`).
    pub price_id: ID,
    /// Seats or units (1 to 10,000).
    pub quantity: u32,
    /// The customer's own unit price for this line (ChargeOver's "rate"), exact decimal text
    /// with up to 12 decimals, at most 10000000; null: the price version's. Flat, per-unit
    /// and package prices only (`BAD_USER_INPUT` on `input.items.N.unitPrice`).
    pub unit_price: Option<String>,
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
    /// The last day of a free trial, exclusive (after `anchorDate`): the subscription is
    /// TRIALING and billed nothing until then; its first period starts that day and periods
    /// repeat from it. Null: no trial.
    pub trial_end: Option<NaiveDate>,
    /// Purchase order number printed on its invoices instead of the customer's; at most 100
    /// characters.
    pub po_number: Option<String>,
    /// Notes printed on its invoices after the customer's; at most 2,000 characters.
    pub invoice_notes: Option<String>,
    /// Whether automatic collection charges its invoices to the customer's default payment
    /// method (default true); false: they wait to be paid by transfer or in the portal.
    #[graphql(default = true)]
    pub automatic_payment: bool,
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

/// Input of `setSubscriptionInvoiceDetails`: a field left out stays as it is; null or blank
/// clears it.
#[derive(InputObject)]
pub struct SetSubscriptionInvoiceDetailsInput {
    /// The subscription (`sub_…`).
    pub subscription_id: ID,
    /// Purchase order number printed on its invoices instead of the customer's (an "invoice
    /// now" charge's own wins over it); at most 100 characters.
    pub po_number: MaybeUndefined<String>,
    /// Notes printed on its invoices after the customer's; at most 2,000 characters.
    pub invoice_notes: MaybeUndefined<String>,
}

/// Result of `setSubscriptionInvoiceDetails`.
#[derive(SimpleObject)]
pub struct SetSubscriptionInvoiceDetailsPayload {
    /// The subscription with its new details.
    pub subscription: Subscription,
}

/// `Some(None)` for null, `Some(Some(v))` for a value, `None` when left out.
fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// When a cancellation takes effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum CancelWhen {
    /// At the end of the current period: billed until then, a last invoice of what is
    /// pending on that day.
    EndOfPeriod,
    /// Today: a last invoice of what is pending now, unused time credited when the price says
    /// so, and no more billing.
    Now,
}

/// Input of `cancelSubscription`.
#[derive(InputObject)]
pub struct CancelSubscriptionInput {
    /// The subscription (`sub_…`).
    pub subscription_id: ID,
    /// When it ends (default END_OF_PERIOD).
    #[graphql(default_with = "CancelWhen::EndOfPeriod")]
    pub when: CancelWhen,
}

/// Result of `cancelSubscription`.
#[derive(SimpleObject)]
pub struct CancelSubscriptionPayload {
    /// The subscription, with `cancelAt` set (and CANCELLED when cancelled now).
    pub subscription: Subscription,
    /// Cancelled now: the id (`inv_…`) of the last invoice of what was pending, null when
    /// nothing was (and always null at the end of the period, whose last invoice the billing
    /// run finalises).
    pub final_invoice_id: Option<ID>,
    /// Cancelled now: the unused time credited to the customer's balance, tax included
    /// (zero when the prices keep it or the period was not billed); null at the end of the
    /// period.
    pub credited: Option<Money>,
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
                let unit_price = item
                    .unit_price
                    .as_deref()
                    .map(|text| unit_price::parse(&format!("input.items.{i}.unitPrice"), text))
                    .transpose()?;
                Ok(NewItem {
                    price: parse_id(&item.price_id, &format!("input.items.{i}.priceId"))?,
                    quantity: item.quantity,
                    unit_price,
                })
            })
            .collect::<Result<Vec<_>, ServiceError>>()?;
        let new = NewSubscription {
            customer: parse_id(&input.customer_id, "input.customerId")?,
            anchor: input.anchor_date,
            interval,
            items,
            trial_end: input.trial_end,
            po_number: input.po_number,
            invoice_notes: input.invoice_notes,
            automatic_payment: input.automatic_payment,
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

    /// Sets the PO number and notes the subscription's invoices carry from now on (operator
    /// staff): the PO number replaces the customer's, the notes follow the customer's.
    /// Invoices already finalised keep theirs. `BAD_USER_INPUT` on the field when too long.
    async fn set_subscription_invoice_details(
        &self,
        ctx: &Context<'_>,
        input: SetSubscriptionInvoiceDetailsInput,
    ) -> Result<SetSubscriptionInvoiceDetailsPayload> {
        let id = parse_id(&input.subscription_id, "input.subscriptionId")?;
        let subscription = ctx
            .services()
            .subscriptions
            .set_invoice_details(
                ctx.actor(),
                ctx.request_id(),
                id,
                InvoiceDetailsChange {
                    po_number: change(input.po_number),
                    invoice_notes: change(input.invoice_notes),
                },
            )
            .await?;
        Ok(SetSubscriptionInvoiceDetailsPayload {
            subscription: Subscription(subscription),
        })
    }

    /// Cancels a subscription (operator staff). END_OF_PERIOD (the default): an active one is
    /// billed as usual until its period ends; that day's invoice bills only what is pending (no
    /// new period) and the subscription is cancelled; `CONFLICT` when it is not active or
    /// already scheduled. NOW: it is cancelled today; what is pending is finalised at once on
    /// a last invoice, and the unused days of the period already billed go to the credit
    /// balance for items whose price credits removals; `CONFLICT` when already cancelled.
    async fn cancel_subscription(
        &self,
        ctx: &Context<'_>,
        input: CancelSubscriptionInput,
    ) -> Result<CancelSubscriptionPayload> {
        let id = parse_id(&input.subscription_id, "input.subscriptionId")?;
        let services = ctx.services();
        match input.when {
            CancelWhen::EndOfPeriod => {
                let subscription = services
                    .subscriptions
                    .cancel_at_period_end(ctx.actor(), ctx.request_id(), id)
                    .await?;
                Ok(CancelSubscriptionPayload {
                    subscription: Subscription(subscription),
                    final_invoice_id: None,
                    credited: None,
                })
            }
            CancelWhen::Now => {
                let done = services
                    .subscriptions
                    .cancel_now(ctx.actor(), ctx.request_id(), id, services.clock.now())
                    .await?;
                Ok(CancelSubscriptionPayload {
                    subscription: Subscription(done.subscription),
                    final_invoice_id: done.invoice.map(Into::into),
                    credited: Some(Money(done.credited)),
                })
            }
        }
    }
}
