//! Item changes and cancellations within a period, worked to the cent: April 2026 (30 days),
//! Europe/Paris, 20 % VAT, the same month and rate as the license quote tests.

use super::*;
use crate::pricing::{TierSpec, TierTable};
use chrono::{NaiveDate, TimeZone};
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
fn april() -> Period {
    Period::new(d(2026, 4, 1), d(2026, 5, 1)).unwrap()
}
fn up(v: Decimal) -> UnitPrice {
    UnitPrice::new(v).unwrap()
}
fn vat() -> Option<TaxRate> {
    Some(TaxRate::new(dec!(20)).unwrap())
}
fn terms(model: PricingModel, credit_removals: bool) -> ItemTerms {
    ItemTerms {
        product_id: "support".into(),
        product_name: "Support".into(),
        model,
        proration: ProrationUnit::Day,
        credit_removals,
        tax_rate: vat(),
        licenses: false,
    }
}
fn per_unit(amount: Decimal) -> PricingModel {
    PricingModel::PerUnit {
        unit_price: up(amount),
    }
}
fn change(t: &ItemTerms, before: u32, after: u32, day: u32) -> ItemChange {
    prorate_item_change(
        t,
        before,
        after,
        &april(),
        at(4, day),
        paris(),
        Currency::EUR,
    )
    .unwrap()
}

#[test]
fn two_more_units_on_april_9_are_prorated_like_two_seats() {
    // Apr 9..=30 = 22 of 30 days: 10 × 22 / 30 = 7.3333… -> €7.33 each; 2 × 7.33 = €14.66;
    // tax 20 % of 14.66 = 2.932 -> €2.93.
    let c = change(&terms(per_unit(dec!(10)), false), 3, 5, 9);
    assert_eq!((c.factor.remaining_days, c.factor.period_days), (22, 30));
    assert_eq!(c.prorated_unit_amount.amount(), dec!(7.33));
    let item = c.proration_item.expect("a charge");
    assert_eq!(item.quantity, 2);
    assert_eq!(
        item.service_period,
        Period::new(d(2026, 4, 9), d(2026, 5, 1)).unwrap()
    );
    let line = item.line(false).unwrap();
    assert_eq!(line.description, "2 × Support at €7.33 each for 22 days");
    assert_eq!(line.amount.amount(), dec!(14.66));
    assert_eq!(line.tax.amount(), dec!(2.93));
    assert!(c.credit_to_balance.is_zero());
}

#[test]
fn an_item_added_on_april_9_charges_its_full_amount_for_22_days() {
    // A new flat €90 item: 90 × 22 / 30 = €66.00, one line of one.
    let flat = PricingModel::Flat {
        amount: up(dec!(90)),
    };
    let c = change(&terms(flat, false), 0, 1, 9);
    let item = c.proration_item.expect("a charge");
    assert_eq!(
        (item.quantity, item.prorated_unit_amount.amount()),
        (1, dec!(66))
    );
    // A per-unit item of 4 × €64 added on April 2: 4 × round(64 × 29 / 30) = 4 × 61.87 = €247.48.
    let c = change(&terms(per_unit(dec!(64)), false), 0, 4, 2);
    let line = c.proration_item.unwrap().line(false).unwrap();
    assert_eq!(line.amount.amount(), dec!(247.48));
}

#[test]
fn a_graduated_item_prorates_the_difference_of_its_full_amounts() {
    // 1–10 at €2, 11+ at €1: 8 units = €16, 12 units = 20 + 2 = €22; the difference €6 for
    // 22 of 30 days = 6 × 22 / 30 = €4.40.
    let tiers = TierTable::new(vec![
        TierSpec {
            from: 1,
            to: Some(10),
            unit_price: up(dec!(2)),
            flat_fee: up(dec!(0)),
        },
        TierSpec {
            from: 11,
            to: None,
            unit_price: up(dec!(1)),
            flat_fee: up(dec!(0)),
        },
    ])
    .unwrap();
    let c = change(&terms(PricingModel::Graduated { tiers }, false), 8, 12, 9);
    let item = c.proration_item.expect("a charge");
    assert_eq!(
        (item.quantity, item.prorated_unit_amount.amount()),
        (1, dec!(4.40))
    );
}

#[test]
fn a_volume_item_that_costs_less_with_more_units_credits_the_difference() {
    // 1–10 at €1, 11+ at €0.50 + €2: 10 units = €10, 11 units = 5.50 + 2 = €7.50. Going up
    // costs €2.50 less: 2.50 × 22 / 30 = 1.8333… -> €1.83, tax 0.366 -> €0.37: €2.20 credited.
    let tiers = TierTable::new(vec![
        TierSpec {
            from: 1,
            to: Some(10),
            unit_price: up(dec!(1)),
            flat_fee: up(dec!(0)),
        },
        TierSpec {
            from: 11,
            to: None,
            unit_price: up(dec!(0.5)),
            flat_fee: up(dec!(2)),
        },
    ])
    .unwrap();
    let c = change(&terms(PricingModel::Volume { tiers }, true), 10, 11, 9);
    assert!(c.proration_item.is_none());
    assert_eq!(c.credit_to_balance.amount(), dec!(2.20));
}

#[test]
fn fewer_units_credit_only_when_the_price_says_so() {
    // 3 units of €64 removed on April 2: 3 × 61.87 = €185.61, tax 37.122 -> €37.12: €222.73.
    let credited = change(&terms(per_unit(dec!(64)), true), 5, 2, 2);
    assert!(credited.proration_item.is_none());
    assert_eq!(credited.credit_to_balance.amount(), dec!(222.73));
    // The same removal under a price that keeps unused time paid: nothing back.
    let kept = change(&terms(per_unit(dec!(64)), false), 5, 2, 2);
    assert!(kept.credit_to_balance.is_zero());
    // Without proration there are no unused days to credit.
    let mut whole = terms(per_unit(dec!(64)), true);
    whole.proration = ProrationUnit::None;
    assert!(change(&whole, 5, 2, 2).credit_to_balance.is_zero());
    // The same quantity costs nothing and credits nothing.
    let same = change(&terms(per_unit(dec!(64)), true), 5, 5, 2);
    assert!(same.proration_item.is_none() && same.credit_to_balance.is_zero());
}

#[test]
fn removing_seats_credits_what_the_license_quote_credits() {
    // The rule is shared: 1 seat of €64 removed on April 2 credits what a license quote says.
    use crate::quote::{LicenseItem, LicensePolicy, LicensePrice, quote_license_change};
    let policy = LicensePolicy {
        credit_removals: true,
        remove_one_at_a_time: false,
        ..LicensePolicy::default()
    };
    let price = LicensePrice {
        price_id: "p".into(),
        version: 1,
        product_id: "support".into(),
        product_name: "Support".into(),
        unit_price: up(dec!(64)),
        currency: Currency::EUR,
        interval: crate::Interval::MONTHLY,
        policy,
    };
    let seats = LicenseItem::new(price, 5, april(), paris(), vat()).unwrap();
    let quote = quote_license_change(&seats, -3, at(4, 2)).unwrap();
    let item = change(&terms(per_unit(dec!(64)), true), 5, 2, 2);
    assert_eq!(quote.credit_to_balance, item.credit_to_balance);
}

#[test]
fn cancelling_on_april_21_credits_each_crediting_item_its_unused_days() {
    // Apr 21..=30 = 10 of 30 days. 2 seats at €64: 2 × round(64 × 10 / 30 = 21.333…) =
    // 2 × 21.33 = 42.66, tax 8.532 -> 8.53: €51.19. A flat €90 item: 90 × 10 / 30 = €30.00,
    // tax €6.00: €36.00. A €15 item whose price keeps unused time: nothing. Total €87.19.
    let flat = PricingModel::Flat {
        amount: up(dec!(90)),
    };
    let items = vec![
        (terms(per_unit(dec!(64)), true), 2),
        (terms(flat, true), 1),
        (terms(per_unit(dec!(15)), false), 3),
    ];
    let credit = cancellation_credit(&items, &april(), at(4, 21), paris(), Currency::EUR).unwrap();
    assert_eq!(credit.amount(), dec!(87.19));
    // Nothing to credit without items.
    let none = cancellation_credit(&[], &april(), at(4, 21), paris(), Currency::EUR).unwrap();
    assert!(none.is_zero());
}

#[test]
fn yen_and_dinar_round_to_their_own_minor_units() {
    // ¥6,400 per unit, 1 unit removed with 10 of 30 days left: 6400 × 10 / 30 = 2133.33… ->
    // ¥2,133, tax 426.6 -> ¥427: ¥2,560.
    let t = terms(per_unit(dec!(6400)), true);
    let c = prorate_item_change(&t, 2, 1, &april(), at(4, 21), paris(), Currency::JPY).unwrap();
    assert_eq!(c.credit_to_balance.amount(), dec!(2560));
    // KWD 6.400 per unit, 1 added with 22 of 30 days left: 6.4 × 22 / 30 = 4.69333… -> 4.693.
    let c =
        prorate_item_change(&t_kwd(), 1, 2, &april(), at(4, 9), paris(), Currency::KWD).unwrap();
    assert_eq!(c.prorated_unit_amount.amount(), dec!(4.693));
}

fn t_kwd() -> ItemTerms {
    terms(per_unit(dec!(6.4)), false)
}

#[test]
fn a_change_outside_the_period_is_refused() {
    let t = terms(per_unit(dec!(10)), false);
    let err = prorate_item_change(&t, 1, 2, &april(), at(5, 2), paris(), Currency::EUR);
    assert!(matches!(err, Err(Error::OutsidePeriod { .. })), "{err:?}");
}
