//! Subscription rows to `billing` types.

use billing::{Period, PricingModel, UnitPrice};
use entity::{price, subscription, subscription_item};

use crate::error::{ServiceError, ServiceResult};
use crate::services::catalog;

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
pub fn ends_at_next_invoice(subscription: &subscription::Model) -> bool {
    subscription
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
