//! Properties of the billing domain, 1,000 cases each in the normal test run.

use billing::*;
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

const CASES: u32 = 1_000;

fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![
        Just(Currency::EUR),
        Just(Currency::JPY),
        Just(Currency::KWD),
        Just(Currency::USD)
    ]
}

/// Unit prices from 0 to 100,000 with 0 to 12 decimals.
fn unit_price() -> impl Strategy<Value = UnitPrice> {
    (0i64..100_000_000_000, 0u32..=12).prop_map(|(m, s)| {
        UnitPrice::new(Decimal::new(m, s.min(12)) * Decimal::from(1 + m % 7))
            .unwrap_or(UnitPrice::ZERO)
    })
}

fn tax_rate() -> impl Strategy<Value = Option<TaxRate>> {
    prop_oneof![
        Just(None),
        (0i64..=1000).prop_map(|r| Some(TaxRate::new(Decimal::new(r, 1)).unwrap()))
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0u64..5000).prop_map(|n| {
        NaiveDate::from_ymd_opt(2024, 1, 1)
            .unwrap()
            .checked_add_days(Days::new(n))
            .unwrap()
    })
}

fn zone() -> impl Strategy<Value = Tz> {
    prop_oneof![
        Just("Europe/Paris"),
        Just("America/New_York"),
        Just("Asia/Tokyo"),
        Just("UTC"),
        Just("Australia/Lord_Howe")
    ]
    .prop_map(|z| z.parse::<Tz>().unwrap())
}

fn tiers() -> impl Strategy<Value = TierTable> {
    prop::collection::vec((1u64..50, unit_price(), unit_price()), 1..5).prop_map(|rows| {
        let mut from = 1;
        let n = rows.len();
        let specs = rows
            .into_iter()
            .enumerate()
            .map(|(i, (width, unit_price, flat_fee))| {
                let to = (i + 1 < n).then_some(from + width - 1);
                let spec = TierSpec {
                    from,
                    to,
                    unit_price,
                    flat_fee,
                };
                from += width;
                spec
            })
            .collect();
        TierTable::new(specs).unwrap()
    })
}

/// A license item in a random monthly period, with a change instant inside it.
fn license_case() -> impl Strategy<Value = (LicenseItem, DateTime<Utc>)> {
    (
        date(),
        zone(),
        unit_price(),
        currency(),
        1u32..500,
        any::<bool>(),
        any::<bool>(),
        tax_rate(),
        0u64..40,
        0u32..86_400,
        0usize..3,
        (0u32..3, prop::option::of(0u32..600), any::<bool>()),
    )
        .prop_map(
            |(
                anchor,
                tz,
                unit_price,
                currency,
                qty,
                credit,
                later,
                tax_rate,
                offset,
                secs,
                unit,
                (min_quantity, max_quantity, remove_one_at_a_time),
            )| {
                let period = BillingCycle::new(anchor, Interval::MONTHLY)
                    .period(0)
                    .unwrap();
                let day = period
                    .start()
                    .checked_add_days(Days::new(offset % u64::from(period.days())))
                    .unwrap();
                let at = local_midnight(day, tz) + chrono::Duration::seconds(i64::from(secs));
                // Clamp back into the period if the seconds crossed the end.
                let at = if local_date(at, tz) >= period.end() {
                    local_midnight(day, tz)
                } else {
                    at
                };
                let policy = LicensePolicy {
                    proration: [
                        ProrationUnit::Day,
                        ProrationUnit::Second,
                        ProrationUnit::None,
                    ][unit],
                    additions: if later {
                        AdditionCharge::NextInvoice
                    } else {
                        AdditionCharge::Immediately
                    },
                    credit_removals: credit,
                    remove_one_at_a_time,
                    min_quantity,
                    max_quantity: max_quantity.map(|max| max.max(min_quantity)),
                };
                let price = LicensePrice {
                    price_id: "p".into(),
                    version: 1,
                    product_id: "adv".into(),
                    product_name: "ADVANCED".into(),
                    unit_price,
                    currency,
                    interval: Interval::MONTHLY,
                    policy,
                };
                (
                    LicenseItem::new(price, qty, period, tz, tax_rate).unwrap(),
                    at,
                )
            },
        )
}

/// One seat's prorated amount in minor units, computed apart from `billing`: remaining and total
/// days (or seconds) counted with chrono, then `unit × remaining / length` rounded half away
/// from zero by integer division on the decimal's mantissa.
fn expected_prorated_unit_minor(item: &LicenseItem, at: DateTime<Utc>) -> i64 {
    let tz = item.time_zone();
    let period = item.period();
    let midnight = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap())
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    };
    let today = at.with_timezone(&tz).date_naive();
    let (remaining, length) = match item.price().policy.proration {
        ProrationUnit::Day => (
            (period.end() - today).num_days(),
            (period.end() - period.start()).num_days(),
        ),
        ProrationUnit::Second => (
            (midnight(period.end()) - at).num_seconds(),
            (midnight(period.end()) - midnight(period.start())).num_seconds(),
        ),
        ProrationUnit::None => (1, 1),
    };
    round_half_away(
        item.price().unit_price.value(),
        remaining,
        length,
        item.price().currency,
    )
}

/// `value × numerator / denominator` in minor units of `c`, rounded half away from zero, in
/// `i128` integer arithmetic.
fn round_half_away(value: Decimal, numerator: i64, denominator: i64, c: Currency) -> i64 {
    let num = value.mantissa() * i128::from(numerator) * 10i128.pow(c.minor_units());
    let den = 10i128.pow(value.scale()) * i128::from(denominator);
    let (q, r) = (num / den, num % den);
    let q = if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    };
    i64::try_from(q).unwrap()
}

/// Tax on `net` minor units at `rate` percent, rounded half away from zero.
fn expected_tax_minor(net: i64, rate: TaxRate) -> i64 {
    let percent = rate.0.value();
    let num = i128::from(net) * percent.mantissa();
    let den = 100 * 10i128.pow(percent.scale());
    let (q, r) = (num / den, num % den);
    let q = if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    };
    i64::try_from(q).unwrap()
}

fn fits(m: &Money) -> bool {
    m.amount().scale() == m.currency().minor_units()
        && Money::from_minor(m.to_minor().unwrap(), m.currency()) == *m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Cutting a period into pieces and prorating each gives the full price within one minor
    /// unit per piece.
    #[test]
    fn prorated_pieces_add_up(price in unit_price(), c in currency(), len in 1u64..400, cuts in prop::collection::vec(1u64..400, 0..8)) {
        let mut points: Vec<u64> = cuts.into_iter().map(|x| x % len).filter(|&x| x > 0).collect();
        points.push(0);
        points.push(len);
        points.sort_unstable();
        points.dedup();
        let pieces = points.len() - 1;
        let mut sum = Money::zero(c);
        for w in points.windows(2) {
            let f = ProrationFactor { unit: ProrationUnit::Day, remaining: w[1] - w[0], length: len, remaining_days: 0, period_days: 0 };
            sum = sum.checked_add(f.prorate(price, c).unwrap()).unwrap();
        }
        let full = Money::round(price.value(), c);
        let diff = (sum.to_minor().unwrap() - full.to_minor().unwrap()).unsigned_abs();
        prop_assert!(diff <= pieces as u64, "sum {sum:?} full {full:?} pieces {pieces}");
    }

    /// Every amount of a quote equals an independent computation in integer minor units (day
    /// or second counts from chrono, rounding half away from zero by integer division), and a
    /// refused change is refused for the reason the policy gives, never for another.
    #[test]
    fn quote_matches_an_independent_computation((item, at) in license_case(), delta in prop_oneof![1i32..50, -5i32..0]) {
        let policy = item.price().policy;
        let after = i64::from(item.quantity()) + i64::from(delta);
        let refusal = if after < i64::from(policy.min_quantity) {
            Some("below minimum")
        } else if policy.max_quantity.is_some_and(|max| after > i64::from(max)) {
            Some("above maximum")
        } else if delta < -1 && policy.remove_one_at_a_time {
            Some("one at a time")
        } else {
            None
        };
        let result = quote_license_change(&item, delta, at);
        let q = match (refusal, result) {
            (None, Ok(q)) => q,
            (Some("below minimum"), Err(Error::BelowMinimum { requested, .. })) => {
                prop_assert_eq!(requested, after);
                return Ok(());
            }
            (Some("above maximum"), Err(Error::AboveMaximum { requested, .. })) => {
                prop_assert_eq!(requested, after);
                return Ok(());
            }
            (Some("one at a time"), Err(Error::OneAtATime { .. })) => return Ok(()),
            (expected, got) => {
                prop_assert!(false, "expected {expected:?}, got {got:?}");
                unreachable!()
            }
        };
        let c = item.price().currency;
        let unit_minor = expected_prorated_unit_minor(&item, at);
        let seats = i64::from(delta.unsigned_abs());
        let net = seats * unit_minor;
        let tax = item.tax_rate().map_or(0, |r| expected_tax_minor(net, r));
        let (now, next, credit) = if delta > 0 {
            match policy.additions {
                AdditionCharge::Immediately => (net + tax, 0, 0),
                AdditionCharge::NextInvoice => (0, net + tax, 0),
            }
        } else if policy.credit_removals && policy.proration != ProrationUnit::None {
            (0, 0, net + tax)
        } else {
            (0, 0, 0)
        };
        let minor = |m: &Money| m.to_minor().unwrap();
        prop_assert_eq!(minor(&q.prorated_unit_amount), unit_minor);
        prop_assert_eq!(minor(&q.amount_due_now), now);
        prop_assert_eq!(minor(&q.amount_next_invoice), next);
        prop_assert_eq!(minor(&q.credit_to_balance), credit);
        prop_assert_eq!(minor(&q.tax), if delta > 0 { tax } else { 0 });
        prop_assert_eq!(minor(&q.new_recurring_total), round_half_away(item.price().unit_price.value(), after, 1, c));
        prop_assert_eq!(q.quantity_after, u32::try_from(after).unwrap());
        for m in [q.recurring_unit_amount, q.prorated_unit_amount, q.tax, q.amount_due_now, q.amount_next_invoice,
                  q.credit_to_balance, q.delta_recurring_total, q.new_recurring_total] {
            prop_assert!(fits(&m), "{m:?}");
            prop_assert_eq!(m.currency(), c);
        }
    }

    /// Graduated pricing never decreases when the quantity grows.
    #[test]
    fn graduated_is_monotone(t in tiers(), a in 0u64..300, b in 0u64..300, frac in 0i64..100) {
        let m = PricingModel::Graduated { tiers: t };
        let (lo, hi) = (a.min(b), a.max(b));
        let lo = Decimal::from(lo) + Decimal::new(frac, 2).min(Decimal::from(hi - lo));
        prop_assert!(m.amount(lo).unwrap() <= m.amount(Decimal::from(hi)).unwrap());
    }

    /// The invoice built from a quote's proration holds one line of the seats at the prorated
    /// amount (computed independently), and its total is what the quote charges.
    #[test]
    fn quote_line_is_the_invoice_line((item, at) in license_case(), seats in 1i32..50) {
        // No maximum, so every addition is allowed: refusals are covered above.
        let mut price = item.price().clone();
        price.policy.max_quantity = None;
        let item = LicenseItem::new(price, item.quantity(), item.period(), item.time_zone(), item.tax_rate()).unwrap();
        let q = quote_license_change(&item, seats, at).unwrap();
        let input = InvoiceInput {
            currency: item.price().currency,
            period: item.period(),
            tax_exempt: false,
            recurring: vec![],
            prorations: vec![q.proration_item.clone().unwrap()],
            metered: vec![],
            rated_usage: vec![],
            one_offs: vec![],
            coupons: vec![],
            credit_balance: Money::zero(item.price().currency),
        };
        let inv = build_invoice(&input).unwrap();
        // The invoice's line, checked against an independent computation, not the quote's line
        // (both come from `ProrationItem::line`, so comparing them would prove nothing).
        let unit_minor = expected_prorated_unit_minor(&item, at);
        let net = i64::from(seats) * unit_minor;
        let tax = item.tax_rate().map_or(0, |r| expected_tax_minor(net, r));
        let line = &inv.lines[0];
        prop_assert_eq!(inv.lines.len(), 1);
        prop_assert_eq!(line.kind, LineKind::Proration);
        prop_assert_eq!(line.quantity, Decimal::from(seats));
        prop_assert_eq!(line.amount.to_minor().unwrap(), net);
        prop_assert_eq!(line.tax.to_minor().unwrap(), tax);
        let today = at.with_timezone(&item.time_zone()).date_naive();
        prop_assert_eq!(line.service_period, Some(Period::new(today, item.period().end()).unwrap()));
        prop_assert_eq!(inv.totals.total.to_minor().unwrap(), net + tax);
        prop_assert_eq!(inv.totals.total, q.amount_due_now.checked_add(q.amount_next_invoice).unwrap());
    }

    /// Totals are the sums of the lines; amount due is never negative.
    #[test]
    fn invoice_totals_are_sums_of_lines(input in invoice_input()) {
        let inv = build_invoice(&input).unwrap();
        let c = inv.currency;
        let sum = |f: &dyn Fn(&InvoiceLine) -> bool| Money::sum(c, inv.lines.iter().filter(|l| f(l)).map(|l| &l.amount)).unwrap();
        let t = inv.totals;
        prop_assert_eq!(t.subtotal, sum(&|l| l.kind.is_charge()));
        prop_assert_eq!(t.discount, -sum(&|l| l.kind == LineKind::Discount));
        prop_assert_eq!(t.tax, Money::sum(c, inv.lines.iter().map(|l| &l.tax)).unwrap());
        prop_assert_eq!(t.total, t.subtotal.checked_sub(t.discount).unwrap().checked_add(t.tax).unwrap());
        prop_assert_eq!(t.credits_applied, -sum(&|l| l.kind == LineKind::Credit));
        // Every line plus its tax adds up to what is due (when the total is not negative).
        let all = Money::sum(c, inv.lines.iter().map(|l| l.total().unwrap()).collect::<Vec<_>>().iter()).unwrap();
        if !t.total.is_negative() {
            prop_assert_eq!(t.amount_due, all);
        }
        prop_assert!(!t.amount_due.is_negative());
        // A discount never exceeds the net it applies to, so never the positive charges.
        let positive = inv.lines.iter().filter(|l| l.kind.is_charge() && !l.amount.is_negative()).map(|l| l.amount.amount()).sum::<Decimal>();
        prop_assert!(t.discount.amount() <= positive);
        // With one tax group and whole-invoice coupons the coupon's net is the subtotal, so the
        // discount is at most the subtotal (a per-product coupon may exceed it when credits sit
        // on other products).
        let whole = input.coupons.iter().all(|c| c.coupon.scope == CouponScope::Invoice);
        if whole && inv.lines.iter().all(|l| l.tax_rate.is_none()) {
            prop_assert!(t.discount.amount() <= t.subtotal.amount().max(Decimal::ZERO));
        }
        for l in &inv.lines {
            prop_assert!(fits(&l.amount) && fits(&l.tax));
        }
    }
}

fn invoice_input() -> impl Strategy<Value = InvoiceInput> {
    let c = Currency::EUR;
    let recurring = prop::collection::vec(
        (
            prop_oneof![Just("a"), Just("b"), Just("c")],
            unit_price(),
            0u32..50,
            tax_rate(),
            tiers(),
            0usize..3,
        ),
        0..6,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .map(|(id, unit_price, q, tax_rate, tiers, kind)| RecurringItem {
                product_id: id.into(),
                description: id.into(),
                model: match kind {
                    0 => PricingModel::PerUnit { unit_price },
                    1 => PricingModel::Graduated { tiers },
                    _ => PricingModel::Volume { tiers },
                },
                quantity: Decimal::from(q),
                tax_rate,
            })
            .collect::<Vec<_>>()
    });
    let prorations = prop::collection::vec((1u32..1_000_000, -3i64..10, tax_rate()), 0..4)
        .prop_map(move |rows| {
            let period = Period::new(
                NaiveDate::from_ymd_opt(2026, 4, 9).unwrap(),
                NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            )
            .unwrap();
            rows.into_iter()
                .map(|(minor, quantity, tax_rate)| ProrationItem {
                    product_id: "a".into(),
                    product_name: "ADVANCED".into(),
                    quantity,
                    prorated_unit_amount: Money::from_minor(i64::from(minor), c),
                    remaining_days: 22,
                    service_period: period,
                    tax_rate,
                    licenses: true,
                })
                .collect::<Vec<_>>()
        });
    let coupons = prop::collection::vec(
        (
            0u32..=100,
            0i64..100_000,
            any::<bool>(),
            any::<bool>(),
            0u32..3,
        ),
        0..3,
    )
    .prop_map(move |rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (pct, amount, is_pct, whole, applied))| AppliedCoupon {
                coupon: Coupon {
                    code: format!("C{i}"),
                    discount: if is_pct {
                        CouponDiscount::Percent(Percent::new(Decimal::from(pct)).unwrap())
                    } else {
                        CouponDiscount::Amount(Money::from_minor(amount, c))
                    },
                    duration: CouponDuration::Repeating { periods: 2 },
                    scope: if whole {
                        CouponScope::Invoice
                    } else {
                        CouponScope::Products(vec!["b".into()])
                    },
                },
                periods_applied: applied,
            })
            .collect::<Vec<_>>()
    });
    (recurring, prorations, coupons, 0i64..200_000, any::<bool>()).prop_map(
        move |(recurring, prorations, coupons, credit, exempt)| InvoiceInput {
            currency: c,
            period: Period::new(
                NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            )
            .unwrap(),
            tax_exempt: exempt,
            recurring,
            prorations,
            metered: vec![],
            rated_usage: vec![],
            one_offs: vec![],
            coupons,
            credit_balance: Money::from_minor(credit, c),
        },
    )
}

#[test]
fn utc_instants_of_a_period_are_ordered() {
    // A sanity check for the generator above: local midnights are increasing in every zone.
    let tz: Tz = "Australia/Lord_Howe".parse().unwrap();
    let a = local_midnight(NaiveDate::from_ymd_opt(2026, 4, 5).unwrap(), tz);
    let b = local_midnight(NaiveDate::from_ymd_opt(2026, 4, 6).unwrap(), tz);
    assert!(a < b && Utc.timestamp_opt(0, 0).unwrap() < a);
}
