//! Numbers (the telecom seed): tariffs ([`tariffs`]), telephone numbers sold to customers
//! ([`phone_numbers`]) and released ([`release`]), and their call records, rated at ingestion
//! ([`calls`]).
//!
//! Money is computed in `billing` only: a call's cost is `billing::Tariff::rate_call`, stored
//! rounded with the call, and what an invoice bills is the sum of those stored amounts.

mod call_checks;
pub mod calls;
pub mod csv_import;
pub mod invoicing;
pub mod phone_numbers;
pub mod release;
pub mod tariffs;

use crate::clock::Clock;
use crate::db::Db;

pub use calls::{CallInput, CallsRecorded, Rerated, UnratedCallFilter};
pub use phone_numbers::{NewPhoneNumber, NumberFilter};
pub use release::NumberReleased;
pub use tariffs::{SpecInput, TariffFilter, TariffWithVersion, tariff_of};

/// Tariffs, numbers and calls.
#[derive(Clone)]
pub struct NumbersService {
    db: Db,
    clock: Clock,
}

impl NumbersService {
    /// A service over `db`, stamping rows with `clock`'s time.
    pub fn new(db: Db, clock: Clock) -> Self {
        Self { db, clock }
    }
}

/// `+` then 2 to 15 digits, the first not 0 (ITU-T E.164).
pub fn is_e164(n: &str) -> bool {
    let Some(digits) = n.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::is_e164;

    #[test]
    fn e164_bounds() {
        assert!(is_e164("+33123456789"));
        assert!(is_e164("+12"));
        assert!(!is_e164("+1"));
        assert!(is_e164("+123456789012345"));
        assert!(!is_e164("+1234567890123456"));
        assert!(!is_e164("+033123"));
        assert!(!is_e164("33123456789"));
        assert!(!is_e164("+33 1 23"));
    }
}
