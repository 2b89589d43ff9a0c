//! `Money`: an amount in a currency, always a whole number of minor units.
//!
//! There is exactly one rounding rule in Billfold: half away from zero to the currency's minor
//! unit, applied once, where a line's amount is computed. Everything before that point is exact
//! `Decimal` arithmetic (or an exact ratio, see [`round_ratio`]); everything after it adds whole
//! minor units, so sums of lines never drift.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::Error;

/// An amount of money: a whole number of the currency's minor units (cents, yen, fils).
///
/// Invariant (by construction): `amount` has at most `currency.minor_units()` decimals, so
/// adding, subtracting and multiplying by integers never needs rounding again.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "MoneyRepr", into = "MoneyRepr")]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

/// How money is written when a quote or invoice is serialised: an exact decimal string.
#[derive(Serialize, Deserialize)]
struct MoneyRepr {
    amount: Decimal,
    currency: Currency,
}

impl TryFrom<MoneyRepr> for Money {
    type Error = Error;
    fn try_from(r: MoneyRepr) -> Result<Self, Error> {
        Money::new(r.amount, r.currency)
    }
}

impl From<Money> for MoneyRepr {
    fn from(m: Money) -> Self {
        MoneyRepr {
            amount: m.amount,
            currency: m.currency,
        }
    }
}

impl Money {
    /// Zero in `currency`.
    pub fn zero(currency: Currency) -> Self {
        Self {
            amount: Decimal::new(0, currency.minor_units()),
            currency,
        }
    }

    /// An exact amount; refuses one with more decimals than the currency has minor units.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self, Error> {
        let units = currency.minor_units();
        if amount.normalize().scale() > units {
            return Err(Error::TooManyDecimals {
                value: amount,
                max_decimals: units,
            });
        }
        Ok(Self {
            amount: rescaled(amount, units)?,
            currency,
        })
    }

    /// Rounds an exact value to the minor unit, half away from zero: the one rounding rule.
    ///
    /// ```
    /// # use billing::{Currency, Money};
    /// # use rust_decimal::dec;
    /// assert_eq!(Money::round(dec!(0.125), Currency::EUR).to_minor().unwrap(), 13);
    /// assert_eq!(Money::round(dec!(-0.125), Currency::EUR).to_minor().unwrap(), -13);
    /// assert_eq!(Money::round(dec!(1234.5), Currency::JPY).to_minor().unwrap(), 1235);
    /// ```
    pub fn round(value: Decimal, currency: Currency) -> Self {
        let units = currency.minor_units();
        let mut amount =
            value.round_dp_with_strategy(units, RoundingStrategy::MidpointAwayFromZero);
        // round_dp leaves fewer decimals alone; pin the scale so "64" prints as "64.00".
        amount.rescale(units);
        Self { amount, currency }
    }

    /// From integer minor units, the storage form: `from_minor(6187, EUR)` is €61.87.
    pub fn from_minor(minor: i64, currency: Currency) -> Self {
        Self {
            amount: Decimal::new(minor, currency.minor_units()),
            currency,
        }
    }

    /// To integer minor units, the storage form; `Overflow` if it does not fit an `i64`.
    pub fn to_minor(&self) -> Result<i64, Error> {
        let overflow = Error::Overflow {
            operation: "money to minor units",
        };
        // The scale is pinned to the minor units, so the mantissa is the count of minor units.
        // Only amounts beyond ~10^26 cannot be pinned, and those are far past i64 anyway.
        if self.amount.scale() != self.currency.minor_units() {
            return Err(overflow);
        }
        i64::try_from(self.amount.mantissa()).map_err(|_| overflow)
    }

    /// The exact amount, with `currency.minor_units()` decimals (fewer only beyond ~10^26).
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// True below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// `self + other`; refuses two currencies, `Overflow` past `Decimal`'s range.
    pub fn checked_add(self, other: Money) -> Result<Money, Error> {
        self.same_currency(&other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(Error::Overflow {
                operation: "money addition",
            })?;
        Ok(Self { amount, ..self })
    }

    /// `self - other`; refuses two currencies.
    pub fn checked_sub(self, other: Money) -> Result<Money, Error> {
        self.checked_add(-other)
    }

    /// `self × n` for a whole count (N seats × the rounded unit amount): exact, no rounding.
    pub fn checked_mul_int(self, n: i64) -> Result<Money, Error> {
        let amount = self
            .amount
            .checked_mul(Decimal::from(n))
            .ok_or(Error::Overflow {
                operation: "money multiplication",
            })?;
        Ok(Self {
            amount: rescaled(amount, self.currency.minor_units())?,
            ..self
        })
    }

    /// The smaller of two amounts in the same currency.
    pub fn min(self, other: Money) -> Result<Money, Error> {
        self.same_currency(&other)?;
        Ok(if other.amount < self.amount {
            other
        } else {
            self
        })
    }

    /// The larger of two amounts in the same currency.
    pub fn max(self, other: Money) -> Result<Money, Error> {
        self.same_currency(&other)?;
        Ok(if other.amount > self.amount {
            other
        } else {
            self
        })
    }

    /// Sums amounts, all in `currency` (an empty sum is zero).
    pub fn sum<'a>(
        currency: Currency,
        items: impl IntoIterator<Item = &'a Money>,
    ) -> Result<Money, Error> {
        items
            .into_iter()
            .try_fold(Money::zero(currency), |acc, m| acc.checked_add(*m))
    }

    /// Text for invoice lines: `€61.87`, `€64` (whole amounts drop `.00`), `KWD 1.235`.
    pub fn display_short(&self) -> String {
        let amount = if self.amount.fract().is_zero() {
            self.amount.trunc().normalize()
        } else {
            self.amount
        };
        self.with_symbol(amount)
    }

    fn with_symbol(&self, amount: Decimal) -> String {
        let sign = if amount.is_sign_negative() && !amount.is_zero() {
            "-"
        } else {
            ""
        };
        match self.currency.symbol() {
            Some(sym) => format!("{sign}{sym}{}", amount.abs()),
            None => format!("{sign}{} {}", self.currency.code(), amount.abs()),
        }
    }

    fn same_currency(&self, other: &Money) -> Result<(), Error> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                expected: self.currency,
                found: other.currency,
            })
        }
    }
}

impl std::ops::Neg for Money {
    type Output = Money;
    /// The opposite amount; zero stays zero (a `Decimal` negated keeps a sign bit on zero,
    /// which would print as `-0.00` and differ from a stored zero read back).
    fn neg(self) -> Money {
        if self.amount.is_zero() {
            return self;
        }
        Self {
            amount: -self.amount,
            ..self
        }
    }
}

impl fmt::Display for Money {
    /// Full precision with the symbol: `€64.00`, `¥1235`, `KWD 1.235`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.with_symbol(self.amount))
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Sets the scale of an amount that already has at most `units` decimals.
fn rescaled(mut amount: Decimal, units: u32) -> Result<Decimal, Error> {
    let before = amount;
    amount.rescale(units);
    // rescale() quietly keeps a smaller scale (or rounds) when the mantissa cannot grow: that
    // would break the "mantissa = minor units" invariant, so it is an overflow.
    if amount == before && amount.scale() == units {
        Ok(amount)
    } else {
        Err(Error::Overflow {
            operation: "money rescale",
        })
    }
}

/// `round(numerator / denominator)` to `dp` decimals, half away from zero, computed exactly.
///
/// `Decimal` division keeps only 28 significant digits, which could turn `x.xx4999…` into a
/// midpoint and round the wrong way; prorations divide by 30 days or 2,592,000 seconds, so they
/// are done here in `i128` instead: with `numerator = m / 10^s`,
/// `result = round(m × 10^dp / (10^s × denominator)) / 10^dp`.
pub(crate) fn round_ratio(numerator: Decimal, denominator: u64, dp: u32) -> Result<Decimal, Error> {
    let overflow = Error::Overflow {
        operation: "exact division",
    };
    if denominator == 0 {
        return Err(overflow);
    }
    let m = numerator.mantissa();
    let s = numerator.scale();
    let pow = |e: u32| 10i128.checked_pow(e).ok_or(overflow.clone());
    let (n, d) = if dp >= s {
        (
            m.checked_mul(pow(dp - s)?).ok_or(overflow.clone())?,
            i128::from(denominator),
        )
    } else {
        (
            m,
            i128::from(denominator)
                .checked_mul(pow(s - dp)?)
                .ok_or(overflow.clone())?,
        )
    };
    let (q, r) = (n / d, n % d);
    // Half away from zero: bump the magnitude when the remainder is at least half the divisor.
    let twice_r = r.unsigned_abs().checked_mul(2).ok_or(overflow.clone())?;
    let q = if twice_r >= d.unsigned_abs() {
        q + n.signum()
    } else {
        q
    };
    Decimal::try_from_i128_with_scale(q, dp).map_err(|_| overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    const EUR: Currency = Currency::EUR;

    #[test]
    fn negating_zero_gives_zero_not_minus_zero() {
        // An invoice without discounts has `discount = -(sum of no lines)`: it must print as a
        // stored zero does, or a preview and its invoice differ by a sign.
        assert_eq!((-Money::zero(EUR)).to_string(), "€0.00");
        assert_eq!((-Money::zero(EUR)).amount().to_string(), "0.00");
        assert_eq!((-Money::from_minor(5, EUR)).to_string(), "-€0.05");
    }

    #[test]
    fn minor_units_round_trip_in_all_three_precisions() {
        // €61.87 = 6187 cents; ¥1235 = 1235 yen; KWD 1.235 = 1235 fils.
        assert_eq!(Money::from_minor(6187, EUR).amount(), dec!(61.87));
        assert_eq!(Money::from_minor(1235, Currency::JPY).amount(), dec!(1235));
        assert_eq!(Money::from_minor(1235, Currency::KWD).amount(), dec!(1.235));
        for c in [EUR, Currency::JPY, Currency::KWD] {
            for minor in [0, 1, -1, 999, i64::MAX, i64::MIN] {
                assert_eq!(Money::from_minor(minor, c).to_minor(), Ok(minor));
            }
        }
    }

    #[test]
    fn to_minor_overflows_cleanly() {
        let huge = Money::new(dec!(99999999999999999999.99), EUR).unwrap();
        assert!(matches!(huge.to_minor(), Err(Error::Overflow { .. })));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        // 0.005 -> 0.01 and -0.005 -> -0.01 (not banker's 0.00); 0.0049 -> 0.00.
        assert_eq!(Money::round(dec!(0.005), EUR).amount(), dec!(0.01));
        assert_eq!(Money::round(dec!(-0.005), EUR).amount(), dec!(-0.01));
        assert_eq!(Money::round(dec!(0.0049), EUR).amount(), dec!(0.00));
        // JPY 0 decimals: 2.5 -> 3; KWD 3 decimals: 0.0125 -> 0.013.
        assert_eq!(Money::round(dec!(2.5), Currency::JPY).amount(), dec!(3));
        assert_eq!(
            Money::round(dec!(0.0125), Currency::KWD).amount(),
            dec!(0.013)
        );
    }

    #[test]
    fn new_refuses_sub_minor_amounts() {
        assert_eq!(
            Money::new(dec!(1.005), EUR),
            Err(Error::TooManyDecimals {
                value: dec!(1.005),
                max_decimals: 2
            })
        );
        assert!(Money::new(dec!(1.5), Currency::JPY).is_err());
        // Trailing zeros are not extra precision.
        assert_eq!(Money::new(dec!(1.500), EUR).unwrap().to_minor(), Ok(150));
    }

    #[test]
    fn adding_two_currencies_is_refused() {
        let e = Money::from_minor(100, EUR);
        let u = Money::from_minor(100, Currency::USD);
        assert_eq!(
            e.checked_add(u),
            Err(Error::CurrencyMismatch {
                expected: EUR,
                found: Currency::USD
            })
        );
        assert_eq!(e.checked_add(e).unwrap().to_minor(), Ok(200));
    }

    #[test]
    fn multiplication_overflow_is_an_error() {
        let m = Money::new(dec!(79228162514264337593543950.33), EUR).unwrap();
        assert!(matches!(
            m.checked_mul_int(100),
            Err(Error::Overflow { .. })
        ));
        // ×10 still fits 96 bits at scale 2, but is far beyond i64 minor units.
        assert!(matches!(
            m.checked_mul_int(10).unwrap().to_minor(),
            Err(Error::Overflow { .. })
        ));
    }

    #[test]
    fn display_forms() {
        assert_eq!(Money::from_minor(6400, EUR).display_short(), "€64");
        assert_eq!(Money::from_minor(6187, EUR).display_short(), "€61.87");
        assert_eq!(Money::from_minor(6400, EUR).to_string(), "€64.00");
        assert_eq!(Money::from_minor(-6187, EUR).to_string(), "-€61.87");
        assert_eq!(
            Money::from_minor(1235, Currency::KWD).to_string(),
            "KWD 1.235"
        );
    }

    #[test]
    fn round_ratio_is_exact_at_midpoints() {
        // 64 × 29 / 30 = 61.8666… -> 61.87
        assert_eq!(round_ratio(dec!(1856), 30, 2), Ok(dec!(61.87)));
        // 0.01 × 1 / 2 = 0.005 exactly -> 0.01 (half away from zero), and -0.005 -> -0.01.
        assert_eq!(round_ratio(dec!(0.01), 2, 2), Ok(dec!(0.01)));
        assert_eq!(round_ratio(dec!(-0.01), 2, 2), Ok(dec!(-0.01)));
        // 1 / 3 = 0.333… -> 0.33; 2 / 3 = 0.666… -> 0.67
        assert_eq!(round_ratio(dec!(1), 3, 2), Ok(dec!(0.33)));
        assert_eq!(round_ratio(dec!(2), 3, 2), Ok(dec!(0.67)));
        assert!(round_ratio(dec!(1), 0, 2).is_err());
    }
}
