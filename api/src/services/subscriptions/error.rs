//! Why a subscription use case refuses: one variant per reason, each with a fixed code and
//! field. Item errors name the item by its position (`input.items.2.priceId`).

use super::MAX_ITEM_QUANTITY;
use crate::error::ServiceError;

/// A refused subscription request.
#[derive(Debug)]
pub enum SubscriptionError {
    /// No such customer.
    CustomerNotFound,
    /// No such subscription in the caller's organisation.
    NotFound,
    /// No such price version (item at this position).
    PriceNotFound,
    /// A subscription without items.
    NoItems,
    /// An anchor date after today in the customer's zone.
    AnchorInFuture,
    /// The interval count does not fit.
    IntervalTooLarge,
    /// The item's price version is no longer sold.
    PriceRetired(usize),
    /// The item's price is in another currency than the customer's.
    CurrencyDiffers {
        /// The item's position.
        index: usize,
        /// The price's currency.
        price: String,
        /// The customer's currency.
        customer: String,
    },
    /// The item's price has another interval than the subscription.
    IntervalDiffers(usize),
    /// The item's quantity is outside 1 to [`MAX_ITEM_QUANTITY`].
    QuantityOutOfRange(usize),
    /// The item's quantity is outside its license limits.
    OutsideLicenseLimits(usize),
}

impl From<SubscriptionError> for ServiceError {
    fn from(error: SubscriptionError) -> Self {
        use SubscriptionError::*;
        let item = |index: usize, name: &str| format!("input.items.{index}.{name}");
        match error {
            CustomerNotFound => ServiceError::NotFound { entity: "customer" },
            NotFound => ServiceError::NotFound {
                entity: "subscription",
            },
            PriceNotFound => ServiceError::NotFound { entity: "price" },
            NoItems => ServiceError::bad_input("input.items", "add at least one item"),
            AnchorInFuture => {
                ServiceError::bad_input("input.anchorDate", "the anchor must not be in the future")
            }
            IntervalTooLarge => ServiceError::bad_input("input.intervalCount", "too large"),
            PriceRetired(index) => ServiceError::bad_input(
                item(index, "priceId"),
                "this price version is no longer sold",
            ),
            CurrencyDiffers {
                index,
                price,
                customer,
            } => ServiceError::bad_input(
                item(index, "priceId"),
                format!("the price is in {price}, the customer is billed in {customer}"),
            ),
            IntervalDiffers(index) => ServiceError::bad_input(
                item(index, "priceId"),
                "the price's interval differs from the subscription's",
            ),
            QuantityOutOfRange(index) => ServiceError::bad_input(
                item(index, "quantity"),
                format!("must be 1 to {MAX_ITEM_QUANTITY}"),
            ),
            OutsideLicenseLimits(index) => ServiceError::bad_input(
                item(index, "quantity"),
                "outside the price's license limits",
            ),
        }
    }
}
