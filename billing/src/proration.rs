//! Proration: how much of a period is left at an instant, and the prorated unit amount.
//!
//! By day (the default), remaining days count from the change date (inclusive, in the
//! customer's time zone) to the period end (exclusive), and
//! `prorated unit amount = round(unit price × remaining days / period days)`. A line for N seats
//! is N × that rounded amount, so "2 licenses at €46.93 each" is exactly €93.86.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::Error;
use crate::line::{InvoiceLine, LineKind, license_text, units_text};
use crate::money::{Money, round_ratio};
use crate::period::{Period, local_date};
use crate::unit_price::{TaxRate, UnitPrice};

/// How a price prorates partial periods.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProrationUnit {
    /// By whole calendar days in the customer's time zone (a DST day is one day).
    #[default]
    Day,
    /// By real elapsed seconds.
    Second,
    /// No proration: an addition pays the full period, a removal credits nothing.
    None,
}

/// When the prorated charge for added seats is billed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdditionCharge {
    /// On an invoice issued now.
    #[default]
    Immediately,
    /// As a proration line on the next regular invoice.
    NextInvoice,
}

/// The part of a period left at an instant: `remaining / length` in the proration unit.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ProrationFactor {
    /// The unit `remaining` and `length` are counted in.
    pub unit: ProrationUnit,
    /// Days or seconds left (`length` when not prorating).
    pub remaining: u64,
    /// Days or seconds in the period (1 when not prorating).
    pub length: u64,
    /// Calendar days left, change day included, whatever the unit (for texts).
    pub remaining_days: u32,
    /// Calendar days in the period.
    pub period_days: u32,
}

impl ProrationFactor {
    /// The factor at instant `at` for `period` in the customer's zone `tz`.
    ///
    /// `OutsidePeriod` if the change date is not in `[start, end)`.
    pub fn at(
        period: &Period,
        at: DateTime<Utc>,
        tz: Tz,
        unit: ProrationUnit,
    ) -> Result<Self, Error> {
        let date = local_date(at, tz);
        if !period.contains(date) {
            return Err(Error::OutsidePeriod {
                date,
                start: period.start(),
                end: period.end(),
            });
        }
        let remaining_days = Period::new(date, period.end())?.days();
        let period_days = period.days();
        let (remaining, length) = match unit {
            ProrationUnit::Day => (u64::from(remaining_days), u64::from(period_days)),
            ProrationUnit::Second => {
                let left = (period.end_instant(tz) - at).num_seconds();
                (u64::try_from(left).unwrap_or(0), period.seconds(tz))
            }
            ProrationUnit::None => (1, 1),
        };
        Ok(Self {
            unit,
            remaining,
            length,
            remaining_days,
            period_days,
        })
    }

    /// `round(unit_price × remaining / length)` to the currency's minor unit, exactly.
    pub fn prorate(&self, unit_price: UnitPrice, currency: Currency) -> Result<Money, Error> {
        let numerator = unit_price
            .value()
            .checked_mul(Decimal::from(self.remaining))
            .ok_or(Error::Overflow {
                operation: "proration",
            })?;
        let amount = round_ratio(numerator, self.length, currency.minor_units())?;
        Money::new(amount, currency)
    }
}

/// What removing `count` units credits to the customer's balance: their unused time
/// (`count × prorated unit amount`) plus the tax it was paid with, when the price credits
/// removals; nothing otherwise, and nothing without proration (no "unused days" to credit).
/// The one rule for seat removals, item removals, quantity decreases and cancelling now.
///
/// 3 × €61.87 = €185.61, tax 20 % 37.122 -> €37.12: €222.73 credited.
pub fn unused_time_credit(
    prorated_unit_amount: Money,
    count: i64,
    tax_rate: Option<TaxRate>,
    credit_removals: bool,
    unit: ProrationUnit,
) -> Result<Money, Error> {
    let zero = Money::zero(prorated_unit_amount.currency());
    if !credit_removals || unit == ProrationUnit::None {
        return Ok(zero);
    }
    let net = prorated_unit_amount.checked_mul_int(count)?;
    let tax = tax_rate.map_or(Ok(zero), |r| r.tax_on(net))?;
    net.checked_add(tax)
}

/// A proration waiting to be invoiced: N seats × a prorated unit amount over a service period.
///
/// The quote creates it; the invoice builder turns it into a line with [`ProrationItem::line`],
/// the same function the quote uses to show its line, so both agree to the cent.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ProrationItem {
    /// The license product.
    pub product_id: String,
    /// Its name as shown on lines ("ADVANCED").
    pub product_name: String,
    /// Seats: positive when charged, negative when credited.
    pub quantity: i64,
    /// The rounded prorated amount of one seat.
    pub prorated_unit_amount: Money,
    /// Calendar days the proration covers (for the text).
    pub remaining_days: u32,
    /// From the change date to the period end.
    pub service_period: Period,
    /// The tax rate of the price, `None` if not taxable.
    pub tax_rate: Option<TaxRate>,
    /// Whether the units are license seats ("2 ADVANCED licenses at …"); otherwise another
    /// item's units ("2 × Support at …"). Quotes stored before it was recorded are seats.
    #[serde(default = "seats")]
    pub licenses: bool,
}

/// What a stored proration without `licenses` was: license seats.
fn seats() -> bool {
    true
}

impl ProrationItem {
    /// The invoice line: `quantity × prorated unit amount`, with the Ringover-style text.
    pub fn line(&self, tax_exempt: bool) -> Result<InvoiceLine, Error> {
        let amount = self.prorated_unit_amount.checked_mul_int(self.quantity)?;
        let wording = if self.licenses {
            license_text
        } else {
            units_text
        };
        let text = wording(
            self.quantity.unsigned_abs(),
            &self.product_name,
            self.prorated_unit_amount,
            Some(self.remaining_days),
        );
        let description = if self.quantity < 0 {
            format!("Unused time: {text}")
        } else {
            text
        };
        InvoiceLine::new(
            LineKind::Proration,
            description,
            Some(self.product_id.clone()),
            Decimal::from(self.quantity),
            Some(self.prorated_unit_amount.amount()),
            amount,
            Some(self.service_period),
            self.tax_rate,
            tax_exempt,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use rust_decimal::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn paris() -> Tz {
        "Europe/Paris".parse().unwrap()
    }
    fn at_paris(y: i32, m: u32, day: u32, h: u32) -> DateTime<Utc> {
        paris()
            .with_ymd_and_hms(y, m, day, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn ringover_64_euros_29_of_30_days() {
        // April 2026 = 30 days; a change on April 2 leaves Apr 2..=Apr 30 = 29 days.
        // 64 × 29 / 30 = 61.8666… -> €61.87
        let april = Period::new(d(2026, 4, 1), d(2026, 5, 1)).unwrap();
        let f = ProrationFactor::at(
            &april,
            at_paris(2026, 4, 2, 15),
            paris(),
            ProrationUnit::Day,
        )
        .unwrap();
        assert_eq!((f.remaining, f.length), (29, 30));
        let unit = f
            .prorate(UnitPrice::new(dec!(64)).unwrap(), Currency::EUR)
            .unwrap();
        assert_eq!(unit.amount(), dec!(61.87));
    }

    #[test]
    fn two_seats_22_of_30_days_is_twice_the_rounded_unit() {
        // 64 × 22 / 30 = 46.9333… -> €46.93 each; 2 × 46.93 = €93.86 (not round(93.8666) = 93.87).
        let f = ProrationFactor {
            unit: ProrationUnit::Day,
            remaining: 22,
            length: 30,
            remaining_days: 22,
            period_days: 30,
        };
        let unit = f
            .prorate(UnitPrice::new(dec!(64)).unwrap(), Currency::EUR)
            .unwrap();
        let item = ProrationItem {
            product_id: "adv".into(),
            product_name: "ADVANCED".into(),
            quantity: 2,
            prorated_unit_amount: unit,
            remaining_days: 22,
            service_period: Period::new(d(2026, 4, 9), d(2026, 5, 1)).unwrap(),
            tax_rate: None,
            licenses: true,
        };
        let line = item.line(false).unwrap();
        assert_eq!(line.amount.amount(), dec!(93.86));
        assert_eq!(
            line.description,
            "2 ADVANCED licenses at €46.93 each for 22 days"
        );
    }

    #[test]
    fn dst_days_count_as_whole_days_in_paris() {
        // March 2026 has the spring-forward day (29th, 23 h). A change on March 29 at 10:00 leaves
        // Mar 29..=31 = 3 whole days of 31: 31 × 3 / 31 = €3.00 exactly, despite the short day.
        let march = Period::new(d(2026, 3, 1), d(2026, 4, 1)).unwrap();
        let f = ProrationFactor::at(
            &march,
            at_paris(2026, 3, 29, 10),
            paris(),
            ProrationUnit::Day,
        )
        .unwrap();
        assert_eq!((f.remaining, f.length), (3, 31));
        assert_eq!(
            f.prorate(UnitPrice::new(dec!(31)).unwrap(), Currency::EUR)
                .unwrap()
                .amount(),
            dec!(3.00)
        );
        // October 2026: the 25th lasts 25 h. Change on Oct 25 at 23:30 local: 7 days left of 31.
        let october = Period::new(d(2026, 10, 1), d(2026, 11, 1)).unwrap();
        let late = paris()
            .with_ymd_and_hms(2026, 10, 25, 23, 30, 0)
            .unwrap()
            .with_timezone(&Utc);
        let f = ProrationFactor::at(&october, late, paris(), ProrationUnit::Day).unwrap();
        assert_eq!((f.remaining, f.length), (7, 31));
    }

    #[test]
    fn by_second_uses_real_instants() {
        // March 2026 in Paris is 31 × 86,400 − 3,600 = 2,674,800 s. From Mar 29 00:00 local to
        // Apr 1 00:00 local is 3 days minus the lost hour = 255,600 s.
        // 31 × 255,600 / 2,674,800 = 2.9623… -> €2.96
        let march = Period::new(d(2026, 3, 1), d(2026, 4, 1)).unwrap();
        let f = ProrationFactor::at(
            &march,
            at_paris(2026, 3, 29, 0),
            paris(),
            ProrationUnit::Second,
        )
        .unwrap();
        assert_eq!((f.remaining, f.length), (255_600, 2_674_800));
        assert_eq!(
            f.prorate(UnitPrice::new(dec!(31)).unwrap(), Currency::EUR)
                .unwrap()
                .amount(),
            dec!(2.96)
        );
    }

    #[test]
    fn no_proration_is_the_full_price_and_outside_is_refused() {
        let april = Period::new(d(2026, 4, 1), d(2026, 5, 1)).unwrap();
        let f = ProrationFactor::at(
            &april,
            at_paris(2026, 4, 20, 9),
            paris(),
            ProrationUnit::None,
        )
        .unwrap();
        assert_eq!(
            f.prorate(UnitPrice::new(dec!(64)).unwrap(), Currency::EUR)
                .unwrap()
                .amount(),
            dec!(64)
        );
        // April 30, 23:30 in Paris is still April; May 1 is outside the period.
        assert!(
            ProrationFactor::at(
                &april,
                at_paris(2026, 4, 30, 23),
                paris(),
                ProrationUnit::Day
            )
            .is_ok()
        );
        assert!(matches!(
            ProrationFactor::at(&april, at_paris(2026, 5, 1, 0), paris(), ProrationUnit::Day),
            Err(Error::OutsidePeriod { .. })
        ));
    }

    #[test]
    fn jpy_and_kwd_prorations() {
        // ¥10,000 × 29 / 30 = 9,666.66… -> ¥9,667; KWD 19.990 × 29 / 30 = 19.32366… -> 19.324
        let f = ProrationFactor {
            unit: ProrationUnit::Day,
            remaining: 29,
            length: 30,
            remaining_days: 29,
            period_days: 30,
        };
        assert_eq!(
            f.prorate(UnitPrice::new(dec!(10000)).unwrap(), Currency::JPY)
                .unwrap()
                .to_minor(),
            Ok(9667)
        );
        assert_eq!(
            f.prorate(UnitPrice::new(dec!(19.990)).unwrap(), Currency::KWD)
                .unwrap()
                .to_minor(),
            Ok(19324)
        );
    }
}
