//! Calls on an invoice: each call was rated on its own at ingestion ([`crate::Tariff::rate_call`],
//! its cost rounded to the minor unit then), so a number's line over a service period is the
//! exact sum of its calls' costs — never re-rated on the total, so the line always equals the
//! sum of the call details a customer can export.
//!
//! Three calls from +33184880000 billed 60 s, 90 s and 0 s (unanswered: only a connection fee)
//! at €0.0123, €0.0185 and €0.0100 -> "Calls from +33184880000: 3 calls, 2 min 30 s billed",
//! quantity 3, €0.0408 rounded per call: €0.01 + €0.02 + €0.01 = €0.04.

use rust_decimal::Decimal;

use crate::currency::Currency;
use crate::error::Error;
use crate::invoice::RatedUsage;
use crate::money::Money;
use crate::period::Period;
use crate::unit_price::TaxRate;

/// The calls of one number over one service period, summed call by call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CallSummary {
    calls: u64,
    billed_seconds: u64,
    amount: Money,
}

impl CallSummary {
    /// No calls yet, in the currency of the invoice.
    pub fn new(currency: Currency) -> Self {
        Self {
            calls: 0,
            billed_seconds: 0,
            amount: Money::zero(currency),
        }
    }

    /// Adds one rated call: its billed seconds and its cost (already rounded when it was rated).
    /// Refuses a cost in another currency, or a sum past the range.
    pub fn add(&mut self, billed_seconds: u64, cost: Money) -> Result<(), Error> {
        self.amount = self.amount.checked_add(cost)?;
        self.billed_seconds =
            self.billed_seconds
                .checked_add(billed_seconds)
                .ok_or(Error::Overflow {
                    operation: "billed seconds",
                })?;
        self.calls += 1;
        Ok(())
    }

    /// Adds `calls` rated calls a database already summed: their billed seconds and the sum
    /// of their costs (each rounded when it was rated), as [`CallSummary::add`] would one by
    /// one. Refuses a cost in another currency, or a sum past the range.
    pub fn add_summed(
        &mut self,
        calls: u64,
        billed_seconds: u64,
        cost: Money,
    ) -> Result<(), Error> {
        let overflow = |operation| Error::Overflow { operation };
        let amount = self.amount.checked_add(cost)?;
        let billed = self
            .billed_seconds
            .checked_add(billed_seconds)
            .ok_or(overflow("billed seconds"))?;
        self.calls = self.calls.checked_add(calls).ok_or(overflow("calls"))?;
        self.amount = amount;
        self.billed_seconds = billed;
        Ok(())
    }

    /// Another summary of the same currency added to this one.
    pub fn merge(&mut self, other: &CallSummary) -> Result<(), Error> {
        self.add_summed(other.calls, other.billed_seconds, other.amount)
    }

    /// The billed time in minutes, exact to the hundredth (rounded half away from zero): what
    /// a chart or a total shows; [`CallSummary::billed_seconds`] is the exact figure.
    pub fn billed_minutes(&self) -> Decimal {
        (Decimal::from(self.billed_seconds) / Decimal::from(60))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize()
    }

    /// Calls summed.
    pub fn calls(&self) -> u64 {
        self.calls
    }

    /// Seconds billed, after each call's increment.
    pub fn billed_seconds(&self) -> u64 {
        self.billed_seconds
    }

    /// The exact sum of the calls' costs.
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// The line text: "Calls from +33184880000: 3 calls, 2 min 30 s billed".
    pub fn description(&self, number: &str) -> String {
        let calls = match self.calls {
            1 => "1 call".to_owned(),
            n => format!("{n} calls"),
        };
        let (minutes, seconds) = (self.billed_seconds / 60, self.billed_seconds % 60);
        let time = match (minutes, seconds) {
            (0, s) => format!("{s} s"),
            (m, 0) => format!("{m} min"),
            (m, s) => format!("{m} min {s} s"),
        };
        format!("Calls from {number}: {calls}, {time} billed")
    }

    /// The invoice line of these calls: the number of calls as its quantity, their summed cost.
    pub fn into_line(
        self,
        product_id: String,
        number: &str,
        service_period: Period,
        tax_rate: Option<TaxRate>,
    ) -> RatedUsage {
        RatedUsage {
            product_id,
            description: self.description(number),
            quantity: Decimal::from(self.calls),
            amount: self.amount,
            service_period,
            tax_rate,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::EUR)
    }

    #[test]
    fn sums_each_calls_rounded_cost_not_the_total_rerated() {
        // Costs rounded per call at rating: 0.0123 -> 0.01, 0.0185 -> 0.02, 0.0100 -> 0.01.
        let mut summary = CallSummary::new(Currency::EUR);
        summary.add(60, eur(1)).unwrap();
        summary.add(90, eur(2)).unwrap();
        summary.add(0, eur(1)).unwrap();
        assert_eq!(summary.calls(), 3);
        assert_eq!(summary.billed_seconds(), 150);
        assert_eq!(summary.amount(), eur(4));
        assert_eq!(
            summary.description("+33184880000"),
            "Calls from +33184880000: 3 calls, 2 min 30 s billed"
        );
    }

    #[test]
    fn one_call_whole_minutes_and_seconds_only_read_naturally() {
        let mut summary = CallSummary::new(Currency::EUR);
        summary.add(120, eur(25)).unwrap();
        assert_eq!(
            summary.description("+33184880000"),
            "Calls from +33184880000: 1 call, 2 min billed"
        );
        let mut short = CallSummary::new(Currency::EUR);
        short.add(36, eur(11)).unwrap();
        assert_eq!(
            short.description("+33184880000"),
            "Calls from +33184880000: 1 call, 36 s billed"
        );
    }

    #[test]
    fn groups_summed_elsewhere_add_up_like_single_calls() {
        let mut one_by_one = CallSummary::new(Currency::EUR);
        for (seconds, minor) in [(60, 1), (90, 2), (0, 1), (45, 3)] {
            one_by_one.add(seconds, eur(minor)).unwrap();
        }
        let mut grouped = CallSummary::new(Currency::EUR);
        grouped.add_summed(3, 150, eur(4)).unwrap();
        let mut rest = CallSummary::new(Currency::EUR);
        rest.add_summed(1, 45, eur(3)).unwrap();
        grouped.merge(&rest).unwrap();
        assert_eq!(grouped, one_by_one);
        assert_eq!(grouped.billed_minutes(), Decimal::new(325, 2));
        // 10 s is 0.1666… min: shown as 0.17.
        let mut short = CallSummary::new(Currency::EUR);
        short.add(10, eur(1)).unwrap();
        assert_eq!(short.billed_minutes(), Decimal::new(17, 2));
        assert!(
            grouped
                .add_summed(1, 1, Money::from_minor(5, Currency::USD))
                .is_err()
        );
        assert_eq!(grouped, one_by_one);
    }

    #[test]
    fn refuses_a_cost_in_another_currency() {
        let mut summary = CallSummary::new(Currency::EUR);
        assert!(
            summary
                .add(60, Money::from_minor(5, Currency::USD))
                .is_err()
        );
        assert_eq!(summary.calls(), 0);
    }

    #[test]
    fn becomes_a_line_quantity_calls_amount_summed() {
        let mut summary = CallSummary::new(Currency::EUR);
        summary.add(60, eur(12)).unwrap();
        summary.add(30, eur(7)).unwrap();
        let period = Period::new(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        )
        .unwrap();
        let line = summary.into_line("prod_1".into(), "+33184880000", period, None);
        assert_eq!(line.quantity, Decimal::from(2));
        assert_eq!(line.amount, eur(19));
        assert_eq!(line.service_period, period);
    }
}
