//! Billing intervals, half-open periods `[start, end)` from an anchor, and day/second counts in
//! the customer's time zone.
//!
//! Periods are calendar dates in the customer's zone, so a DST day (23 or 25 hours) is still one
//! whole day when prorating by day; prorating by second uses the real instants instead.

use chrono::{DateTime, Days, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The unit of a billing interval.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalUnit {
    /// Calendar days.
    Day,
    /// Seven calendar days.
    Week,
    /// Calendar months (end-of-month anchors clamp, then return).
    Month,
    /// Three calendar months.
    Quarter,
    /// Twelve calendar months (a Feb 29 anchor clamps to Feb 28 in common years).
    Year,
}

/// A billing interval: a unit × a count of at least 1 ("every 2 weeks", "every 3 months").
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "IntervalRepr", into = "IntervalRepr")]
pub struct Interval {
    unit: IntervalUnit,
    count: u32,
}

#[derive(Serialize, Deserialize)]
struct IntervalRepr {
    unit: IntervalUnit,
    count: u32,
}

impl TryFrom<IntervalRepr> for Interval {
    type Error = Error;
    fn try_from(r: IntervalRepr) -> Result<Self, Error> {
        Interval::new(r.unit, r.count)
    }
}

impl From<Interval> for IntervalRepr {
    fn from(i: Interval) -> Self {
        IntervalRepr {
            unit: i.unit,
            count: i.count,
        }
    }
}

impl Interval {
    /// `count` × `unit`; a count of 0 is refused.
    pub fn new(unit: IntervalUnit, count: u32) -> Result<Self, Error> {
        if count == 0 {
            return Err(Error::ZeroIntervalCount);
        }
        Ok(Self { unit, count })
    }

    /// Every month, the most common interval.
    pub const MONTHLY: Interval = Interval {
        unit: IntervalUnit::Month,
        count: 1,
    };

    /// Every year.
    pub const YEARLY: Interval = Interval {
        unit: IntervalUnit::Year,
        count: 1,
    };

    /// The unit.
    pub fn unit(&self) -> IntervalUnit {
        self.unit
    }

    /// The count (≥ 1).
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The date `n` intervals after `anchor`, always computed from the anchor itself so a
    /// clamped month end returns to the anchor day later (Jan 31 -> Feb 28 -> Mar 31).
    pub fn nth_after(&self, anchor: NaiveDate, n: u32) -> Result<NaiveDate, Error> {
        let overflow = Error::Overflow {
            operation: "period date",
        };
        let steps = n.checked_mul(self.count).ok_or(overflow.clone())?;
        let date = match self.unit {
            IntervalUnit::Day => anchor.checked_add_days(Days::new(u64::from(steps))),
            IntervalUnit::Week => anchor.checked_add_days(Days::new(u64::from(steps) * 7)),
            IntervalUnit::Month | IntervalUnit::Quarter | IntervalUnit::Year => {
                let per = match self.unit {
                    IntervalUnit::Quarter => 3,
                    IntervalUnit::Year => 12,
                    _ => 1,
                };
                // chrono clamps to the month's last day when the anchor day does not exist.
                let months = steps.checked_mul(per).ok_or(overflow.clone())?;
                anchor.checked_add_months(Months::new(months))
            }
        };
        date.ok_or(overflow)
    }
}

/// A half-open period of calendar dates `[start, end)` in the customer's time zone; never empty.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "PeriodRepr", into = "PeriodRepr")]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(Serialize, Deserialize)]
struct PeriodRepr {
    start: NaiveDate,
    end: NaiveDate,
}

impl TryFrom<PeriodRepr> for Period {
    type Error = Error;
    fn try_from(r: PeriodRepr) -> Result<Self, Error> {
        Period::new(r.start, r.end)
    }
}

impl From<Period> for PeriodRepr {
    fn from(p: Period) -> Self {
        PeriodRepr {
            start: p.start,
            end: p.end,
        }
    }
}

impl Period {
    /// `[start, end)`; refuses `end <= start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, Error> {
        if end <= start {
            return Err(Error::EmptyPeriod { start, end });
        }
        Ok(Self { start, end })
    }

    /// First day (inclusive).
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Day after the last day (exclusive): the next period's start.
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// Number of calendar days; a DST day counts as one day.
    pub fn days(&self) -> u32 {
        // Bounded by chrono's date range (< 2^31 days), so the conversion cannot fail in practice.
        u32::try_from((self.end - self.start).num_days()).unwrap_or(u32::MAX)
    }

    /// Whether `date` is in `[start, end)`.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// The instant the period starts: local midnight of `start` in `tz`.
    pub fn start_instant(&self, tz: Tz) -> DateTime<Utc> {
        local_midnight(self.start, tz)
    }

    /// The instant the period ends: local midnight of `end` in `tz`.
    pub fn end_instant(&self, tz: Tz) -> DateTime<Utc> {
        local_midnight(self.end, tz)
    }

    /// Length in real seconds in `tz` (a period holding a spring-forward day is 3,600 s short).
    pub fn seconds(&self, tz: Tz) -> u64 {
        let s = (self.end_instant(tz) - self.start_instant(tz)).num_seconds();
        u64::try_from(s).unwrap_or(0)
    }
}

/// The calendar date of an instant in the customer's time zone.
pub fn local_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The first instant of `date` in `tz`: local midnight, or the end of a DST gap that swallows it
/// (a few zones change clocks at midnight), or the earlier of two ambiguous midnights.
pub fn local_midnight(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    for minutes in (0..=180).step_by(15) {
        let local = midnight + chrono::Duration::minutes(minutes);
        if let Some(t) = tz.from_local_datetime(&local).earliest() {
            return t.with_timezone(&Utc);
        }
    }
    // No zone has a gap longer than three hours; fall back to reading the date as UTC.
    midnight.and_utc()
}

/// A billing cycle: an anchor date and an interval; period `n` is
/// `[anchor + n × interval, anchor + (n+1) × interval)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub struct BillingCycle {
    /// The first day of the first period; its day of month is the billing day.
    pub anchor: NaiveDate,
    /// The interval between period starts.
    pub interval: Interval,
}

impl BillingCycle {
    /// A cycle from `anchor` every `interval`.
    pub fn new(anchor: NaiveDate, interval: Interval) -> Self {
        Self { anchor, interval }
    }

    /// Period number `n` (0 is the one starting at the anchor).
    pub fn period(&self, n: u32) -> Result<Period, Error> {
        let start = self.interval.nth_after(self.anchor, n)?;
        let end = self.interval.nth_after(
            self.anchor,
            n.checked_add(1).ok_or(Error::Overflow {
                operation: "period index",
            })?,
        )?;
        Period::new(start, end)
    }

    /// The index of the period holding `date`; `BeforeAnchor` before the first period.
    pub fn index_of(&self, date: NaiveDate) -> Result<u32, Error> {
        if date < self.anchor {
            return Err(Error::BeforeAnchor {
                date,
                anchor: self.anchor,
            });
        }
        // Estimate from the length of one interval, then step to the exact period: the
        // estimate is off by at most one or two because months differ in length.
        let days = (date - self.anchor).num_days();
        let count = i64::from(self.interval.count);
        let guess = match self.interval.unit {
            IntervalUnit::Day => days / count,
            IntervalUnit::Week => days / (7 * count),
            IntervalUnit::Month => days / (28 * count),
            IntervalUnit::Quarter => days / (89 * count),
            IntervalUnit::Year => days / (365 * count),
        };
        let mut n = u32::try_from(guess).map_err(|_| Error::Overflow {
            operation: "period index",
        })?;
        while n > 0 && self.interval.nth_after(self.anchor, n)? > date {
            n -= 1;
        }
        while self.period(n)?.end() <= date {
            n += 1;
        }
        Ok(n)
    }

    /// The period holding `date`.
    pub fn period_containing(&self, date: NaiveDate) -> Result<Period, Error> {
        self.period(self.index_of(date)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn jan_31_anchor_clamps_and_returns_leap_year_2028() {
        let c = BillingCycle::new(d(2028, 1, 31), Interval::MONTHLY);
        // Jan 31 -> Feb 29 (2028 is leap) -> Mar 31 -> Apr 30 -> May 31
        let starts: Vec<_> = (0..5).map(|n| c.period(n).unwrap().start()).collect();
        assert_eq!(
            starts,
            [
                d(2028, 1, 31),
                d(2028, 2, 29),
                d(2028, 3, 31),
                d(2028, 4, 30),
                d(2028, 5, 31)
            ]
        );
        // [Jan 31, Feb 29) = 29 days; [Feb 29, Mar 31) = 31 days.
        assert_eq!(c.period(0).unwrap().days(), 29);
        assert_eq!(c.period(1).unwrap().days(), 31);
    }

    #[test]
    fn jan_31_anchor_through_common_february_2027() {
        let c = BillingCycle::new(d(2027, 1, 31), Interval::MONTHLY);
        assert_eq!(
            c.period(1).unwrap(),
            Period::new(d(2027, 2, 28), d(2027, 3, 31)).unwrap()
        );
        // [Jan 31, Feb 28) = 28 days; [Feb 28, Mar 31) = 31 days.
        assert_eq!(c.period(0).unwrap().days(), 28);
        assert_eq!(c.period(1).unwrap().days(), 31);
    }

    #[test]
    fn yearly_feb_29_anchor() {
        let c = BillingCycle::new(d(2028, 2, 29), Interval::YEARLY);
        // 2029..2031 are common years (Feb 28); 2032 is leap again (Feb 29).
        assert_eq!(c.period(0).unwrap().end(), d(2029, 2, 28));
        assert_eq!(
            c.period(3).unwrap(),
            Period::new(d(2031, 2, 28), d(2032, 2, 29)).unwrap()
        );
        // [2028-02-29, 2029-02-28) = 365 days; [2031-02-28, 2032-02-29) = 366 days.
        assert_eq!(c.period(0).unwrap().days(), 365);
        assert_eq!(c.period(3).unwrap().days(), 366);
    }

    #[test]
    fn weeks_quarters_and_counts() {
        let two_weeks =
            BillingCycle::new(d(2026, 1, 5), Interval::new(IntervalUnit::Week, 2).unwrap());
        assert_eq!(two_weeks.period(1).unwrap().start(), d(2026, 1, 19));
        let quarter = BillingCycle::new(
            d(2026, 11, 30),
            Interval::new(IntervalUnit::Quarter, 1).unwrap(),
        );
        // Nov 30 + 3 months = Feb 28 (clamped); + 6 months = May 30 (returns).
        assert_eq!(
            quarter.period(1).unwrap(),
            Period::new(d(2027, 2, 28), d(2027, 5, 30)).unwrap()
        );
        assert_eq!(
            Interval::new(IntervalUnit::Day, 0),
            Err(Error::ZeroIntervalCount)
        );
    }

    #[test]
    fn period_containing_finds_the_half_open_period() {
        let c = BillingCycle::new(d(2028, 1, 31), Interval::MONTHLY);
        // Feb 29 starts period 1; Feb 28 is still in period 0; Mar 30 in period 1.
        assert_eq!(c.index_of(d(2028, 2, 28)), Ok(0));
        assert_eq!(c.index_of(d(2028, 2, 29)), Ok(1));
        assert_eq!(c.index_of(d(2028, 3, 30)), Ok(1));
        assert_eq!(c.index_of(d(2028, 3, 31)), Ok(2));
        assert_eq!(
            c.index_of(d(2031, 12, 31))
                .map(|n| c.period(n).unwrap().contains(d(2031, 12, 31))),
            Ok(true)
        );
        assert!(matches!(
            c.index_of(d(2028, 1, 30)),
            Err(Error::BeforeAnchor { .. })
        ));
        for days in 0..800u64 {
            let date = d(2028, 1, 31).checked_add_days(Days::new(days)).unwrap();
            assert!(c.period_containing(date).unwrap().contains(date), "{date}");
        }
    }

    #[test]
    fn dst_days_are_whole_days_but_not_24_hours() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        // 2026-03-29: clocks go 02:00 -> 03:00, the day lasts 23 h; 2026-10-25 lasts 25 h.
        let spring = Period::new(d(2026, 3, 29), d(2026, 3, 30)).unwrap();
        let autumn = Period::new(d(2026, 10, 25), d(2026, 10, 26)).unwrap();
        assert_eq!((spring.days(), spring.seconds(paris)), (1, 23 * 3600));
        assert_eq!((autumn.days(), autumn.seconds(paris)), (1, 25 * 3600));
        // March 2026 in Paris: 31 days, 31 × 86,400 − 3,600 seconds.
        let march = Period::new(d(2026, 3, 1), d(2026, 4, 1)).unwrap();
        assert_eq!(march.seconds(paris), 31 * 86_400 - 3_600);
    }

    #[test]
    fn empty_periods_are_refused() {
        assert!(matches!(
            Period::new(d(2026, 1, 1), d(2026, 1, 1)),
            Err(Error::EmptyPeriod { .. })
        ));
    }
}
