//! The table of reference cases from the seed documents and the issue: each row is a worked
//! example with its arithmetic, checked against the public API.

use billing::*;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rust_decimal::dec;
use std::num::NonZeroU64;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn up(v: Decimal) -> UnitPrice {
    UnitPrice::new(v).unwrap()
}
fn paris() -> Tz {
    "Europe/Paris".parse().unwrap()
}
fn paris_at(y: i32, m: u32, day: u32, h: u32) -> DateTime<Utc> {
    paris()
        .with_ymd_and_hms(y, m, day, h, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}
fn prorate(price: Decimal, remaining: u64, length: u64, c: Currency) -> Decimal {
    let f = ProrationFactor {
        unit: ProrationUnit::Day,
        remaining,
        length,
        remaining_days: 0,
        period_days: 0,
    };
    f.prorate(up(price), c).unwrap().amount()
}
fn tier(from: u64, to: Option<u64>, unit: Decimal, flat: Decimal) -> TierSpec {
    TierSpec {
        from,
        to,
        unit_price: up(unit),
        flat_fee: up(flat),
    }
}

#[test]
fn money_reference_table() {
    let chargeover = {
        let flat = PricingModel::Flat {
            amount: up(dec!(10)),
        }
        .amount(dec!(1))
        .unwrap();
        let minutes = PricingModel::PerUnit {
            unit_price: up(dec!(0.05)),
        }
        .amount(dec!(361))
        .unwrap();
        Money::round(flat, Currency::USD)
            .checked_add(Money::round(minutes, Currency::USD))
            .unwrap()
            .amount()
    };
    let two_seats = Money::new(prorate(dec!(64), 22, 30, Currency::EUR), Currency::EUR)
        .unwrap()
        .checked_mul_int(2)
        .unwrap()
        .amount();
    // (case, computed, expected)
    let table: Vec<(&str, Decimal, Decimal)> = vec![
        // ChargeOver: $10 flat + 361 min × $0.05 = 10 + 18.05
        ("chargeover flat + 361 min", chargeover, dec!(28.05)),
        // Ringover: 64 × 29 / 30 = 61.8666… -> 61.87
        (
            "€64, 29 of 30 days",
            prorate(dec!(64), 29, 30, Currency::EUR),
            dec!(61.87),
        ),
        // 64 × 22 / 30 = 46.9333… -> 46.93; × 2 = 93.86
        (
            "€64, 22 of 30 days, unit",
            prorate(dec!(64), 22, 30, Currency::EUR),
            dec!(46.93),
        ),
        ("2 licenses × €46.93", two_seats, dec!(93.86)),
        // 64 × 30 / 30 = 64 (Ringover's "3 licenses at €64 each for 30 days")
        (
            "€64, 30 of 30 days",
            prorate(dec!(64), 30, 30, Currency::EUR),
            dec!(64.00),
        ),
        // ¥10,000 × 29 / 30 = 9,666.66… -> 9,667
        (
            "JPY prorated",
            prorate(dec!(10000), 29, 30, Currency::JPY),
            dec!(9667),
        ),
        // ¥1 × 1 / 2 = 0.5 -> 1 (half away from zero)
        (
            "JPY midpoint",
            prorate(dec!(1), 1, 2, Currency::JPY),
            dec!(1),
        ),
        // KWD 19.990 × 29 / 30 = 19.32366… -> 19.324
        (
            "KWD prorated",
            prorate(dec!(19.990), 29, 30, Currency::KWD),
            dec!(19.324),
        ),
        // KWD 0.001 × 1 / 2 = 0.0005 -> 0.001
        (
            "KWD midpoint",
            prorate(dec!(0.001), 1, 2, Currency::KWD),
            dec!(0.001),
        ),
        // BHD 1.2345 rounds to 1.235 (half away from zero)
        (
            "BHD rounding",
            Money::round(dec!(1.2345), Currency::BHD).amount(),
            dec!(1.235),
        ),
    ];
    for (case, got, want) in table {
        assert_eq!(got, want, "{case}");
    }
}

#[test]
fn tier_boundary_table() {
    // 1–10 at 1.00; 11–100 at 0.50 (+2 flat on entry); 101+ at 0.25.
    let tiers = TierTable::new(vec![
        tier(1, Some(10), dec!(1), dec!(0)),
        tier(11, Some(100), dec!(0.5), dec!(2)),
        tier(101, None, dec!(0.25), dec!(0)),
    ])
    .unwrap();
    // Stairstep: 1–10 → 10, 11–100 → 40, 101+ → 100.
    let steps = StairstepTable::new(vec![
        tier(1, Some(10), dec!(0), dec!(10)),
        tier(11, Some(100), dec!(0), dec!(40)),
        tier(101, None, dec!(0), dec!(100)),
    ])
    .unwrap();
    let graduated = PricingModel::Graduated {
        tiers: tiers.clone(),
    };
    let volume = PricingModel::Volume { tiers };
    let stairstep = PricingModel::Stairstep { tiers: steps };
    let package = PricingModel::Package {
        block_size: NonZeroU64::new(10).unwrap(),
        block_price: up(dec!(5)),
    };
    // q: graduated | volume | stairstep | package (blocks of 10 at 5)
    //  9:  9       |  9     | 10 | 5
    // 10: 10       | 10     | 10 | 5
    // 11: 10+2+0.5 = 12.5 | 11×0.5+2 = 7.5 | 40 | 10
    // 99: 10+2+89×0.5 = 56.5 | 99×0.5+2 = 51.5 | 40 | 50
    // 100: 57      | 52     | 40 | 50
    // 101: 57.25   | 25.25  | 100 | 55
    let rows = [
        (dec!(0), dec!(0), dec!(0), dec!(0), dec!(0)),
        (dec!(1), dec!(1), dec!(1), dec!(10), dec!(5)),
        (dec!(9), dec!(9), dec!(9), dec!(10), dec!(5)),
        (dec!(10), dec!(10), dec!(10), dec!(10), dec!(5)),
        (dec!(11), dec!(12.5), dec!(7.5), dec!(40), dec!(10)),
        (dec!(99), dec!(56.5), dec!(51.5), dec!(40), dec!(50)),
        (dec!(100), dec!(57), dec!(52), dec!(40), dec!(50)),
        (dec!(101), dec!(57.25), dec!(25.25), dec!(100), dec!(55)),
    ];
    for (q, g, v, s, p) in rows {
        assert_eq!(graduated.amount(q).unwrap(), g, "graduated {q}");
        assert_eq!(volume.amount(q).unwrap(), v, "volume {q}");
        assert_eq!(stairstep.amount(q).unwrap(), s, "stairstep {q}");
        assert_eq!(package.amount(q).unwrap(), p, "package {q}");
    }
}

#[test]
fn calendar_table() {
    let monthly = |anchor| BillingCycle::new(anchor, Interval::MONTHLY);
    let starts = |c: BillingCycle, n: u32| {
        (0..n)
            .map(|i| c.period(i).unwrap().start())
            .collect::<Vec<_>>()
    };
    // Jan 31 through a leap February (2028) and a common one (2027): clamp, then return to the 31st.
    assert_eq!(
        starts(monthly(d(2028, 1, 31)), 4),
        [
            d(2028, 1, 31),
            d(2028, 2, 29),
            d(2028, 3, 31),
            d(2028, 4, 30)
        ]
    );
    assert_eq!(
        starts(monthly(d(2027, 1, 31)), 4),
        [
            d(2027, 1, 31),
            d(2027, 2, 28),
            d(2027, 3, 31),
            d(2027, 4, 30)
        ]
    );
    // Yearly Feb 29: 2028-02-29 -> 2029-02-28 -> 2030-02-28 -> 2031-02-28 -> 2032-02-29.
    let yearly = BillingCycle::new(d(2028, 2, 29), Interval::YEARLY);
    assert_eq!(
        starts(yearly, 5),
        [
            d(2028, 2, 29),
            d(2029, 2, 28),
            d(2030, 2, 28),
            d(2031, 2, 28),
            d(2032, 2, 29)
        ]
    );
}

#[test]
fn dst_days_in_paris_are_whole_days() {
    // A one-day period on each DST day, prorated by day at noon: 1 of 1 day -> the full €10.
    for (m, day) in [(3, 29), (10, 25)] {
        let p = Period::new(d(2026, m, day), d(2026, m, day + 1)).unwrap();
        let f = ProrationFactor::at(&p, paris_at(2026, m, day, 12), paris(), ProrationUnit::Day)
            .unwrap();
        assert_eq!((f.remaining, f.length), (1, 1));
        assert_eq!(
            f.prorate(up(dec!(10)), Currency::EUR).unwrap().amount(),
            dec!(10)
        );
    }
    // A week over the spring change: Mar 26 – Apr 2, changed on Mar 29 -> 4 of 7 days.
    // 70 × 4 / 7 = 40 exactly, although the 29th has 23 hours.
    let week = Period::new(d(2026, 3, 26), d(2026, 4, 2)).unwrap();
    let f =
        ProrationFactor::at(&week, paris_at(2026, 3, 29, 9), paris(), ProrationUnit::Day).unwrap();
    assert_eq!(
        f.prorate(up(dec!(70)), Currency::EUR).unwrap().amount(),
        dec!(40)
    );
    // The same week over the autumn change: Oct 22 – 29, changed Oct 25 -> 4 of 7 -> 40.
    let week = Period::new(d(2026, 10, 22), d(2026, 10, 29)).unwrap();
    let f = ProrationFactor::at(
        &week,
        paris_at(2026, 10, 25, 9),
        paris(),
        ProrationUnit::Day,
    )
    .unwrap();
    assert_eq!(
        f.prorate(up(dec!(70)), Currency::EUR).unwrap().amount(),
        dec!(40)
    );
}

#[test]
fn public_types_are_send_and_sync() {
    // The server shares these across tasks; this fails to compile if one stops being thread-safe.
    fn check<T: Send + Sync>() {}
    check::<Money>();
    check::<LicenseItem>();
    check::<LicenseQuote>();
    check::<Tariff>();
    check::<InvoiceInput>();
    check::<Invoice>();
    check::<Error>();
}
