//! ISO 4217 currencies and their minor units.
//!
//! A `Currency` can only be obtained from the table below (by code or through a constant), so
//! holding one proves the code is known and its number of decimals is right.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// An ISO 4217 currency with its number of minor-unit decimals (0, 2 or 3).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    minor_units: u8,
}

impl Currency {
    const fn of(code: &'static str, minor_units: u8) -> Self {
        Self { code, minor_units }
    }

    /// Euro (2 decimals).
    pub const EUR: Self = Self::of("EUR", 2);
    /// US dollar (2 decimals).
    pub const USD: Self = Self::of("USD", 2);
    /// Pound sterling (2 decimals).
    pub const GBP: Self = Self::of("GBP", 2);
    /// Swiss franc (2 decimals).
    pub const CHF: Self = Self::of("CHF", 2);
    /// Japanese yen (0 decimals).
    pub const JPY: Self = Self::of("JPY", 0);
    /// Kuwaiti dinar (3 decimals).
    pub const KWD: Self = Self::of("KWD", 3);
    /// Bahraini dinar (3 decimals).
    pub const BHD: Self = Self::of("BHD", 3);

    /// Looks up a currency by its ISO 4217 alphabetic code (case-sensitive, upper case).
    ///
    /// ```
    /// # use billing::Currency;
    /// assert_eq!(Currency::from_code("JPY").unwrap().minor_units(), 0);
    /// assert!(Currency::from_code("XXX").is_err());
    /// ```
    pub fn from_code(code: &str) -> Result<Self, Error> {
        TABLE
            .iter()
            .find(|c| c.code() == code)
            .copied()
            .ok_or_else(|| Error::UnknownCurrency { code: code.into() })
    }

    /// The three-letter ISO 4217 code, e.g. `"EUR"`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Number of decimals of the minor unit: 0 (JPY), 2 (EUR), 3 (KWD).
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }

    /// The symbol used in invoice line texts (`€`, `$`, `£`, `¥`), or `None` to print the code.
    pub fn symbol(&self) -> Option<&'static str> {
        match self.code {
            "EUR" => Some("€"),
            "USD" => Some("$"),
            "GBP" => Some("£"),
            "JPY" => Some("¥"),
            _ => None,
        }
    }

    /// Every currency this crate knows.
    pub fn all() -> &'static [Currency] {
        TABLE
    }
}

macro_rules! table {
    ($($code:literal $units:literal),* $(,)?) => {
        static TABLE: &[Currency] = &[$(Currency::of($code, $units)),*];
    };
}

// The common ISO 4217 currencies. Three-decimal ones are the dinars and the Omani rial;
// zero-decimal ones are those whose ISO minor unit is 0.
table! {
    "AED" 2, "ARS" 2, "AUD" 2, "BGN" 2, "BHD" 3, "BRL" 2, "CAD" 2, "CHF" 2, "CLP" 0, "CNY" 2,
    "COP" 2, "CZK" 2, "DKK" 2, "EGP" 2, "EUR" 2, "GBP" 2, "HKD" 2, "HUF" 2, "IDR" 2, "ILS" 2,
    "INR" 2, "IQD" 3, "ISK" 0, "JOD" 3, "JPY" 0, "KES" 2, "KRW" 0, "KWD" 3, "LYD" 3, "MAD" 2,
    "MXN" 2, "MYR" 2, "NGN" 2, "NOK" 2, "NZD" 2, "OMR" 3, "PHP" 2, "PKR" 2, "PLN" 2, "PYG" 0,
    "QAR" 2, "RON" 2, "RSD" 2, "SAR" 2, "SEK" 2, "SGD" 2, "THB" 2, "TND" 3, "TRY" 2, "TWD" 2,
    "UAH" 2, "UGX" 0, "USD" 2, "VND" 0, "XAF" 0, "XOF" 0, "ZAR" 2,
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Currency {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Self::from_code(&code).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_of_the_three_kinds() {
        assert_eq!(Currency::from_code("JPY").unwrap().minor_units(), 0);
        assert_eq!(Currency::from_code("EUR").unwrap().minor_units(), 2);
        assert_eq!(Currency::from_code("USD").unwrap().minor_units(), 2);
        assert_eq!(Currency::from_code("GBP").unwrap().minor_units(), 2);
        assert_eq!(Currency::from_code("KWD").unwrap().minor_units(), 3);
        assert_eq!(Currency::from_code("BHD").unwrap().minor_units(), 3);
    }

    #[test]
    fn constants_agree_with_the_table() {
        for c in [
            Currency::EUR,
            Currency::USD,
            Currency::GBP,
            Currency::CHF,
            Currency::JPY,
            Currency::KWD,
            Currency::BHD,
        ] {
            assert_eq!(Currency::from_code(c.code()).unwrap(), c);
        }
    }

    #[test]
    fn every_code_round_trips() {
        for c in Currency::all() {
            assert_eq!(c.code().len(), 3);
            assert_eq!(Currency::from_code(c.code()).unwrap(), *c);
        }
    }

    #[test]
    fn unknown_and_lower_case_codes_are_refused() {
        assert_eq!(
            Currency::from_code("eur"),
            Err(Error::UnknownCurrency { code: "eur".into() })
        );
        assert!(Currency::from_code("EURO").is_err());
    }
}
