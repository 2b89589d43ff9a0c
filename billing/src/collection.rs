//! Collecting payment: what may still be refunded of a payment, how much of an invoice a
//! payment settles, and when a failed automatic charge is tried again.
//!
//! Worked example (the default schedule, `[1, 3, 7]` days): the first automatic charge fails
//! on 1 May; it is retried on 2 May (1 day later), then on 5 May (3 days after that), then on
//! 12 May (7 days after that); if that one fails too, retries are exhausted.

use crate::{Error, Money};

/// What is left to refund of a payment of `paid` of which `refunded` was given back already.
pub fn refundable(paid: Money, refunded: Money) -> Result<Money, Error> {
    let left = paid.checked_sub(refunded)?;
    left.max(Money::zero(paid.currency()))
}

/// What an invoice asks for after a payment of `paid` on `due`: never below zero (a payment
/// larger than what is due is refused before this).
pub fn due_after_payment(due: Money, paid: Money) -> Result<Money, Error> {
    due.checked_sub(paid)?.max(Money::zero(due.currency()))
}

/// What a payment of `paid` settles of an invoice that still asked for `due`: all of it, up
/// to what was due (the rest is [`overpaid`]).
pub fn settled_by_payment(due: Money, paid: Money) -> Result<Money, Error> {
    let over = overpaid(due, paid)?;
    paid.checked_sub(over)
}

/// What a payment of `paid` brings in above `due` (what the invoice still asked for): the
/// part credited to the customer's balance. Zero when it covers no more than what was due.
pub fn overpaid(due: Money, paid: Money) -> Result<Money, Error> {
    paid.checked_sub(due)?.max(Money::zero(due.currency()))
}

/// Days to wait before the next automatic attempt after the `failures`-th failure, with
/// `schedule` the days between retries; `None` once every retry has failed.
pub fn retry_delay_days(failures: u32, schedule: &[u32]) -> Option<u32> {
    let index = usize::try_from(failures.checked_sub(1)?).ok()?;
    schedule.get(index).copied()
}

#[cfg(test)]
mod tests {
    use rust_decimal::dec;

    use super::*;
    use crate::Currency;

    fn eur(amount: rust_decimal::Decimal) -> Money {
        Money::new(amount, Currency::EUR).unwrap_or_else(|_| Money::zero(Currency::EUR))
    }

    #[test]
    fn a_payment_refunds_up_to_what_is_left() {
        assert_eq!(
            refundable(eur(dec!(76.80)), eur(dec!(0))).ok(),
            Some(eur(dec!(76.80)))
        );
        assert_eq!(
            refundable(eur(dec!(76.80)), eur(dec!(76.79))).ok(),
            Some(eur(dec!(0.01)))
        );
        assert_eq!(
            refundable(eur(dec!(76.80)), eur(dec!(76.80))).ok(),
            Some(eur(dec!(0)))
        );
    }

    #[test]
    fn a_partial_payment_leaves_the_rest_due() {
        assert_eq!(
            due_after_payment(eur(dec!(76.80)), eur(dec!(50))).ok(),
            Some(eur(dec!(26.80)))
        );
        assert_eq!(
            due_after_payment(eur(dec!(76.80)), eur(dec!(76.80))).ok(),
            Some(eur(dec!(0)))
        );
    }

    #[test]
    fn a_payment_above_what_is_due_is_overpaid_by_the_difference() {
        assert_eq!(
            overpaid(eur(dec!(30)), eur(dec!(76.80))).ok(),
            Some(eur(dec!(46.80)))
        );
        assert_eq!(
            overpaid(eur(dec!(76.80)), eur(dec!(76.80))).ok(),
            Some(eur(dec!(0)))
        );
        assert_eq!(
            overpaid(eur(dec!(76.80)), eur(dec!(30))).ok(),
            Some(eur(dec!(0)))
        );
    }

    #[test]
    fn a_payment_settles_at_most_what_was_due() {
        // €76.80 due: €50 settles €50; €76.80 settles all; €100 settles €76.80 (€23.20 over).
        assert_eq!(
            settled_by_payment(eur(dec!(76.80)), eur(dec!(50))).ok(),
            Some(eur(dec!(50)))
        );
        assert_eq!(
            settled_by_payment(eur(dec!(76.80)), eur(dec!(76.80))).ok(),
            Some(eur(dec!(76.80)))
        );
        assert_eq!(
            settled_by_payment(eur(dec!(76.80)), eur(dec!(100))).ok(),
            Some(eur(dec!(76.80)))
        );
        assert_eq!(
            overpaid(eur(dec!(76.80)), eur(dec!(100))).ok(),
            Some(eur(dec!(23.20)))
        );
    }

    #[test]
    fn retries_follow_the_schedule_then_stop() {
        let schedule = [1, 3, 7];
        assert_eq!(retry_delay_days(0, &schedule), None);
        assert_eq!(retry_delay_days(1, &schedule), Some(1));
        assert_eq!(retry_delay_days(2, &schedule), Some(3));
        assert_eq!(retry_delay_days(3, &schedule), Some(7));
        assert_eq!(retry_delay_days(4, &schedule), None);
        assert_eq!(retry_delay_days(1, &[]), None);
    }
}
