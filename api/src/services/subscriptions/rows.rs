//! Subscription rows to `billing` types.

use billing::{ItemTerms, Period, PricingModel, UnitPrice};
use entity::product::ProductKind;
use entity::subscription::SubscriptionStatus;
use entity::{price, product, subscription, subscription_item};

use crate::error::{ServiceError, ServiceResult};
use crate::services::{accounts, catalog, tax};

/// The statuses the billing run bills and upcoming charges show: active subscriptions, and
/// trialing ones, whose first period is billed when their trial ends (the run then makes them
/// active). Paused and cancelled subscriptions bill nothing. The run's claim and upcoming
/// charges both read this, so they agree on what is billed.
pub const BILLED_STATUSES: [SubscriptionStatus; 2] =
    [SubscriptionStatus::Active, SubscriptionStatus::Trialing];

/// Whether the billing run bills `subscription` when its next invoice is due
/// ([`BILLED_STATUSES`]).
pub fn is_billed(subscription: &subscription::Model) -> bool {
    BILLED_STATUSES.contains(&subscription.status)
}

/// Whether a change to `subscription`'s items today is prorated for the rest of its current
/// period: only while it is active (a trial bills nothing before it ends).
pub fn prorates_changes(subscription: &subscription::Model) -> bool {
    subscription.status == SubscriptionStatus::Active
}

/// Whether `subscription` is in its free trial: its current period is the trial, and its first
/// invoice, at the trial's end, bills its first paid period.
pub fn in_trial(subscription: &subscription::Model) -> bool {
    subscription.status == SubscriptionStatus::Trialing
}

/// The current period of a subscription.
pub fn current_period(subscription: &subscription::Model) -> ServiceResult<Period> {
    Period::new(
        subscription.current_period_start,
        subscription.current_period_end,
    )
    .map_err(|e| ServiceError::corrupt("period", e))
}

/// Whether the subscription's next invoice is its last: a cancellation is scheduled for (or
/// before) the day it would be built. That invoice bills no new period, only what is pending.
///
/// A subscription cancelled now has had its last invoice already; its "next" invoice is what
/// is pending only, like a cancellation's last one.
pub fn ends_at_next_invoice(subscription: &subscription::Model) -> bool {
    subscription.status == SubscriptionStatus::Cancelled
        || subscription
            .cancel_at
            .is_some_and(|day| day <= subscription.next_invoice_date)
}

/// How an item is priced: its price version's model, with the item's own unit price in place
/// of the price's amount when it has one. The one place an override is read, so upcoming
/// charges, invoices and license quotes price an item alike.
pub fn item_model(
    item: &subscription_item::Model,
    price: &price::Model,
) -> ServiceResult<PricingModel> {
    let model = catalog::rows::pricing_model(price)?;
    let Some(text) = item.unit_price_override.as_deref() else {
        return Ok(model);
    };
    let amount: UnitPrice = text
        .parse()
        .map_err(|e| ServiceError::corrupt("unit price override", e))?;
    with_unit_price(model, amount)
        .ok_or_else(|| ServiceError::corrupt("unit price override", "on a tiered price"))
}

/// `model` with `amount` as its unit (per unit), flat or package amount; `None` for tiered
/// models, which have no single amount to replace.
pub fn with_unit_price(model: PricingModel, amount: UnitPrice) -> Option<PricingModel> {
    match model {
        PricingModel::Flat { .. } => Some(PricingModel::Flat { amount }),
        PricingModel::PerUnit { .. } => Some(PricingModel::PerUnit { unit_price: amount }),
        PricingModel::Package { block_size, .. } => Some(PricingModel::Package {
            block_size,
            block_price: amount,
        }),
        PricingModel::Graduated { .. }
        | PricingModel::Volume { .. }
        | PricingModel::Stairstep { .. } => None,
    }
}

/// An item as a change within its period prorates it ([`billing::prorate_item_change`]): its
/// model (with its own unit price), the price's proration unit and removal credit rule, and the
/// tax rate the customer pays on it.
pub fn item_terms(
    item: &subscription_item::Model,
    price: &price::Model,
    product: &product::Model,
    tax: Option<&tax::CustomerTax>,
) -> ServiceResult<ItemTerms> {
    let policy = catalog::rows::license_policy(price)?;
    Ok(ItemTerms {
        product_id: product.id.to_string(),
        product_name: product.name.clone(),
        model: item_model(item, price)?,
        proration: policy.proration,
        credit_removals: policy.credit_removals,
        tax_rate: accounts::rows::tax_rate(tax, price)?,
        licenses: product.kind == ProductKind::License,
    })
}
