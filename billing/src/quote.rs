//! License change quotes: everything the customer sees before adding or removing seats, and the
//! check that a stored quote still matches the subscription before it is applied.
//!
//! A quote is binding: the server stores it and applies exactly it, or refuses with
//! `QuoteStale` when [`LicenseQuote::recheck`] finds that today's state gives other numbers.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::Error;
use crate::line::InvoiceLine;
use crate::money::Money;
use crate::period::{Interval, Period, local_date};
use crate::proration::{
    AdditionCharge, ProrationFactor, ProrationItem, ProrationUnit, unused_time_credit,
};
use crate::unit_price::{TaxRate, UnitPrice};

/// The license rules of a price.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct LicensePolicy {
    /// How partial periods are prorated.
    pub proration: ProrationUnit,
    /// When added seats are charged.
    pub additions: AdditionCharge,
    /// Whether removing a seat credits its unused time to the credit balance.
    pub credit_removals: bool,
    /// Whether seats are removed one at a time (Ringover's rule).
    pub remove_one_at_a_time: bool,
    /// Fewest seats the subscription may hold.
    pub min_quantity: u32,
    /// Most seats the subscription may hold, if limited.
    pub max_quantity: Option<u32>,
}

impl Default for LicensePolicy {
    /// Day proration, additions charged immediately, no credit for removals, one at a time,
    /// at least one seat, no maximum.
    fn default() -> Self {
        Self {
            proration: ProrationUnit::Day,
            additions: AdditionCharge::Immediately,
            credit_removals: false,
            remove_one_at_a_time: true,
            min_quantity: 1,
            max_quantity: None,
        }
    }
}

/// The price a license item is billed at (one version of it).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct LicensePrice {
    /// The price's id.
    pub price_id: String,
    /// Its version: a changed price is a new version, so a quote on the old one goes stale.
    pub version: u32,
    /// The license product.
    pub product_id: String,
    /// The product's name on lines ("ADVANCED").
    pub product_name: String,
    /// Price of one seat for one full period.
    pub unit_price: UnitPrice,
    /// Currency of the price.
    pub currency: Currency,
    /// Billing interval of the price.
    pub interval: Interval,
    /// License rules.
    pub policy: LicensePolicy,
}

/// A subscription's license item as it is now: valid by construction (policy min ≤ max).
#[derive(Clone, PartialEq, Debug)]
pub struct LicenseItem {
    price: LicensePrice,
    quantity: u32,
    period: Period,
    time_zone: Tz,
    tax_rate: Option<TaxRate>,
    trial: bool,
}

impl LicenseItem {
    /// The item: its price, seats held, current period, the customer's zone, and the effective
    /// tax rate (`None` when the price is not taxable or the customer is exempt).
    pub fn new(
        price: LicensePrice,
        quantity: u32,
        period: Period,
        time_zone: Tz,
        tax_rate: Option<TaxRate>,
    ) -> Result<Self, Error> {
        if let Some(max) = price.policy.max_quantity
            && price.policy.min_quantity > max
        {
            return Err(Error::InvalidPolicy {
                min: price.policy.min_quantity,
                max,
            });
        }
        Ok(Self {
            price,
            quantity,
            period,
            time_zone,
            tax_rate,
            trial: false,
        })
    }

    /// The same item in a free trial that ends with `period`: seats added or removed during it
    /// cost and credit nothing, since nothing of the trial was billed; the first invoice, at
    /// the trial's end, bills the seats held then for the first paid period.
    pub fn in_trial(mut self) -> Self {
        self.trial = true;
        self
    }

    /// Whether the current period is a free trial.
    pub fn is_trial(&self) -> bool {
        self.trial
    }

    /// The price.
    pub fn price(&self) -> &LicensePrice {
        &self.price
    }
    /// Seats held now.
    pub fn quantity(&self) -> u32 {
        self.quantity
    }
    /// The current period.
    pub fn period(&self) -> Period {
        self.period
    }
    /// The customer's time zone.
    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }
    /// The effective tax rate.
    pub fn tax_rate(&self) -> Option<TaxRate> {
        self.tax_rate
    }
}

/// What a license change costs, as shown in the pop-up and stored until applied.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct LicenseQuote {
    /// The price quoted.
    pub price_id: String,
    /// Its version.
    pub price_version: u32,
    /// The license product.
    pub product_id: String,
    /// Its name.
    pub product_name: String,
    /// Currency of every amount.
    pub currency: Currency,
    /// Seats before the change.
    pub quantity_before: u32,
    /// Seats after the change.
    pub quantity_after: u32,
    /// Seats added (positive) or removed (negative).
    pub delta: i32,
    /// Price of one seat for a full period.
    pub unit_price: UnitPrice,
    /// One seat for a full period, rounded: "the monthly price of the new license".
    pub recurring_unit_amount: Money,
    /// The price's interval.
    pub interval: Interval,
    /// How the change is prorated.
    pub proration: ProrationFactor,
    /// One seat for the rest of the period, rounded.
    pub prorated_unit_amount: Money,
    /// When added seats are charged.
    pub addition_charge: AdditionCharge,
    /// The proration to invoice (additions only; removals never add a line).
    pub proration_item: Option<ProrationItem>,
    /// The line `proration_item` becomes on an invoice.
    pub line: Option<InvoiceLine>,
    /// Tax on the line.
    pub tax: Money,
    /// Charged now, tax included (additions charged immediately).
    pub amount_due_now: Money,
    /// Added to the next invoice, tax included (additions charged on the next invoice).
    pub amount_next_invoice: Money,
    /// Credited to the balance, tax included (removals of a price that credits unused time).
    pub credit_to_balance: Money,
    /// Recurring amount of the seats added or removed: "total monthly cost of the additional licenses".
    pub delta_recurring_total: Money,
    /// Recurring amount of all seats after the change: the new monthly total.
    pub new_recurring_total: Money,
    /// When the customer first pays for the change.
    pub first_payment_date: NaiveDate,
    /// The part of the period the change covers: paid in advance (additions) or unused (removals).
    pub prepaid_period: Period,
    /// Start of the next full period, billed at `new_recurring_total`.
    pub next_period_start: NaiveDate,
    /// When the quote was computed.
    pub computed_at: DateTime<Utc>,
}

/// Quotes adding (`delta > 0`) or removing (`delta < 0`) seats at instant `at`.
///
/// Refuses a zero delta, a result below the policy's minimum or above its maximum, and the
/// removal of several seats under a one-at-a-time policy.
pub fn quote_license_change(
    item: &LicenseItem,
    delta: i32,
    at: DateTime<Utc>,
) -> Result<LicenseQuote, Error> {
    let price = &item.price;
    let policy = &price.policy;
    if delta == 0 {
        return Err(Error::ZeroDelta);
    }
    let after = i64::from(item.quantity) + i64::from(delta);
    if after < i64::from(policy.min_quantity) {
        return Err(Error::BelowMinimum {
            requested: after,
            min: policy.min_quantity,
        });
    }
    if let Some(max) = policy.max_quantity
        && after > i64::from(max)
    {
        return Err(Error::AboveMaximum {
            requested: after,
            max,
        });
    }
    if delta < -1 && policy.remove_one_at_a_time {
        return Err(Error::OneAtATime {
            requested: delta.unsigned_abs(),
        });
    }
    let quantity_after = u32::try_from(after).map_err(|_| Error::Overflow {
        operation: "seat count",
    })?;

    let currency = price.currency;
    let zero = Money::zero(currency);
    let factor = ProrationFactor::at(&item.period, at, item.time_zone, policy.proration)?;
    // The rest of a free trial costs nothing: no proration line, no credit.
    let prorated_unit_amount = if item.trial {
        zero
    } else {
        factor.prorate(price.unit_price, currency)?
    };
    let today = local_date(at, item.time_zone);
    let prepaid_period = Period::new(today, item.period.end())?;
    let seats = i64::from(delta.unsigned_abs());
    let adding = delta > 0;

    let proration_item = (adding && !item.trial).then(|| ProrationItem {
        product_id: price.product_id.clone(),
        product_name: price.product_name.clone(),
        quantity: seats,
        prorated_unit_amount,
        remaining_days: factor.remaining_days,
        service_period: prepaid_period,
        tax_rate: item.tax_rate,
        licenses: true,
    });
    let line = proration_item.as_ref().map(|p| p.line(false)).transpose()?;
    let (tax, gross) = match &line {
        Some(l) => (l.tax, l.total()?),
        None => (zero, zero),
    };
    let (amount_due_now, amount_next_invoice, first_payment_date) = match (adding, policy.additions)
    {
        // A trial's addition is free (`gross` is zero): first paid at the trial's end.
        (true, AdditionCharge::Immediately) if !item.trial => (gross, zero, today),
        (true, _) => (zero, gross, item.period.end()),
        (false, _) => (zero, zero, item.period.end()),
    };
    // A removal credits the unused days of each seat, tax included since it was paid with tax;
    // without proration there are no "unused days" to credit.
    let credit_to_balance = if adding || item.trial {
        zero
    } else {
        unused_time_credit(
            prorated_unit_amount,
            seats,
            item.tax_rate,
            policy.credit_removals,
            policy.proration,
        )?
    };
    let recurring = |n: i64| -> Result<Money, Error> {
        let exact = price
            .unit_price
            .value()
            .checked_mul(Decimal::from(n))
            .ok_or(Error::Overflow {
                operation: "recurring total",
            })?;
        Ok(Money::round(exact, currency))
    };

    Ok(LicenseQuote {
        price_id: price.price_id.clone(),
        price_version: price.version,
        product_id: price.product_id.clone(),
        product_name: price.product_name.clone(),
        currency,
        quantity_before: item.quantity,
        quantity_after,
        delta,
        unit_price: price.unit_price,
        recurring_unit_amount: recurring(1)?,
        interval: price.interval,
        proration: factor,
        prorated_unit_amount,
        addition_charge: policy.additions,
        proration_item,
        line,
        tax,
        amount_due_now,
        amount_next_invoice,
        credit_to_balance,
        delta_recurring_total: recurring(seats)?,
        new_recurring_total: recurring(after)?,
        first_payment_date,
        prepaid_period,
        next_period_start: item.period.end(),
        computed_at: at,
    })
}

impl LicenseQuote {
    /// Checks this stored quote against the item as it is `now`: `Ok` means applying it charges
    /// exactly what the customer saw; otherwise `QuoteStale` names the first field that differs.
    ///
    /// What must hold is what the change costs: the price version, the period, and every amount
    /// charged or credited for the seats changed. The seat count itself may have moved since the
    /// quote (another change applied first): at a per-seat price the change still costs the
    /// same, so 50 concurrent "+1" quotes all apply. The policy is checked again on today's
    /// count, so a removal that would now go below the minimum is refused.
    pub fn recheck(&self, current: &LicenseItem, now: DateTime<Utc>) -> Result<(), Error> {
        let p = &current.price;
        stale("price_id", &self.price_id, &p.price_id)?;
        stale("price_version", &self.price_version, &p.version)?;
        stale("unit_price", &self.unit_price, &p.unit_price)?;
        stale("period_end", &self.next_period_start, &current.period.end())?;
        let fresh = match quote_license_change(current, self.delta, now) {
            Err(Error::OutsidePeriod { date, .. }) => {
                return stale("change_date", &self.prepaid_period.start(), &date);
            }
            other => other?,
        };
        stale(
            "prorated_unit_amount",
            &self.prorated_unit_amount,
            &fresh.prorated_unit_amount,
        )?;
        stale("tax", &self.tax, &fresh.tax)?;
        stale(
            "amount_due_now",
            &self.amount_due_now,
            &fresh.amount_due_now,
        )?;
        stale(
            "amount_next_invoice",
            &self.amount_next_invoice,
            &fresh.amount_next_invoice,
        )?;
        stale(
            "credit_to_balance",
            &self.credit_to_balance,
            &fresh.credit_to_balance,
        )?;
        stale(
            "delta_recurring_total",
            &self.delta_recurring_total,
            &fresh.delta_recurring_total,
        )
    }
}

fn stale<T: PartialEq + std::fmt::Display>(
    field: &'static str,
    quoted: &T,
    current: &T,
) -> Result<(), Error> {
    if quoted == current {
        Ok(())
    } else {
        Err(Error::QuoteStale {
            field,
            quoted: quoted.to_string(),
            current: current.to_string(),
        })
    }
}

#[cfg(test)]
#[path = "quote_tests.rs"]
mod tests;
