//! Criterion benchmarks: one license quote, a 100-line invoice, rating 10,000 calls.
//! Targets on the 2-core CI machine: quote < 20 µs, invoice < 200 µs, 10k calls < 5 ms.

use std::hint::black_box;

use billing::*;
use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn license_item() -> LicenseItem {
    let price = LicensePrice {
        price_id: "price_adv".into(),
        version: 1,
        product_id: "adv".into(),
        product_name: "ADVANCED".into(),
        unit_price: UnitPrice::new(dec!(64)).unwrap(),
        currency: Currency::EUR,
        interval: Interval::MONTHLY,
        policy: LicensePolicy::default(),
    };
    let april = Period::new(d(2026, 4, 1), d(2026, 5, 1)).unwrap();
    let tz: Tz = "Europe/Paris".parse().unwrap();
    LicenseItem::new(price, 10, april, tz, Some(TaxRate::new(dec!(20)).unwrap())).unwrap()
}

fn invoice_input() -> InvoiceInput {
    let c = Currency::EUR;
    let period = Period::new(d(2026, 5, 1), d(2026, 6, 1)).unwrap();
    let vat = Some(TaxRate::new(dec!(20)).unwrap());
    let tiers = TierTable::new(vec![
        TierSpec {
            from: 1,
            to: Some(100),
            unit_price: UnitPrice::new(dec!(0.05)).unwrap(),
            flat_fee: UnitPrice::ZERO,
        },
        TierSpec {
            from: 101,
            to: None,
            unit_price: UnitPrice::new(dec!(0.03)).unwrap(),
            flat_fee: UnitPrice::ZERO,
        },
    ])
    .unwrap();
    // 40 recurring, 20 prorations, 20 metered, 20 one-offs = 100 charge lines, then 3 discount
    // lines (a percent coupon over two tax groups, an amount coupon on one product) and a credit.
    let recurring = (0..40)
        .map(|i| RecurringItem {
            product_id: format!("p{}", i % 5),
            description: format!("Service {i}"),
            model: PricingModel::PerUnit {
                unit_price: UnitPrice::new(dec!(64.123456)).unwrap(),
            },
            quantity: rust_decimal::Decimal::from(i + 1),
            tax_rate: vat,
        })
        .collect();
    let prorations = (0..20)
        .map(|i| ProrationItem {
            product_id: "adv".into(),
            product_name: "ADVANCED".into(),
            quantity: i + 1,
            prorated_unit_amount: Money::from_minor(4693, c),
            remaining_days: 22,
            service_period: Period::new(d(2026, 4, 9), d(2026, 5, 1)).unwrap(),
            tax_rate: vat,
            licenses: true,
        })
        .collect();
    let metered = (0..20)
        .map(|i| MeteredUsage {
            product_id: format!("m{i}"),
            description: "minutes".into(),
            model: PricingModel::Graduated {
                tiers: tiers.clone(),
            },
            quantity: rust_decimal::Decimal::from(361 * (i + 1)),
            already_billed: rust_decimal::Decimal::ZERO,
            service_period: Period::new(d(2026, 4, 1), d(2026, 5, 1)).unwrap(),
            tax_rate: vat,
        })
        .collect();
    let one_offs = (0..20)
        .map(|i| OneOffCharge {
            product_id: None,
            description: format!("Setup {i}"),
            quantity: dec!(1),
            unit_amount: UnitPrice::new(dec!(49.99)).unwrap(),
            service_period: None,
            tax_rate: None,
        })
        .collect();
    let coupons = vec![
        AppliedCoupon {
            coupon: Coupon {
                code: "TEN".into(),
                discount: CouponDiscount::Percent(Percent::new(dec!(10)).unwrap()),
                duration: CouponDuration::Forever,
                scope: CouponScope::Invoice,
            },
            periods_applied: 0,
        },
        AppliedCoupon {
            coupon: Coupon {
                code: "FIVE".into(),
                discount: CouponDiscount::Amount(Money::from_minor(500, c)),
                duration: CouponDuration::Once,
                scope: CouponScope::Products(vec!["p1".into()]),
            },
            periods_applied: 0,
        },
    ];
    InvoiceInput {
        currency: c,
        period,
        tax_exempt: false,
        recurring,
        prorations,
        metered,
        rated_usage: vec![],
        one_offs,
        coupons,
        credit_balance: Money::from_minor(10_000, c),
    }
}

fn tariff() -> Tariff {
    // 480 prefixes: 80 two-digit country codes and 400 longer ones under them.
    let mut rates = Vec::new();
    for cc in 20..100u32 {
        rates.push(PrefixRate {
            prefix: cc.to_string(),
            rate_per_minute: UnitPrice::new(dec!(0.02)).unwrap(),
        });
        for sub in 5..10u32 {
            rates.push(PrefixRate {
                prefix: format!("{cc}{sub}"),
                rate_per_minute: UnitPrice::new(dec!(0.1234)).unwrap(),
            });
        }
    }
    Tariff::new(TariffSpec {
        currency: Currency::EUR,
        rates,
        increment: BillingIncrement::new(30, 6).unwrap(),
        minimum_charge: UnitPrice::new(dec!(0.01)).unwrap(),
        connection_fee: UnitPrice::new(dec!(0.015)).unwrap(),
    })
    .unwrap()
}

fn benches(c: &mut Criterion) {
    let item = license_item();
    let at = Utc.with_ymd_and_hms(2026, 4, 9, 8, 0, 0).unwrap();
    c.bench_function("quote_license_change", |b| {
        b.iter(|| quote_license_change(black_box(&item), black_box(2), black_box(at)).unwrap())
    });

    let input = invoice_input();
    let built = build_invoice(&input).unwrap();
    assert_eq!(
        built.lines.iter().filter(|l| l.kind.is_charge()).count(),
        100
    );
    c.bench_function("build_invoice_100_lines", |b| {
        b.iter(|| build_invoice(black_box(&input)).unwrap())
    });

    let t = tariff();
    let calls: Vec<(String, u32)> = (0..10_000u32)
        .map(|i| {
            (
                format!("+{}{}{:07}", 20 + i % 80, 4 + i % 6, i),
                (i * 37) % 1800,
            )
        })
        .collect();
    c.bench_function("rate_10k_calls", |b| {
        b.iter(|| {
            let mut total = Money::zero(Currency::EUR);
            for (dest, secs) in &calls {
                total = total
                    .checked_add(t.rate_call(black_box(dest), *secs).unwrap().amount)
                    .unwrap();
            }
            total
        })
    });
}

criterion_group!(billing_benches, benches);
criterion_main!(billing_benches);
