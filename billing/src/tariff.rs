//! Telephone tariffs: a rate per minute by destination prefix (longest prefix wins), a billing
//! increment, a minimum charge and a connection fee; and the rating of one call.
//!
//! A rated call is rounded to the minor unit on its own: each call is a line of the customer's
//! detailed consumption, and the usage line of the invoice is the sum of those rounded costs, so
//! the consumption export always adds up to the invoice.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::Error;
use crate::money::{Money, round_ratio};
use crate::unit_price::UnitPrice;

/// How call durations are billed: the first `first` seconds as one block, then blocks of `next`
/// seconds. `60/60` bills started minutes, `1/1` exact seconds, `30/6` a 30 s minimum then 6 s.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "(u32, u32)", into = "(u32, u32)")]
pub struct BillingIncrement {
    first: u32,
    next: u32,
}

impl BillingIncrement {
    /// `first/next`; both at least one second.
    pub fn new(first: u32, next: u32) -> Result<Self, Error> {
        if first == 0 || next == 0 {
            return Err(Error::InvalidIncrement { first, next });
        }
        Ok(Self { first, next })
    }

    /// Seconds billed for a call of `duration` seconds (0 for an unanswered call).
    ///
    /// 30/6 and 31 s: 30 + ceil(1/6)×6 = 36 s. 60/60 and 61 s: 60 + 60 = 120 s.
    pub fn billed_seconds(&self, duration: u32) -> u64 {
        let (d, first, next) = (
            u64::from(duration),
            u64::from(self.first),
            u64::from(self.next),
        );
        if d == 0 {
            0
        } else if d <= first {
            first
        } else {
            first + (d - first).div_ceil(next) * next
        }
    }
}

impl TryFrom<(u32, u32)> for BillingIncrement {
    type Error = Error;
    fn try_from((first, next): (u32, u32)) -> Result<Self, Error> {
        Self::new(first, next)
    }
}

impl From<BillingIncrement> for (u32, u32) {
    fn from(b: BillingIncrement) -> Self {
        (b.first, b.next)
    }
}

/// A per-minute rate for destinations starting with `prefix` (digits, country code first).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct PrefixRate {
    /// Destination prefix, digits only, e.g. `"33"` (France) or `"336"` (French mobiles).
    pub prefix: String,
    /// Price of one minute.
    pub rate_per_minute: UnitPrice,
}

/// Everything that defines a tariff, as stored.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct TariffSpec {
    /// Currency of every amount of the tariff.
    pub currency: Currency,
    /// Rates by prefix (any order).
    pub rates: Vec<PrefixRate>,
    /// Billing increment.
    pub increment: BillingIncrement,
    /// Least a connected call costs, connection fee included.
    pub minimum_charge: UnitPrice,
    /// Charged once per connected call.
    pub connection_fee: UnitPrice,
}

/// A validated tariff with a digit trie for longest-prefix lookups.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "TariffSpec", into = "TariffSpec")]
pub struct Tariff {
    spec: TariffSpec,
    /// Node 0 is the root; `children[d]` is the index of the child for digit `d` (0 = none).
    nodes: Vec<Node>,
}

#[derive(Clone, Debug, Default)]
struct Node {
    children: [u32; 10],
    rate: Option<u32>,
}

/// The result of rating one call.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct CallCharge {
    /// Index in the tariff's rates of the prefix that matched.
    pub rate_index: usize,
    /// The rate applied.
    pub rate_per_minute: UnitPrice,
    /// Seconds billed after applying the increment.
    pub billed_seconds: u64,
    /// The call's cost, rounded to the minor unit.
    pub amount: Money,
}

impl Tariff {
    /// Validates prefixes (digits, non-empty, unique) and builds the lookup trie.
    pub fn new(spec: TariffSpec) -> Result<Self, Error> {
        let mut nodes = vec![Node::default()];
        for (i, r) in spec.rates.iter().enumerate() {
            if r.prefix.is_empty() || !r.prefix.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::InvalidPrefix {
                    prefix: r.prefix.clone(),
                });
            }
            let mut at = 0usize;
            for b in r.prefix.bytes() {
                let digit = usize::from(b - b'0');
                if nodes[at].children[digit] == 0 {
                    nodes.push(Node::default());
                    nodes[at].children[digit] = to_u32(nodes.len() - 1)?;
                }
                at = nodes[at].children[digit] as usize;
            }
            if nodes[at].rate.is_some() {
                return Err(Error::DuplicatePrefix {
                    prefix: r.prefix.clone(),
                });
            }
            nodes[at].rate = Some(to_u32(i)?);
        }
        Ok(Self { spec, nodes })
    }

    /// The tariff's definition.
    pub fn spec(&self) -> &TariffSpec {
        &self.spec
    }

    /// The rate of the longest prefix of `destination` (`+33612…` or `0033…`-free digits).
    pub fn lookup(&self, destination: &str) -> Result<usize, Error> {
        let digits = destination.strip_prefix('+').unwrap_or(destination);
        let invalid = || Error::InvalidDestination {
            destination: destination.into(),
        };
        if digits.is_empty() {
            return Err(invalid());
        }
        let (mut at, mut best) = (0usize, None);
        for b in digits.bytes() {
            if !b.is_ascii_digit() {
                return Err(invalid());
            }
            match self.nodes[at].children[usize::from(b - b'0')] {
                0 => break,
                next => at = next as usize,
            }
            best = self.nodes[at].rate.or(best);
        }
        // Keep validating the rest of the number so "+33abc" is refused, not rated.
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        best.map(|i| i as usize).ok_or_else(|| Error::NoRate {
            destination: destination.into(),
        })
    }

    /// Rates one call of `duration_seconds` to `destination`.
    ///
    /// cost = max(connection fee + rate × billed seconds / 60, minimum), rounded half away from
    /// zero; an unanswered call (0 s) costs nothing.
    pub fn rate_call(&self, destination: &str, duration_seconds: u32) -> Result<CallCharge, Error> {
        let rate_index = self.lookup(destination)?;
        let rate = self.spec.rates[rate_index].rate_per_minute;
        let currency = self.spec.currency;
        let billed_seconds = self.spec.increment.billed_seconds(duration_seconds);
        if billed_seconds == 0 {
            return Ok(CallCharge {
                rate_index,
                rate_per_minute: rate,
                billed_seconds,
                amount: Money::zero(currency),
            });
        }
        let overflow = || Error::Overflow {
            operation: "call rating",
        };
        let sixty = Decimal::from(60);
        // Work in "per-minute × seconds" (i.e. 60 × the cost) so the division by 60 happens once,
        // exactly, in round_ratio.
        let usage = rate
            .value()
            .checked_mul(Decimal::from(billed_seconds))
            .ok_or_else(overflow)?;
        let fee = self
            .spec
            .connection_fee
            .value()
            .checked_mul(sixty)
            .ok_or_else(overflow)?;
        let minimum = self
            .spec
            .minimum_charge
            .value()
            .checked_mul(sixty)
            .ok_or_else(overflow)?;
        let cost60 = usage.checked_add(fee).ok_or_else(overflow)?.max(minimum);
        let amount = round_ratio(cost60, 60, currency.minor_units())?;
        Ok(CallCharge {
            rate_index,
            rate_per_minute: rate,
            billed_seconds,
            amount: Money::new(amount, currency)?,
        })
    }
}

fn to_u32(n: usize) -> Result<u32, Error> {
    u32::try_from(n).map_err(|_| Error::Overflow {
        operation: "tariff size",
    })
}

impl TryFrom<TariffSpec> for Tariff {
    type Error = Error;
    fn try_from(spec: TariffSpec) -> Result<Self, Error> {
        Self::new(spec)
    }
}

impl From<Tariff> for TariffSpec {
    fn from(t: Tariff) -> Self {
        t.spec
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn up(d: Decimal) -> UnitPrice {
        UnitPrice::new(d).unwrap()
    }

    /// France 33 at €0.02/min, French mobiles 336 at €0.10/min, UK 44 at €0.03/min.
    fn tariff(first: u32, next: u32, minimum: Decimal, fee: Decimal) -> Tariff {
        let rate = |p: &str, r| PrefixRate {
            prefix: p.into(),
            rate_per_minute: up(r),
        };
        Tariff::new(TariffSpec {
            currency: Currency::EUR,
            rates: vec![
                rate("33", dec!(0.02)),
                rate("336", dec!(0.10)),
                rate("44", dec!(0.03)),
            ],
            increment: BillingIncrement::new(first, next).unwrap(),
            minimum_charge: up(minimum),
            connection_fee: up(fee),
        })
        .unwrap()
    }

    #[test]
    fn longest_prefix_wins() {
        let t = tariff(60, 60, dec!(0), dec!(0));
        assert_eq!(t.lookup("+33612345678"), Ok(1)); // 336 beats 33
        assert_eq!(t.lookup("33145678900"), Ok(0));
        assert_eq!(t.lookup("+447700900000"), Ok(2));
        assert!(matches!(t.lookup("+1555"), Err(Error::NoRate { .. })));
        assert!(matches!(
            t.lookup("+33 1 45"),
            Err(Error::InvalidDestination { .. })
        ));
        assert!(matches!(
            t.lookup("+"),
            Err(Error::InvalidDestination { .. })
        ));
    }

    #[test]
    fn increments() {
        let b = |f, n| BillingIncrement::new(f, n).unwrap();
        // 60/60: 1 s -> 60; 60 s -> 60; 61 s -> 120.
        assert_eq!(
            [1, 60, 61].map(|d| b(60, 60).billed_seconds(d)),
            [60, 60, 120]
        );
        // 1/1: exact seconds.
        assert_eq!([1, 61].map(|d| b(1, 1).billed_seconds(d)), [1, 61]);
        // 30/6: 10 s -> 30; 31 s -> 36; 37 s -> 42.
        assert_eq!(
            [10, 31, 37].map(|d| b(30, 6).billed_seconds(d)),
            [30, 36, 42]
        );
        assert_eq!(b(30, 6).billed_seconds(0), 0);
        assert_eq!(
            BillingIncrement::new(0, 6),
            Err(Error::InvalidIncrement { first: 0, next: 6 })
        );
    }

    #[test]
    fn rating_one_call() {
        // 60/60, mobile €0.10/min, 61 s -> 120 s billed -> 2 min × 0.10 = €0.20.
        let t = tariff(60, 60, dec!(0), dec!(0));
        let c = t.rate_call("+33612345678", 61).unwrap();
        assert_eq!((c.billed_seconds, c.amount.amount()), (120, dec!(0.20)));
        // 1/1, landline €0.02/min, 61 s -> 0.02 × 61 / 60 = 0.020333… -> €0.02.
        let t = tariff(1, 1, dec!(0), dec!(0));
        assert_eq!(
            t.rate_call("+33145", 61).unwrap().amount.amount(),
            dec!(0.02)
        );
        // 1/1, 45 s mobile: 0.10 × 45 / 60 = 0.075 exactly -> €0.08 (half away from zero).
        assert_eq!(t.rate_call("+336", 45).unwrap().amount.amount(), dec!(0.08));
    }

    #[test]
    fn connection_fee_and_minimum() {
        // 30/6, fee €0.05, minimum €0.10: 10 s landline -> 30 s × 0.02/60 = 0.01 + 0.05 = 0.06
        // -> below the minimum -> €0.10.
        let t = tariff(30, 6, dec!(0.10), dec!(0.05));
        assert_eq!(t.rate_call("+331", 10).unwrap().amount.amount(), dec!(0.10));
        // 10 min mobile: 600 s × 0.10/60 = 1.00 + 0.05 = €1.05 (above the minimum).
        assert_eq!(
            t.rate_call("+336", 600).unwrap().amount.amount(),
            dec!(1.05)
        );
        // Unanswered: nothing, not even the fee.
        assert!(t.rate_call("+336", 0).unwrap().amount.is_zero());
    }

    #[test]
    fn invalid_tariffs_are_refused() {
        let mut spec = tariff(60, 60, dec!(0), dec!(0)).spec().clone();
        spec.rates.push(PrefixRate {
            prefix: "33".into(),
            rate_per_minute: up(dec!(1)),
        });
        assert_eq!(
            Tariff::new(spec.clone()).err(),
            Some(Error::DuplicatePrefix {
                prefix: "33".into()
            })
        );
        spec.rates.pop();
        spec.rates.push(PrefixRate {
            prefix: "+33".into(),
            rate_per_minute: up(dec!(1)),
        });
        assert_eq!(
            Tariff::new(spec).err(),
            Some(Error::InvalidPrefix {
                prefix: "+33".into()
            })
        );
    }
}
