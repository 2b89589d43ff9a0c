//! Dates and times as the customer reads them: "1 Jan 2027", never `2027-01-01`, and instants in
//! the customer's own time zone, never UTC.
//!
//! Billing dates (`NaiveDate`) are already days of the customer's calendar: the server counts
//! them in the customer's zone, so they are shown as they are. Instants (`DateTime<Utc>`, e.g.
//! when a quote expires) are converted to the customer's zone first.
//!
//! Periods are half-open on the wire (`[start, end)`, `end` being the first day *after* the
//! period); people read the last day they get, so a period shows `end - 1 day`.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

/// "1 Jan 2027".
pub fn day(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// The half-open period `[start, end)` by its first and last days: "1–31 Dec 2026",
/// "9 Apr – 8 May 2026", "15 Dec 2026 – 14 Jan 2027", or one day, "1 Dec 2026". The month and
/// year are written once when both days share them, as people write ranges.
///
/// An empty or inverted period (`end <= start`, which the server never sends) reads as its
/// start day rather than as a range that runs backwards.
pub fn period(start: NaiveDate, end: NaiveDate) -> String {
    let last = end.pred_opt().filter(|last| *last > start);
    let Some(last) = last else {
        return day(start);
    };
    if start.year() != last.year() {
        format!("{} – {}", day(start), day(last))
    } else if start.month() != last.month() {
        format!("{} – {}", start.format("%-d %b"), last.format("%-d %b %Y"))
    } else {
        format!("{}–{}", start.day(), day(last))
    }
}

/// The last day of the half-open period that ends (exclusive) at `end`: what "paid until"
/// means to a person.
pub fn last_day(end: NaiveDate) -> String {
    day(end.pred_opt().unwrap_or(end))
}

/// The customer's time zone, from the IANA name the schema gives (`Customer.timeZone`).
#[derive(Clone, Copy, Debug)]
pub struct CustomerZone {
    zone: Tz,
    /// Whether the name was understood; if not, times are shown in UTC and say so.
    known: bool,
}

impl CustomerZone {
    /// The zone named `iana` ("Europe/Paris"); UTC, labelled as such, for a name this build
    /// does not know (a newer tz database on the server).
    pub fn named(iana: &str) -> Self {
        match iana.parse::<Tz>() {
            Ok(zone) => Self { zone, known: true },
            Err(_) => {
                tracing::warn!(zone = iana, "unknown time zone: showing UTC");
                Self {
                    zone: Tz::UTC,
                    known: false,
                }
            }
        }
    }

    /// `instant` as a local time of day and date: "14:32, 1 Dec 2026" (or "14:32 UTC, …" when
    /// the customer's zone is unknown).
    pub fn time_and_day(&self, instant: DateTime<Utc>) -> String {
        let local = instant.with_timezone(&self.zone);
        let suffix = if self.known { "" } else { " UTC" };
        format!(
            "{}{suffix}, {}",
            local.format("%H:%M"),
            day(local.date_naive())
        )
    }

    /// `instant` as a date and a local time of day, to finish a sentence: "1 Dec 2026 at
    /// 10:04" (or "… at 10:04 UTC" when the customer's zone is unknown).
    pub fn day_at(&self, instant: DateTime<Utc>) -> String {
        let local = instant.with_timezone(&self.zone);
        let suffix = if self.known { "" } else { " UTC" };
        format!(
            "{} at {}{suffix}",
            day(local.date_naive()),
            local.format("%H:%M")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn instant(text: &str) -> DateTime<Utc> {
        text.parse().expect("an instant")
    }

    #[test]
    fn a_day_has_no_leading_zero_and_a_short_month() {
        assert_eq!(day(date("2027-01-01")), "1 Jan 2027");
        assert_eq!(day(date("2026-11-21")), "21 Nov 2026");
    }

    #[test]
    fn a_period_within_one_month_names_the_month_once() {
        assert_eq!(
            period(date("2026-12-01"), date("2027-01-01")),
            "1–31 Dec 2026"
        );
    }

    #[test]
    fn a_period_across_months_names_both_months() {
        assert_eq!(
            period(date("2026-04-09"), date("2026-05-09")),
            "9 Apr – 8 May 2026"
        );
        // Ending on the first of the next month is the rest of one month: its last day counts.
        assert_eq!(
            period(date("2026-04-09"), date("2026-05-01")),
            "9–30 Apr 2026"
        );
    }

    #[test]
    fn a_period_across_years_names_both_years() {
        assert_eq!(
            period(date("2026-12-15"), date("2027-01-15")),
            "15 Dec 2026 – 14 Jan 2027"
        );
    }

    #[test]
    fn a_one_day_period_is_that_day() {
        assert_eq!(period(date("2026-12-01"), date("2026-12-02")), "1 Dec 2026");
        assert_eq!(
            period(date("2026-12-01"), date("2026-12-01")),
            "1 Dec 2026",
            "empty: its start, not a backwards range"
        );
    }

    #[test]
    fn paid_until_is_the_last_day_included() {
        assert_eq!(last_day(date("2027-01-01")), "31 Dec 2026");
    }

    #[test]
    fn an_instant_is_shown_in_the_customers_zone() {
        let paris = CustomerZone::named("Europe/Paris");
        assert_eq!(
            paris.time_and_day(instant("2026-12-01T13:32:10Z")),
            "14:32, 1 Dec 2026"
        );
        // 23:30 UTC on 30 Nov is already 1 Dec in Paris.
        assert_eq!(
            paris.time_and_day(instant("2026-11-30T23:30:00Z")),
            "00:30, 1 Dec 2026"
        );
        // And 02:00 UTC on 1 Dec is still 30 Nov in New York.
        assert_eq!(
            CustomerZone::named("America/New_York").time_and_day(instant("2026-12-01T02:00:00Z")),
            "21:00, 30 Nov 2026"
        );
    }

    #[test]
    fn an_unknown_zone_shows_utc_and_says_so() {
        let mars = CustomerZone::named("Mars/Olympus_Mons");
        assert_eq!(
            mars.time_and_day(instant("2026-12-01T13:32:00Z")),
            "13:32 UTC, 1 Dec 2026"
        );
        assert_eq!(
            mars.day_at(instant("2026-12-01T13:32:00Z")),
            "1 Dec 2026 at 13:32 UTC"
        );
    }

    #[test]
    fn a_day_at_a_time_is_the_customers_day() {
        // 23:30 UTC on 30 Nov is 00:30 on 1 Dec in Paris: the day turns with the zone.
        assert_eq!(
            CustomerZone::named("Europe/Paris").day_at(instant("2026-11-30T23:30:00Z")),
            "1 Dec 2026 at 00:30"
        );
    }
}
