//! The prefix of a document number (`INV` in `INV-2026-000042`): a setting checked when the
//! configuration is read, so a server never starts with a prefix it cannot print.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest prefix accepted. Numbers are stored in 32-character columns (unique): 12 for the
/// prefix, 6 for `-2026-`, leaves 14 digits for the year's count.
pub const MAX_PREFIX_LEN: usize = 12;

/// A document number prefix: 1 to [`MAX_PREFIX_LEN`] characters of `A`–`Z`, `0`–`9` and `-`,
/// starting and ending with a letter or digit (the number adds its own `-` after it).
///
/// Built only through [`NumberPrefix::parse`] (or deserialisation, which calls it), so a value
/// is always printable as-is. Kept inline (no allocation) so numbers stay `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct NumberPrefix {
    bytes: [u8; MAX_PREFIX_LEN],
    len: u8,
}

impl NumberPrefix {
    /// Checks `value` against the rules; the error says which rule it breaks.
    pub fn parse(value: &str) -> Result<Self, String> {
        if value.is_empty() {
            return Err("must not be empty".into());
        }
        if value.len() > MAX_PREFIX_LEN {
            return Err(format!(
                "must be at most {MAX_PREFIX_LEN} characters, not {}",
                value.len()
            ));
        }
        if let Some(bad) = value
            .chars()
            .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!("may hold only A-Z, 0-9 and '-', not {bad:?}"));
        }
        if value.starts_with('-') || value.ends_with('-') {
            return Err(format!(
                "must start and end with a letter or digit (the number adds the '-'), not {value:?}"
            ));
        }
        let mut bytes = [0; MAX_PREFIX_LEN];
        bytes[..value.len()].copy_from_slice(value.as_bytes());
        Ok(Self {
            bytes,
            // At most MAX_PREFIX_LEN (12): fits.
            len: value.len() as u8,
        })
    }

    /// The prefix as written.
    pub fn as_str(&self) -> &str {
        // Only ASCII was ever copied in (checked by `parse`).
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// `INV`, the default prefix of invoice numbers.
    pub fn invoice_default() -> Self {
        Self::parse("INV").expect("INV is a valid prefix")
    }

    /// `CN`, the default prefix of credit note numbers.
    pub fn credit_note_default() -> Self {
        Self::parse("CN").expect("CN is a valid prefix")
    }
}

impl fmt::Display for NumberPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for NumberPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl Serialize for NumberPrefix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for NumberPrefix {
    /// From a string; also from a whole number, because environment variables that look like
    /// numbers (`BILLFOLD_BILLING__INVOICE_NUMBER_PREFIX=2026`) arrive as numbers.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PrefixVisitor;

        impl Visitor<'_> for PrefixVisitor {
            type Value = NumberPrefix;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number prefix (1 to 12 of A-Z, 0-9 and inner '-')")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<NumberPrefix, E> {
                NumberPrefix::parse(value)
                    .map_err(|reason| E::custom(format!("number prefix {value:?} {reason}")))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<NumberPrefix, E> {
                self.visit_str(&value.to_string())
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<NumberPrefix, E> {
                self.visit_str(&value.to_string())
            }
        }

        deserializer.deserialize_any(PrefixVisitor)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::{Config, ConfigError};

    #[test]
    fn accepts_capitals_digits_and_dashes_up_to_twelve() {
        for ok in ["INV", "CN", "A", "ACME-2", "2026", "ABCDEFGHIJKL", "A-B-C"] {
            assert_eq!(
                NumberPrefix::parse(ok).map(|p| p.to_string()),
                Ok(ok.into())
            );
        }
    }

    #[test]
    fn refuses_empty_long_lowercase_and_other_characters() {
        let reason = |s: &str| NumberPrefix::parse(s).unwrap_err();
        assert_eq!(reason(""), "must not be empty");
        // 13 characters: one past the limit.
        assert_eq!(
            reason("ABCDEFGHIJKLM"),
            "must be at most 12 characters, not 13"
        );
        assert!(reason("inv").contains("not 'i'"), "{}", reason("inv"));
        assert!(reason("INV_1").contains("not '_'"));
        assert!(reason("IN V").contains("not ' '"));
        assert!(reason("INV-").contains("start and end"));
        assert!(reason("-INV").contains("start and end"));
        // Not ASCII: 'É' is a capital letter, but not one of A-Z.
        assert!(reason("É").contains("not 'É'"));
    }

    #[test]
    fn number_prefixes_default_to_inv_and_cn_and_must_differ() {
        let config = Config::default();
        assert_eq!(config.billing.invoice_number_prefix.as_str(), "INV");
        assert_eq!(config.billing.credit_note_number_prefix.as_str(), "CN");
        let mut same = Config::default();
        same.billing.credit_note_number_prefix = NumberPrefix::parse("INV").unwrap();
        assert!(matches!(
            same.validated(),
            Err(ConfigError::BadSetting {
                setting: "billing.credit_note_number_prefix",
                ..
            })
        ));
    }

    #[test]
    // figment's Jail closure returns figment's own (large) error type; not ours to shrink.
    #[allow(clippy::result_large_err)]
    fn number_prefixes_are_read_from_file_and_environment_and_checked() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "billfold.toml",
                "[billing]\ninvoice_number_prefix = \"ACME\"\n",
            )?;
            jail.set_env("BILLFOLD_BILLING__CREDIT_NOTE_NUMBER_PREFIX", "2026");
            let config: Config = Config::figment(Path::new("billfold.toml")).extract()?;
            assert_eq!(config.billing.invoice_number_prefix.as_str(), "ACME");
            // A prefix of digits arrives from the environment as a number: still a prefix.
            assert_eq!(config.billing.credit_note_number_prefix.as_str(), "2026");

            jail.set_env("BILLFOLD_BILLING__INVOICE_NUMBER_PREFIX", "inv");
            let error = Config::figment(Path::new("billfold.toml"))
                .extract::<Config>()
                .map_err(|e| ConfigError::Invalid(Box::new(e)))
                .unwrap_err()
                .to_string();
            assert!(
                error
                    .to_lowercase()
                    .contains("billing.invoice_number_prefix")
                    && error.contains("\"inv\" may hold only A-Z, 0-9"),
                "names the setting and the rule: {error}"
            );
            jail.set_env("BILLFOLD_BILLING__INVOICE_NUMBER_PREFIX", "ABCDEFGHIJKLM");
            let error = Config::figment(Path::new("billfold.toml"))
                .extract::<Config>()
                .unwrap_err()
                .to_string();
            assert!(error.contains("at most 12"), "{error}");
            jail.set_env("BILLFOLD_BILLING__INVOICE_NUMBER_PREFIX", "");
            let error = Config::figment(Path::new("billfold.toml"))
                .extract::<Config>()
                .unwrap_err()
                .to_string();
            assert!(error.contains("must not be empty"), "{error}");
            Ok(())
        });
    }
}
