//! Instants written in one time zone as RFC 3339 with their offset (`2026-06-01T10:00:00+02:00`),
//! the form every export's time columns take, fast enough for a million rows: the zone's
//! offset is looked up once per quarter hour of UTC time, not once per instant (an export's
//! rows come in time order, so consecutive instants share their quarter), and the digits are
//! written by hand instead of through a format string. A quarter is remembered only when its
//! first and last second have the same offset: no zone changes its offset twice within 15
//! minutes, so then every instant of it has that offset; a quarter holding a change (today's
//! changes never fall inside one, some historical ones did) is looked up instant by instant.

use billing::Tz;
use chrono::{DateTime, Datelike, Offset, TimeZone, Timelike, Utc};

/// Seconds in the span that shares one offset.
const QUARTER_HOUR: i64 = 900;

/// Writes instants in one time zone; remembers the offset of the last quarter hour asked.
pub struct LocalTimes {
    tz: Tz,
    /// (quarter hour since the epoch, its offset in seconds east of UTC).
    last: Option<(i64, i32)>,
}

impl LocalTimes {
    /// A writer of instants in `tz`.
    pub fn new(tz: Tz) -> Self {
        Self { tz, last: None }
    }

    /// `at` in the zone, RFC 3339 with the offset, appended to `out`: what
    /// `at.with_timezone(&tz).format("%Y-%m-%dT%H:%M:%S%:z")` writes.
    pub fn write(&mut self, out: &mut String, at: DateTime<Utc>) {
        let quarter = at.timestamp().div_euclid(QUARTER_HOUR);
        let offset = match self.last {
            Some((q, offset)) if q == quarter => offset,
            _ => {
                let first = self.offset_at(quarter * QUARTER_HOUR);
                let last = self.offset_at(quarter * QUARTER_HOUR + QUARTER_HOUR - 1);
                if first == last {
                    self.last = Some((quarter, first));
                    first
                } else {
                    self.last = None;
                    self.offset_at(at.timestamp())
                }
            }
        };
        let local = at.naive_utc() + chrono::TimeDelta::seconds(i64::from(offset));
        let year = local.year();
        if (0..=9999).contains(&year) {
            push_digits(out, year.unsigned_abs(), 4);
        } else {
            // Outside what four digits hold (never in practice): chrono's own form.
            out.push_str(&local.format("%Y").to_string());
        }
        out.push('-');
        push_digits(out, local.month(), 2);
        out.push('-');
        push_digits(out, local.day(), 2);
        out.push('T');
        push_digits(out, local.hour(), 2);
        out.push(':');
        push_digits(out, local.minute(), 2);
        out.push(':');
        push_digits(out, local.second(), 2);
        out.push(if offset < 0 { '-' } else { '+' });
        // To the nearest minute, as chrono writes an offset with seconds (the local mean times
        // before 1900: Los Angeles' −7:52:58 is `-07:53`).
        let minutes = (offset.unsigned_abs() + 30) / 60;
        push_digits(out, minutes / 60, 2);
        out.push(':');
        push_digits(out, minutes % 60, 2);
    }
}

impl LocalTimes {
    /// The zone's offset at `timestamp` (seconds since the epoch), in seconds east of UTC.
    fn offset_at(&self, timestamp: i64) -> i32 {
        DateTime::from_timestamp(timestamp, 0).map_or(0, |at| {
            self.tz
                .offset_from_utc_datetime(&at.naive_utc())
                .fix()
                .local_minus_utc()
        })
    }
}

/// `value` in decimal, left-padded with zeros to `width` digits.
fn push_digits(out: &mut String, value: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut rest = value;
    let mut at = digits.len();
    while rest > 0 || digits.len() - at < width {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::super::export::CSV_TIME_FORMAT;
    use super::*;

    /// What chrono's formatter writes, which this must equal.
    fn chrono_form(at: DateTime<Utc>, tz: Tz) -> String {
        at.with_timezone(&tz).format(CSV_TIME_FORMAT).to_string()
    }

    #[test]
    fn every_instant_reads_as_chronos_format_across_offset_changes() {
        // Paris and New York across both of 2026's changes, Kathmandu (+05:45), Chatham
        // (+12:45/+13:45), St John's (-03:30/-02:30) and UTC, every 7 minutes 13 seconds of
        // the year: each quarter hour's cached offset must be right on both sides of a change.
        let zones: [Tz; 6] = [
            "Europe/Paris".parse().expect("tz"),
            "America/New_York".parse().expect("tz"),
            "Asia/Kathmandu".parse().expect("tz"),
            "Pacific/Chatham".parse().expect("tz"),
            "America/St_Johns".parse().expect("tz"),
            "UTC".parse().expect("tz"),
        ];
        let start = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("start");
        for tz in zones {
            let mut times = LocalTimes::new(tz);
            let mut out = String::new();
            let mut at = start;
            while at.timestamp() < start.timestamp() + 366 * 86_400 {
                out.clear();
                times.write(&mut out, at);
                assert_eq!(out, chrono_form(at, tz), "{tz} at {at}");
                at += chrono::TimeDelta::seconds(433);
            }
        }
    }

    #[test]
    fn out_of_order_instants_padding_and_odd_historical_changes_are_right() {
        for tz in ["America/Los_Angeles", "Europe/Amsterdam"] {
            let tz: Tz = tz.parse().expect("tz");
            let mut times = LocalTimes::new(tz);
            for text in [
                "2026-12-31T23:59:59Z",
                "0001-01-01T00:00:00Z",
                "2026-03-08T10:00:00Z",
                "2026-03-08T09:59:59Z",
                // Amsterdam left its +00:19:32 on 1 July 1937 at 00:00 local, inside a quarter.
                "1937-06-30T23:40:27Z",
                "1937-06-30T23:40:28Z",
                "1937-06-30T23:40:29Z",
            ] {
                let at: DateTime<Utc> = text.parse().expect("instant");
                let mut out = String::new();
                times.write(&mut out, at);
                assert_eq!(out, chrono_form(at, tz), "{tz} {text}");
            }
        }
    }
}
