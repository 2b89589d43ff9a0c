//! Why a subscription use case refuses: one variant per reason, each with a fixed code and
//! field. Item errors name the item by where the input holds it: by position in a new
//! subscription (`input.items.2.priceId`), or the input itself for an added item
//! (`input.priceId`).

use super::MAX_ITEM_QUANTITY;
use crate::error::ServiceError;

/// Where an item's fields are in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemAt {
    /// The item at this position of `input.items` (`createSubscription`).
    Index(usize),
    /// The input itself (`addSubscriptionItem`, `setSubscriptionItemQuantity`).
    Input,
}

impl ItemAt {
    /// The field `name` of the item (`input.items.2.quantity`, `input.quantity`).
    fn field(self, name: &str) -> String {
        match self {
            ItemAt::Index(index) => format!("input.items.{index}.{name}"),
            ItemAt::Input => format!("input.{name}"),
        }
    }
}

/// A refused subscription request.
#[derive(Debug)]
pub enum SubscriptionError {
    /// No such customer.
    CustomerNotFound,
    /// No such subscription in the caller's organisation.
    NotFound,
    /// No such subscription item.
    ItemNotFound,
    /// No such price version (item at this position).
    PriceNotFound,
    /// A subscription without items.
    NoItems,
    /// An anchor date after today in the customer's zone.
    AnchorInFuture,
    /// A trial that does not end after the subscription starts.
    TrialEndNotAfterStart,
    /// The interval count does not fit.
    IntervalTooLarge,
    /// The item's price version is no longer sold.
    PriceRetired(ItemAt),
    /// The item's price is in another currency than the customer's.
    CurrencyDiffers {
        /// Where the item is.
        at: ItemAt,
        /// The price's currency.
        price: String,
        /// The customer's currency.
        customer: String,
    },
    /// The item's price has another interval than the subscription.
    IntervalDiffers(ItemAt),
    /// The item's quantity is outside 1 to [`MAX_ITEM_QUANTITY`].
    QuantityOutOfRange(ItemAt),
    /// The item's quantity is outside its license limits.
    OutsideLicenseLimits(ItemAt),
    /// The item already has the quantity asked for.
    SameQuantity,
    /// A license item's seats change through license quotes, not by setting a quantity.
    LicenseQuantity,
    /// Only an active subscription without a scheduled cancellation can be cancelled at the
    /// end of its period.
    NotCancellable,
    /// The subscription is already cancelled.
    AlreadyCancelled,
    /// No cancellation is scheduled to undo.
    NoScheduledCancellation,
    /// Only an active subscription can be paused.
    NotActive,
    /// A cancellation is scheduled: pausing would keep it from ever happening.
    CancellationScheduled,
    /// Only a paused subscription can be resumed.
    NotPaused,
    /// The items of a paused subscription do not change until it is resumed.
    Paused,
    /// A subscription keeps at least one item.
    LastItem,
    /// A license item with seats assigned to members cannot be removed.
    SeatsAssigned(u32),
    /// A metered item with usage records cannot be removed: the records are kept (the
    /// unbilled ones are billed by the next invoice, the billed ones are what past invoices
    /// charged). `unbilled` counts the records no invoice has billed yet.
    HasUsage {
        /// Records not yet invoiced.
        unbilled: u64,
    },
    /// The item bills the rental of this many telephone numbers: it cannot be removed, nor its
    /// quantity (a unit per number) go below that.
    RentsNumbers(u64),
}

impl From<SubscriptionError> for ServiceError {
    fn from(error: SubscriptionError) -> Self {
        use SubscriptionError::*;
        let conflict = |message: &str| ServiceError::Conflict {
            message: message.to_owned(),
        };
        match error {
            CustomerNotFound => ServiceError::NotFound { entity: "customer" },
            NotFound => ServiceError::NotFound {
                entity: "subscription",
            },
            ItemNotFound => ServiceError::NotFound {
                entity: "subscription item",
            },
            PriceNotFound => ServiceError::NotFound { entity: "price" },
            NoItems => ServiceError::bad_input("input.items", "add at least one item"),
            AnchorInFuture => {
                ServiceError::bad_input("input.anchorDate", "the anchor must not be in the future")
            }
            TrialEndNotAfterStart => ServiceError::bad_input(
                "input.trialEnd",
                "the trial must end after the subscription starts (its anchor date)",
            ),
            IntervalTooLarge => ServiceError::bad_input("input.intervalCount", "too large"),
            PriceRetired(at) => {
                ServiceError::bad_input(at.field("priceId"), "this price version is no longer sold")
            }
            CurrencyDiffers {
                at,
                price,
                customer,
            } => ServiceError::bad_input(
                at.field("priceId"),
                format!("the price is in {price}, the customer is billed in {customer}"),
            ),
            IntervalDiffers(at) => ServiceError::bad_input(
                at.field("priceId"),
                "the price's interval differs from the subscription's",
            ),
            QuantityOutOfRange(at) => ServiceError::bad_input(
                at.field("quantity"),
                format!("must be 1 to {MAX_ITEM_QUANTITY}"),
            ),
            OutsideLicenseLimits(at) => {
                ServiceError::bad_input(at.field("quantity"), "outside the price's license limits")
            }
            SameQuantity => {
                ServiceError::bad_input("input.quantity", "the item already has this quantity")
            }
            LicenseQuantity => ServiceError::bad_input(
                "input.itemId",
                "license seats change through previewLicenseChange and applyLicenseChange",
            ),
            NotCancellable => conflict(
                "only an active subscription without a scheduled cancellation can be cancelled \
                 at the end of its period",
            ),
            AlreadyCancelled => conflict("the subscription is already cancelled"),
            NoScheduledCancellation => conflict("no cancellation is scheduled"),
            NotActive => conflict("only an active subscription can be paused"),
            CancellationScheduled => {
                conflict("a cancellation is scheduled: undo it first, or cancel now")
            }
            NotPaused => conflict("only a paused subscription can be resumed"),
            Paused => conflict("the subscription is paused: resume it before changing its items"),
            LastItem => conflict("a subscription keeps at least one item: cancel it instead"),
            HasUsage { unbilled: 0 } => conflict(
                "this metered item has usage that past invoices billed, which is kept: \
                 cancel the subscription instead",
            ),
            HasUsage { unbilled } => ServiceError::Conflict {
                message: format!(
                    "this metered item has {unbilled} usage record{} not yet billed: \
                     the next invoice bills {}; it cannot be removed (cancel the subscription \
                     to bill its usage and end it)",
                    if unbilled == 1 { "" } else { "s" },
                    if unbilled == 1 { "it" } else { "them" },
                ),
            },
            RentsNumbers(numbers) => ServiceError::Conflict {
                message: format!(
                    "this item bills the rental of {numbers} telephone number{}: it keeps a unit \
                     for each",
                    if numbers == 1 { "" } else { "s" },
                ),
            },
            SeatsAssigned(seats) => ServiceError::Conflict {
                message: format!(
                    "{seats} seat{} of this item {} assigned to members: unassign {} first",
                    if seats == 1 { "" } else { "s" },
                    if seats == 1 { "is" } else { "are" },
                    if seats == 1 { "it" } else { "them" },
                ),
            },
        }
    }
}
