//! Exact, validated decimal rates: unit prices (≤ 12 decimals) and percentages.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The most decimals a unit price may carry (e.g. €0.000123456789 per API call).
pub const UNIT_PRICE_MAX_DECIMALS: u32 = 12;

/// The largest quantity anything priced may have: a one-time addon (up to 1,000,000, the
/// largest the server accepts) or a subscription item (up to 10,000 seats or units). Not
/// checked here (quantities are checked where they are entered); it is what
/// [`MAX_UNIT_PRICE`] is computed for.
pub const MAX_QUANTITY: i64 = 1_000_000;

/// The largest unit price, in major units (€10,000,000), so that pricing never overflows the
/// `i64` of minor units amounts are stored in:
///
/// - `i64::MAX` is 9,223,372,036,854,775,807 ≈ 9.22 × 10^18 minor units;
/// - the most minor digits of a currency is 3 (KWD, BHD): 1 major unit = 10^3 minor units;
/// - the largest line is [`MAX_QUANTITY`] × `MAX_UNIT_PRICE` = 10^6 × 10^7 = 10^13 major
///   units = 10^16 minor units; with tax at the highest rate (100 %), 2 × 10^16;
/// - so one line fits ~461 times over: an invoice of 50 such charges (the most one request
///   makes), each taxed at 100 %, totals 10^18, still 9× inside `i64`. Tiers add at most one
///   flat fee (≤ `MAX_UNIT_PRICE`) per tier reached, which does not change the order.
///
/// Metered totals (usage) beyond [`MAX_QUANTITY`] are not covered by this bound: rating them
/// keeps its checked arithmetic (`Overflow`), and usage ingestion must bound them.
pub const MAX_UNIT_PRICE: i64 = 10_000_000;

/// A non-negative price per unit with at most 12 decimals, in the price's currency.
///
/// Unit prices are not `Money`: they are not rounded to the minor unit (a minute of telephone
/// may cost €0.0123). Only the line amount computed from them is rounded. Stored as an exact
/// decimal string; `"0.050"` round-trips as `"0.050"`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitPrice(Decimal);

impl UnitPrice {
    /// Zero.
    pub const ZERO: UnitPrice = UnitPrice(Decimal::ZERO);

    /// The largest unit price: [`MAX_UNIT_PRICE`] (see there for the arithmetic).
    pub const MAX: UnitPrice =
        UnitPrice(Decimal::from_parts(MAX_UNIT_PRICE as u32, 0, 0, false, 0));

    /// Validates a decimal: not negative, at most [`UnitPrice::MAX`], at most 12 decimals
    /// (trailing zeros do not count).
    pub fn new(value: Decimal) -> Result<Self, Error> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(Error::Negative {
                what: "unit price",
                value,
            });
        }
        if value > Self::MAX.0 {
            return Err(Error::TooLarge {
                what: "unit price",
                value,
                max: Self::MAX.0,
            });
        }
        if value.normalize().scale() > UNIT_PRICE_MAX_DECIMALS {
            return Err(Error::TooManyDecimals {
                value,
                max_decimals: UNIT_PRICE_MAX_DECIMALS,
            });
        }
        Ok(Self(value))
    }

    /// The exact value.
    pub fn value(&self) -> Decimal {
        self.0
    }

    /// For people, in `currency`: never rounded, with at least the currency's minor digits
    /// and no trailing zero past them (`€64.00`, `€12.50`, `€0.0123`, `¥7`, `KWD 1.250`), so
    /// a rate below the minor unit still reads exactly as it is billed.
    pub fn display(&self, currency: crate::Currency) -> String {
        let mut amount = self.0.normalize();
        if amount.scale() < currency.minor_units() {
            amount.rescale(currency.minor_units());
        }
        match currency.symbol() {
            Some(symbol) => format!("{symbol}{amount}"),
            None => format!("{} {amount}", currency.code()),
        }
    }
}

impl FromStr for UnitPrice {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let d = Decimal::from_str_exact(s.trim())
            .map_err(|_| Error::InvalidDecimal { input: s.into() })?;
        Self::new(d)
    }
}

impl TryFrom<String> for UnitPrice {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl From<UnitPrice> for String {
    fn from(p: UnitPrice) -> String {
        p.0.to_string()
    }
}

impl fmt::Display for UnitPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for UnitPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UnitPrice({})", self.0)
    }
}

/// A percentage between 0 and 100 inclusive with at most 4 decimals (`20`, `5.5`, `8.875`):
/// used for tax rates and percent coupons.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Percent(Decimal);

impl Percent {
    /// Validates a percentage (0–100, ≤ 4 decimals).
    pub fn new(value: Decimal) -> Result<Self, Error> {
        if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED || value.normalize().scale() > 4 {
            return Err(Error::InvalidPercent { percent: value });
        }
        Ok(Self(value))
    }

    /// The percentage, e.g. `20` for 20 %.
    pub fn value(&self) -> Decimal {
        self.0
    }

    /// `amount × percent / 100`, exact (a percent has ≤ 4 decimals, so this never divides).
    pub(crate) fn of(&self, amount: Decimal) -> Result<Decimal, Error> {
        // Dividing by 100 is exact in base 10: shift the scale by 2.
        let mut p = self.0;
        p.set_scale(p.scale() + 2).map_err(|_| Error::Overflow {
            operation: "percent",
        })?;
        amount.checked_mul(p).ok_or(Error::Overflow {
            operation: "percent",
        })
    }
}

impl FromStr for Percent {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let d = Decimal::from_str_exact(s.trim())
            .map_err(|_| Error::InvalidDecimal { input: s.into() })?;
        Self::new(d)
    }
}

impl TryFrom<String> for Percent {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl From<Percent> for String {
    fn from(p: Percent) -> String {
        p.0.to_string()
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

impl fmt::Debug for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Percent({})", self.0)
    }
}

/// A tax rate in percent. A separate name from [`Percent`] so signatures say which is which.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub struct TaxRate(pub Percent);

impl TaxRate {
    /// Validates a tax rate in percent (0–100); `InvalidTaxRate` otherwise.
    pub fn new(percent: Decimal) -> Result<Self, Error> {
        Percent::new(percent)
            .map(TaxRate)
            .map_err(|_| Error::InvalidTaxRate { percent })
    }

    /// The tax on a line amount, rounded half away from zero to the minor unit.
    pub fn tax_on(&self, amount: crate::Money) -> Result<crate::Money, Error> {
        Ok(crate::Money::round(
            self.0.of(amount.amount())?,
            amount.currency(),
        ))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn unit_prices_display_exactly_with_at_least_the_minor_digits() {
        let eur = crate::Currency::from_code("EUR").expect("EUR");
        let jpy = crate::Currency::from_code("JPY").expect("JPY");
        let kwd = crate::Currency::from_code("KWD").expect("KWD");
        let show =
            |text: &str, currency| text.parse::<UnitPrice>().expect("price").display(currency);
        assert_eq!(show("64", eur), "€64.00");
        assert_eq!(show("12.5", eur), "€12.50");
        assert_eq!(show("0.050", eur), "€0.05");
        assert_eq!(show("0.0123", eur), "€0.0123");
        assert_eq!(show("0.000123456789", eur), "€0.000123456789");
        assert_eq!(show("7", jpy), "¥7");
        assert_eq!(show("1.25", kwd), "KWD 1.250");
        assert_eq!(show("0", eur), "€0.00");
    }
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn unit_price_parses_exactly_and_round_trips() {
        let p: UnitPrice = "0.050".parse().unwrap();
        assert_eq!(String::from(p), "0.050");
        let p: UnitPrice = "0.000000000001".parse().unwrap();
        assert_eq!(p.value(), dec!(0.000000000001));
        // 12 decimals plus trailing zeros is still 12 significant decimals.
        assert!("1.1234567890120".parse::<UnitPrice>().is_ok());
    }

    #[test]
    fn unit_price_refuses_13_decimals_negative_and_garbage() {
        assert_eq!(
            "0.0000000000001".parse::<UnitPrice>(),
            Err(Error::TooManyDecimals {
                value: dec!(0.0000000000001),
                max_decimals: 12
            })
        );
        assert!(matches!(
            "-1".parse::<UnitPrice>(),
            Err(Error::Negative { .. })
        ));
        assert!(matches!(
            "1e3".parse::<UnitPrice>(),
            Err(Error::InvalidDecimal { .. })
        ));
        assert!(matches!(
            "abc".parse::<UnitPrice>(),
            Err(Error::InvalidDecimal { .. })
        ));
    }

    #[test]
    fn unit_price_is_bounded_at_ten_million() {
        assert_eq!(UnitPrice::MAX.value(), dec!(10000000));
        assert!("10000000".parse::<UnitPrice>().is_ok());
        assert!("10000000.000000000000".parse::<UnitPrice>().is_ok());
        // One past the bound, at the smallest step a unit price has.
        assert_eq!(
            "10000000.000000000001".parse::<UnitPrice>(),
            Err(Error::TooLarge {
                what: "unit price",
                value: dec!(10000000.000000000001),
                max: dec!(10000000),
            })
        );
        assert!(matches!(
            "79228162514264337593543950335".parse::<UnitPrice>(),
            Err(Error::TooLarge { .. })
        ));
    }

    #[test]
    fn the_largest_line_and_fifty_of_them_taxed_fit_in_i64_minor_units() {
        use crate::{Currency, Money};
        // Independent of the constants' arithmetic: the largest quantity at the largest price,
        // in the currency with the most decimals, rounded to minor units.
        let most_decimals = Currency::all()
            .iter()
            .copied()
            .max_by_key(Currency::minor_units)
            .unwrap();
        assert_eq!(
            most_decimals.minor_units(),
            3,
            "the bound assumes 3 at most"
        );
        let line = Decimal::from(MAX_QUANTITY) * UnitPrice::MAX.value();
        let line = Money::new(line, most_decimals).unwrap();
        assert_eq!(line.to_minor().unwrap(), 10_000_000_000_000_000);
        let taxed = TaxRate::new(dec!(100)).unwrap().tax_on(line).unwrap();
        let invoice = (0..50).try_fold(Money::zero(most_decimals), |sum, _| {
            sum.checked_add(line)?.checked_add(taxed)
        });
        assert!(invoice.unwrap().to_minor().is_ok());
    }

    #[test]
    fn percent_bounds_and_exact_application() {
        assert!(Percent::new(dec!(100.0001)).is_err());
        assert!(Percent::new(dec!(-1)).is_err());
        assert!(Percent::new(dec!(5.00001)).is_err());
        // 20 % of 61.87 = 12.374 exactly.
        assert_eq!(
            Percent::new(dec!(20)).unwrap().of(dec!(61.87)),
            Ok(dec!(12.374))
        );
        assert!(matches!(
            TaxRate::new(dec!(101)),
            Err(Error::InvalidTaxRate { .. })
        ));
    }

    #[test]
    fn tax_is_rounded_half_away_from_zero() {
        use crate::{Currency, Money};
        let rate = TaxRate::new(dec!(20)).unwrap();
        // 20 % of €61.87 = 12.374 -> €12.37; of €0.025… use €0.05 × 10 % = 0.005 -> €0.01.
        assert_eq!(
            rate.tax_on(Money::from_minor(6187, Currency::EUR))
                .unwrap()
                .to_minor(),
            Ok(1237)
        );
        let ten = TaxRate::new(dec!(10)).unwrap();
        assert_eq!(
            ten.tax_on(Money::from_minor(5, Currency::EUR))
                .unwrap()
                .to_minor(),
            Ok(1)
        );
        assert_eq!(
            ten.tax_on(Money::from_minor(-5, Currency::EUR))
                .unwrap()
                .to_minor(),
            Ok(-1)
        );
    }
}
