//! Changes to a subscription inside its current period: an item added, removed or given
//! another quantity, and the subscription cancelled now.
//!
//! They are prorated exactly like license seats ([`crate::quote_license_change`]): the same
//! [`ProrationFactor`] from the change date to the period end, the same rounded prorated unit
//! amount, the same [`ProrationItem`] line for what the change costs (on the next invoice), and
//! the same [`unused_time_credit`] rule for what it gives back.
//!
//! Per-unit prices prorate the units changed: `|after − before| × round(unit price × remaining
//! / length)`, so "2 more Support units" reads like two seats. Other models (flat, graduated,
//! volume, stairstep, package) have no single unit price: the change is one unit whose price is
//! the difference of the full-period amounts, `|amount(after) − amount(before)|`, prorated once.
//! A quantity of 0 means "no item" (an addition starts from it, a removal ends at it) and costs
//! nothing, whatever the model would say of 0 units.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::Error;
use crate::money::Money;
use crate::period::{Period, local_date};
use crate::pricing::PricingModel;
use crate::proration::{ProrationFactor, ProrationItem, ProrationUnit, unused_time_credit};
use crate::unit_price::{TaxRate, UnitPrice};

/// A recurring item as a change within its period prorates it: its price and the price's
/// rules for partial periods.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ItemTerms {
    /// The product billed.
    pub product_id: String,
    /// Its name on lines ("Support").
    pub product_name: String,
    /// How a quantity is priced for a full period (the item's own unit price already in it).
    pub model: PricingModel,
    /// How partial periods are prorated.
    pub proration: ProrationUnit,
    /// Whether a decrease credits the unused time to the credit balance.
    pub credit_removals: bool,
    /// The effective tax rate (`None`: not taxable, or the customer is exempt).
    pub tax_rate: Option<TaxRate>,
    /// Whether the units are license seats (the proration line reads like a seat's).
    pub licenses: bool,
}

/// What changing an item from one quantity to another costs for the rest of the period.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ItemChange {
    /// How much of the period is left.
    pub factor: ProrationFactor,
    /// One unit (or one model difference) for the rest of the period, rounded.
    pub prorated_unit_amount: Money,
    /// What the next invoice charges for the change (it costs more from today); `None` when it
    /// costs the same or less.
    pub proration_item: Option<ProrationItem>,
    /// Credited to the balance, tax included (it costs less and the price credits removals).
    pub credit_to_balance: Money,
}

/// Prorates changing an item from `before` to `after` units at instant `at`, within `period`
/// (the item's current, paid-in-advance period) in the customer's zone `tz`. `OutsidePeriod`
/// when the change date is not in `period`.
pub fn prorate_item_change(
    terms: &ItemTerms,
    before: u32,
    after: u32,
    period: &Period,
    at: DateTime<Utc>,
    tz: Tz,
    currency: Currency,
) -> Result<ItemChange, Error> {
    let factor = ProrationFactor::at(period, at, tz, terms.proration)?;
    let (unit, count, more) = match terms.model {
        PricingModel::PerUnit { unit_price } => (
            unit_price,
            i64::from(before.abs_diff(after)),
            after > before,
        ),
        _ => {
            let full = |q: u32| -> Result<Decimal, Error> {
                if q == 0 {
                    Ok(Decimal::ZERO)
                } else {
                    terms.model.amount(Decimal::from(q))
                }
            };
            let difference = full(after)?
                .checked_sub(full(before)?)
                .ok_or(Error::Overflow {
                    operation: "item change",
                })?;
            let count = i64::from(!difference.is_zero());
            (
                UnitPrice::new(difference.abs())?,
                count,
                difference.is_sign_positive(),
            )
        }
    };
    let prorated_unit_amount = factor.prorate(unit, currency)?;
    let zero = Money::zero(currency);
    if count == 0 {
        return Ok(ItemChange {
            factor,
            prorated_unit_amount,
            proration_item: None,
            credit_to_balance: zero,
        });
    }
    if more {
        let today = local_date(at, tz);
        return Ok(ItemChange {
            factor,
            prorated_unit_amount,
            proration_item: Some(ProrationItem {
                product_id: terms.product_id.clone(),
                product_name: terms.product_name.clone(),
                quantity: count,
                prorated_unit_amount,
                remaining_days: factor.remaining_days,
                service_period: Period::new(today, period.end())?,
                tax_rate: terms.tax_rate,
                licenses: terms.licenses,
            }),
            credit_to_balance: zero,
        });
    }
    Ok(ItemChange {
        factor,
        prorated_unit_amount,
        proration_item: None,
        credit_to_balance: unused_time_credit(
            prorated_unit_amount,
            count,
            terms.tax_rate,
            terms.credit_removals,
            terms.proration,
        )?,
    })
}

/// What cancelling a subscription at instant `at` gives back: the unused time of each item
/// (terms and quantity) whose price credits removals, tax included, as if each item were
/// removed then. `period` is the period already billed in advance; zero in `currency` when
/// there are no items.
pub fn cancellation_credit(
    items: &[(ItemTerms, u32)],
    period: &Period,
    at: DateTime<Utc>,
    tz: Tz,
    currency: Currency,
) -> Result<Money, Error> {
    items
        .iter()
        .try_fold(Money::zero(currency), |total, (terms, quantity)| {
            let change = prorate_item_change(terms, *quantity, 0, period, at, tz, currency)?;
            total.checked_add(change.credit_to_balance)
        })
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
