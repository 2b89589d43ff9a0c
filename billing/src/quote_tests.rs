//! Quote tests: Ringover's pop-up numbers, the policy's refusals, and the stale check.

use super::*;
use chrono::TimeZone;
use rust_decimal::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn paris() -> Tz {
    "Europe/Paris".parse().unwrap()
}
fn at(m: u32, day: u32) -> DateTime<Utc> {
    paris()
        .with_ymd_and_hms(2026, m, day, 10, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// ADVANCED at €64/month, 10 seats, April 2026 (30 days), 20 % VAT.
fn item(policy: LicensePolicy) -> LicenseItem {
    let price = LicensePrice {
        price_id: "price_adv".into(),
        version: 3,
        product_id: "adv".into(),
        product_name: "ADVANCED".into(),
        unit_price: UnitPrice::new(dec!(64)).unwrap(),
        currency: Currency::EUR,
        interval: Interval::MONTHLY,
        policy,
    };
    let april = Period::new(d(2026, 4, 1), d(2026, 5, 1)).unwrap();
    LicenseItem::new(
        price,
        10,
        april,
        paris(),
        Some(TaxRate::new(dec!(20)).unwrap()),
    )
    .unwrap()
}

#[test]
fn add_one_seat_29_of_30_days_charged_now() {
    let q = quote_license_change(&item(LicensePolicy::default()), 1, at(4, 2)).unwrap();
    // Apr 2..=Apr 30 = 29 of 30 days: 64 × 29 / 30 = 61.8666… -> €61.87.
    assert_eq!(
        (q.proration.remaining_days, q.proration.period_days),
        (29, 30)
    );
    assert_eq!(q.prorated_unit_amount.amount(), dec!(61.87));
    // Tax 20 % of 61.87 = 12.374 -> 12.37; due now 61.87 + 12.37 = €74.24.
    assert_eq!(q.tax.amount(), dec!(12.37));
    assert_eq!(q.amount_due_now.amount(), dec!(74.24));
    assert!(q.amount_next_invoice.is_zero());
    assert_eq!(
        q.line.as_ref().unwrap().description,
        "1 ADVANCED license at €61.87 for 29 days"
    );
    // Pop-up: €64 per license, paid from today, 11 seats = €704/month, Apr 2 – May 1 prepaid.
    assert_eq!(q.recurring_unit_amount.amount(), dec!(64));
    assert_eq!(q.delta_recurring_total.amount(), dec!(64));
    assert_eq!(q.new_recurring_total.amount(), dec!(704));
    assert_eq!((q.quantity_before, q.quantity_after), (10, 11));
    assert_eq!(q.first_payment_date, d(2026, 4, 2));
    assert_eq!(
        q.prepaid_period,
        Period::new(d(2026, 4, 2), d(2026, 5, 1)).unwrap()
    );
}

#[test]
fn add_two_seats_22_days_on_the_next_invoice() {
    let policy = LicensePolicy {
        additions: AdditionCharge::NextInvoice,
        ..LicensePolicy::default()
    };
    let q = quote_license_change(&item(policy), 2, at(4, 9)).unwrap();
    // Apr 9..=30 = 22 days: 64 × 22 / 30 = 46.9333… -> 46.93 each; 2 × 46.93 = 93.86;
    // tax 18.772 -> 18.77; next invoice 93.86 + 18.77 = 112.63.
    let line = q.line.as_ref().unwrap();
    assert_eq!(
        line.description,
        "2 ADVANCED licenses at €46.93 each for 22 days"
    );
    assert_eq!(line.amount.amount(), dec!(93.86));
    assert_eq!(q.amount_next_invoice.amount(), dec!(112.63));
    assert!(q.amount_due_now.is_zero());
    assert_eq!(q.first_payment_date, d(2026, 5, 1));
}

#[test]
fn removal_credits_unused_time_only_when_the_price_says_so() {
    let kept = quote_license_change(&item(LicensePolicy::default()), -1, at(4, 2)).unwrap();
    assert!(
        kept.credit_to_balance.is_zero() && kept.line.is_none() && kept.amount_due_now.is_zero()
    );
    assert_eq!(kept.new_recurring_total.amount(), dec!(576)); // 9 × 64
    let policy = LicensePolicy {
        credit_removals: true,
        ..LicensePolicy::default()
    };
    let credited = quote_license_change(&item(policy), -1, at(4, 2)).unwrap();
    // 61.87 + 20 % tax 12.37 = 74.24 back to the balance.
    assert_eq!(credited.credit_to_balance.amount(), dec!(74.24));
}

#[test]
fn seats_changed_during_a_free_trial_cost_and_credit_nothing_until_it_ends() {
    // The same item, its April a free trial ending May 1: +1 seat on Apr 2, charged
    // immediately outside a trial (€74.24 above), is free; its first payment is the trial's end,
    // when May bills 11 × €64 = €704 in advance.
    let trial = item(LicensePolicy::default()).in_trial();
    let added = quote_license_change(&trial, 1, at(4, 2)).unwrap();
    assert!(added.prorated_unit_amount.is_zero());
    assert!(added.proration_item.is_none() && added.line.is_none());
    assert!(added.tax.is_zero());
    assert!(added.amount_due_now.is_zero() && added.amount_next_invoice.is_zero());
    assert_eq!(added.first_payment_date, d(2026, 5, 1));
    assert_eq!(added.new_recurring_total.amount(), dec!(704));
    // A removal credits nothing: nothing of the trial was paid.
    let credited = LicensePolicy {
        credit_removals: true,
        ..LicensePolicy::default()
    };
    let removed = quote_license_change(&item(credited).in_trial(), -1, at(4, 2)).unwrap();
    assert!(removed.credit_to_balance.is_zero());
    assert_eq!(removed.new_recurring_total.amount(), dec!(576));
    // The stored quote still applies to the same trial, and is stale once the trial is over
    // (the item is then quoted for a paid period).
    assert_eq!(added.recheck(&trial, at(4, 2)), Ok(()));
    assert!(
        added
            .recheck(&item(LicensePolicy::default()), at(4, 2))
            .is_err()
    );
}

#[test]
fn policy_refusals_carry_their_numbers() {
    let it = item(LicensePolicy {
        min_quantity: 9,
        max_quantity: Some(12),
        ..LicensePolicy::default()
    });
    assert_eq!(
        quote_license_change(&it, 0, at(4, 2)),
        Err(Error::ZeroDelta)
    );
    assert_eq!(
        quote_license_change(&it, 3, at(4, 2)),
        Err(Error::AboveMaximum {
            requested: 13,
            max: 12
        })
    );
    assert_eq!(
        quote_license_change(&it, -2, at(4, 2)),
        Err(Error::BelowMinimum {
            requested: 8,
            min: 9
        })
    );
    let it = item(LicensePolicy::default());
    assert_eq!(
        quote_license_change(&it, -2, at(4, 2)),
        Err(Error::OneAtATime { requested: 2 })
    );
    let free = item(LicensePolicy {
        remove_one_at_a_time: false,
        min_quantity: 0,
        ..LicensePolicy::default()
    });
    assert_eq!(
        quote_license_change(&free, -11, at(4, 2)),
        Err(Error::BelowMinimum {
            requested: -1,
            min: 0
        })
    );
    assert!(quote_license_change(&free, -10, at(4, 2)).is_ok());
    assert!(matches!(
        quote_license_change(&it, 1, at(5, 2)),
        Err(Error::OutsidePeriod { .. })
    ));
    let mut bad = item(LicensePolicy::default()).price().clone();
    bad.policy.min_quantity = 5;
    bad.policy.max_quantity = Some(4);
    let april = Period::new(d(2026, 4, 1), d(2026, 5, 1)).unwrap();
    assert_eq!(
        LicenseItem::new(bad, 1, april, paris(), None),
        Err(Error::InvalidPolicy { min: 5, max: 4 })
    );
}

#[test]
fn huge_numbers_price_or_overflow_and_never_panic() {
    let mut price = item(LicensePolicy::default()).price().clone();
    price.unit_price = UnitPrice::MAX;
    let april = Period::new(d(2026, 4, 1), d(2026, 5, 1)).unwrap();
    let it = LicenseItem::new(price, u32::MAX - 1, april, paris(), None).unwrap();
    // The largest unit price keeps even u32::MAX seats (4.3 × 10^16 major units) inside the
    // i64 of minor units: it prices.
    assert!(quote_license_change(&it, 1, at(4, 2)).is_ok());
    // A quantity past u32 does not.
    assert!(matches!(
        quote_license_change(&it, i32::MAX, at(4, 2)),
        Err(Error::Overflow { .. })
    ));
}

#[test]
fn recheck_same_day_applies_later_day_or_changed_state_is_stale() {
    let it = item(LicensePolicy::default());
    let q = quote_license_change(&it, 1, at(4, 2)).unwrap();
    // Later the same day (Paris): 29 days left still -> same amounts -> apply.
    let evening = paris()
        .with_ymd_and_hms(2026, 4, 2, 23, 59, 0)
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(q.recheck(&it, evening), Ok(()));
    // Next day: 28 days -> 64 × 28 / 30 = 59.73 -> stale.
    assert_eq!(
        q.recheck(&it, at(4, 3)),
        Err(Error::QuoteStale {
            field: "prorated_unit_amount",
            quoted: "€61.87".into(),
            current: "€59.73".into()
        })
    );
    // A seat added meanwhile by someone else: "+1" still costs 1 × €61.87 -> apply.
    let more =
        LicenseItem::new(it.price().clone(), 11, it.period(), paris(), it.tax_rate()).unwrap();
    assert_eq!(q.recheck(&more, at(4, 2)), Ok(()));
    // A removal quoted at 2 seats, when another removal already took the count to the
    // minimum (1, the default policy): removing again would leave 0 < 1 -> refused.
    let two = LicenseItem::new(it.price().clone(), 2, it.period(), paris(), it.tax_rate()).unwrap();
    let removal = quote_license_change(&two, -1, at(4, 2)).unwrap();
    let one = LicenseItem::new(it.price().clone(), 1, it.period(), paris(), it.tax_rate()).unwrap();
    assert!(matches!(
        removal.recheck(&one, at(4, 2)),
        Err(Error::BelowMinimum {
            requested: 0,
            min: 1
        })
    ));
    // A new price version.
    let mut p = it.price().clone();
    p.version = 4;
    let moved = LicenseItem::new(p, 10, it.period(), paris(), it.tax_rate()).unwrap();
    assert!(matches!(
        q.recheck(&moved, at(4, 2)),
        Err(Error::QuoteStale {
            field: "price_version",
            ..
        })
    ));
    // Applied after the period rolled over.
    assert!(matches!(
        q.recheck(&it, at(5, 1)),
        Err(Error::QuoteStale {
            field: "change_date",
            ..
        })
    ));
}

#[test]
fn a_stored_quote_reads_back_identical_and_still_applies() {
    // The server stores quotes as JSON text; what it reads back must be the same quote.
    let it = item(LicensePolicy::default());
    let q = quote_license_change(&it, 2, at(4, 9)).unwrap();
    let text = serde_json::to_string(&q).unwrap();
    let back: LicenseQuote = serde_json::from_str(&text).unwrap();
    assert_eq!(back, q);
    assert_eq!(back.recheck(&it, at(4, 9)), Ok(()));
    // Exact decimals survive as text: "64" stays 64, €46.93 stays 4693 cents.
    assert!(text.contains("\"64\""), "{text}");
}

#[test]
fn jpy_and_kwd_quotes() {
    let mut price = item(LicensePolicy::default()).price().clone();
    price.currency = Currency::JPY;
    price.unit_price = UnitPrice::new(dec!(1000)).unwrap();
    let april = Period::new(d(2026, 4, 1), d(2026, 5, 1)).unwrap();
    // ¥1,000 × 29 / 30 = 966.66… -> ¥967
    let q = quote_license_change(
        &LicenseItem::new(price.clone(), 1, april, paris(), None).unwrap(),
        1,
        at(4, 2),
    )
    .unwrap();
    assert_eq!(q.prorated_unit_amount.to_minor(), Ok(967));
    price.currency = Currency::KWD;
    price.unit_price = UnitPrice::new(dec!(12.5)).unwrap();
    // KWD 12.500 × 29 / 30 = 12.08333… -> 12.083
    let q = quote_license_change(
        &LicenseItem::new(price, 1, april, paris(), None).unwrap(),
        1,
        at(4, 2),
    )
    .unwrap();
    assert_eq!(q.prorated_unit_amount.to_minor(), Ok(12083));
}
