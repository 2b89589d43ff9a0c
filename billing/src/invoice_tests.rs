//! Invoice builder tests: the ChargeOver invoice, Ringover's upcoming charges, coupons, tax and
//! credits, each with the arithmetic written out.

use super::*;
use crate::coupon::{Coupon, CouponDiscount, CouponDuration, CouponScope};
use crate::unit_price::Percent;
use chrono::NaiveDate;
use rust_decimal::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn up(v: Decimal) -> UnitPrice {
    UnitPrice::new(v).unwrap()
}
fn period() -> Period {
    Period::new(d(2026, 5, 1), d(2026, 6, 1)).unwrap()
}
fn empty(currency: Currency) -> InvoiceInput {
    InvoiceInput {
        currency,
        period: period(),
        tax_exempt: false,
        recurring: vec![],
        prorations: vec![],
        metered: vec![],
        rated_usage: vec![],
        one_offs: vec![],
        coupons: vec![],
        credit_balance: Money::zero(currency),
    }
}
fn recurring(id: &str, model: PricingModel, q: Decimal, tax: Option<Decimal>) -> RecurringItem {
    RecurringItem {
        product_id: id.into(),
        description: id.into(),
        model,
        quantity: q,
        tax_rate: tax.map(|t| TaxRate::new(t).unwrap()),
    }
}
fn coupon(
    code: &str,
    discount: CouponDiscount,
    scope: CouponScope,
    applied: u32,
    duration: CouponDuration,
) -> AppliedCoupon {
    AppliedCoupon {
        coupon: Coupon {
            code: code.into(),
            discount,
            duration,
            scope,
        },
        periods_applied: applied,
    }
}

/// ChargeOver: $10 flat + 361 minutes at $0.05 = 10 + 18.05 = $28.05.
pub(crate) fn chargeover() -> InvoiceInput {
    let mut input = empty(Currency::USD);
    input.recurring.push(recurring(
        "voip",
        PricingModel::Flat {
            amount: up(dec!(10)),
        },
        dec!(1),
        None,
    ));
    input.metered.push(MeteredUsage {
        product_id: "minutes".into(),
        description: "361 minutes".into(),
        model: PricingModel::PerUnit {
            unit_price: up(dec!(0.05)),
        },
        quantity: dec!(361),
        already_billed: dec!(0),
        service_period: Period::new(d(2026, 4, 1), d(2026, 5, 1)).unwrap(),
        tax_rate: None,
    });
    input
}

#[test]
fn chargeover_flat_plus_minutes() {
    let inv = build_invoice(&chargeover()).unwrap();
    assert_eq!(inv.lines.len(), 2);
    assert_eq!(inv.lines[1].amount.amount(), dec!(18.05));
    assert_eq!(inv.lines[1].unit_amount, Some(dec!(0.05)));
    assert_eq!(inv.totals.total.amount(), dec!(28.05));
    assert_eq!(inv.totals.amount_due.amount(), dec!(28.05));
}

#[test]
fn percent_coupon_taxed_per_rate_group() {
    // Licenses 10 × €64 = 640 at 20 % VAT, numbers 3 × €5 = 15 at 5.5 %.
    let mut input = empty(Currency::EUR);
    input.recurring.push(recurring(
        "adv",
        PricingModel::PerUnit {
            unit_price: up(dec!(64)),
        },
        dec!(10),
        Some(dec!(20)),
    ));
    input.recurring.push(recurring(
        "num",
        PricingModel::PerUnit {
            unit_price: up(dec!(5)),
        },
        dec!(3),
        Some(dec!(5.5)),
    ));
    let ten = CouponDiscount::Percent(Percent::new(dec!(10)).unwrap());
    input.coupons.push(coupon(
        "TEN",
        ten,
        CouponScope::Invoice,
        0,
        CouponDuration::Once,
    ));
    let inv = build_invoice(&input).unwrap();
    // Discounts: 10 % of 640 = 64 (tax −12.80) and 10 % of 15 = 1.50 (tax −0.0825 -> −0.08).
    // Tax: 640 × 20 % = 128; 15 × 5.5 % = 0.825 -> 0.83. Sum 128 + 0.83 − 12.80 − 0.08 = 115.95.
    // Total = 655 − 65.50 + 115.95 = 705.45.
    let t = inv.totals;
    assert_eq!(
        (t.subtotal.amount(), t.discount.amount(), t.tax.amount()),
        (dec!(655), dec!(65.50), dec!(115.95))
    );
    assert_eq!(t.total.amount(), dec!(705.45));
    assert_eq!(inv.coupons_applied, vec!["TEN".to_owned()]);
    // A `once` coupon that already applied does nothing.
    input.coupons[0].periods_applied = 1;
    assert_eq!(
        build_invoice(&input).unwrap().totals.discount.amount(),
        dec!(0)
    );
}

#[test]
fn amount_coupon_on_one_product_is_capped() {
    let mut input = empty(Currency::EUR);
    input.recurring.push(recurring(
        "adv",
        PricingModel::PerUnit {
            unit_price: up(dec!(64)),
        },
        dec!(1),
        None,
    ));
    input.recurring.push(recurring(
        "num",
        PricingModel::PerUnit {
            unit_price: up(dec!(5)),
        },
        dec!(1),
        None,
    ));
    let hundred = CouponDiscount::Amount(Money::from_minor(10_000, Currency::EUR));
    let scope = CouponScope::Products(vec!["num".into()]);
    input.coupons.push(coupon(
        "NUMS",
        hundred,
        scope,
        5,
        CouponDuration::Repeating { periods: 6 },
    ));
    // €100 off numbers only, capped at the €5 of numbers: total 69 − 5 = 64.
    let inv = build_invoice(&input).unwrap();
    assert_eq!(inv.totals.discount.amount(), dec!(5));
    assert_eq!(inv.totals.total.amount(), dec!(64));
    // After its 6th period it is over.
    input.coupons[0].periods_applied = 6;
    assert_eq!(
        build_invoice(&input).unwrap().totals.total.amount(),
        dec!(69)
    );
}

#[test]
fn amount_coupon_split_over_rates_adds_up_exactly() {
    // €10 over 100 (20 %) and 200 (10 %). Groups go in the order of their rate's text ("10"
    // before "20"): the 10 % group gets round(10.00 × 200 / 300) = 6.67, the 20 % group the rest,
    // 10.00 − 6.67 = 3.33. Each discount line carries its group's rate, so tax falls by
    // 0.67 (10 % of 6.67) and 0.67 (20 % of 3.33).
    let mut input = empty(Currency::EUR);
    input.recurring.push(recurring(
        "a",
        PricingModel::Flat {
            amount: up(dec!(100)),
        },
        dec!(1),
        Some(dec!(20)),
    ));
    input.recurring.push(recurring(
        "b",
        PricingModel::Flat {
            amount: up(dec!(200)),
        },
        dec!(1),
        Some(dec!(10)),
    ));
    let ten = CouponDiscount::Amount(Money::from_minor(1000, Currency::EUR));
    input.coupons.push(coupon(
        "TENOFF",
        ten,
        CouponScope::Invoice,
        0,
        CouponDuration::Forever,
    ));
    let inv = build_invoice(&input).unwrap();
    let discounts: Vec<_> = inv
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Discount)
        .map(|l| {
            (
                l.tax_rate.map(|r| r.0.value()),
                l.amount.amount(),
                l.tax.amount(),
            )
        })
        .collect();
    assert_eq!(
        discounts,
        vec![
            (Some(dec!(10)), dec!(-6.67), dec!(-0.67)),
            (Some(dec!(20)), dec!(-3.33), dec!(-0.67)),
        ]
    );
}

#[test]
fn exempt_customer_and_credits() {
    let mut input = chargeover();
    input.recurring[0].tax_rate = Some(TaxRate::new(dec!(20)).unwrap());
    input.tax_exempt = true;
    input.credit_balance = Money::from_minor(5000, Currency::USD);
    // No tax; $50 balance covers $28.05: credits 28.05, due 0.
    let inv = build_invoice(&input).unwrap();
    assert!(inv.totals.tax.is_zero());
    assert_eq!(inv.totals.credits_applied.amount(), dec!(28.05));
    assert!(inv.totals.amount_due.is_zero());
    assert_eq!(inv.lines.last().unwrap().kind, LineKind::Credit);
    // $10 balance: due 18.05.
    input.credit_balance = Money::from_minor(1000, Currency::USD);
    assert_eq!(
        build_invoice(&input).unwrap().totals.amount_due.amount(),
        dec!(18.05)
    );
}

#[test]
fn one_offs_rated_usage_and_currency_checks() {
    let mut input = empty(Currency::JPY);
    input.one_offs.push(OneOffCharge {
        product_id: None,
        description: "Setup".into(),
        quantity: dec!(3),
        unit_amount: up(dec!(333.5)),
        service_period: None,
        tax_rate: Some(TaxRate::new(dec!(10)).unwrap()),
    });
    // 3 × 333.5 = 1000.5 -> ¥1001; tax 100.1 -> ¥100; total ¥1101.
    let inv = build_invoice(&input).unwrap();
    assert_eq!(
        (
            inv.totals.subtotal.to_minor(),
            inv.totals.tax.to_minor(),
            inv.totals.total.to_minor()
        ),
        (Ok(1001), Ok(100), Ok(1101))
    );
    input.rated_usage.push(RatedUsage {
        product_id: "calls".into(),
        description: "Calls".into(),
        quantity: dec!(2),
        amount: Money::from_minor(5, Currency::EUR),
        service_period: period(),
        tax_rate: None,
    });
    assert_eq!(
        build_invoice(&input).err(),
        Some(Error::CurrencyMismatch {
            expected: Currency::JPY,
            found: Currency::EUR
        })
    );
}

#[test]
fn coupons_discount_the_net_of_charges_and_credits() {
    // Recurring €100 and a proration credit of 1 × −€80 on the same product: net €20.
    // 50 % off the net = €10 (not 50 % of the €100 line), total 100 − 80 − 10 = €10.
    let mut input = empty(Currency::EUR);
    input.recurring.push(recurring(
        "adv",
        PricingModel::Flat {
            amount: up(dec!(100)),
        },
        dec!(1),
        None,
    ));
    input.prorations.push(ProrationItem {
        product_id: "adv".into(),
        product_name: "ADVANCED".into(),
        quantity: -1,
        prorated_unit_amount: Money::from_minor(8000, Currency::EUR),
        remaining_days: 25,
        service_period: period(),
        tax_rate: None,
        licenses: true,
    });
    let half = CouponDiscount::Percent(Percent::new(dec!(50)).unwrap());
    input.coupons.push(coupon(
        "HALF",
        half,
        CouponScope::Invoice,
        0,
        CouponDuration::Forever,
    ));
    let inv = build_invoice(&input).unwrap();
    assert_eq!(
        inv.lines[1].description,
        "Unused time: 1 ADVANCED license at €80.00 for 25 days"
    );
    assert_eq!(inv.totals.discount.amount(), dec!(10));
    assert_eq!(inv.totals.total.amount(), dec!(10));
}

#[test]
fn a_one_off_is_rounded_once_from_its_exact_unit_price_and_quantity() {
    let charge = |unit: Decimal, quantity: Decimal, tax: Decimal| OneOffCharge {
        product_id: Some("setup".into()),
        description: "Setup".into(),
        quantity,
        unit_amount: up(unit),
        service_period: None,
        tax_rate: Some(TaxRate::new(tax).unwrap()),
    };
    // 3.75 × €12.345678901234 = €46.2962958796275 -> €46.30; 20 % tax = 9.26; total €55.56.
    let eur = charge(dec!(12.345678901234), dec!(3.75), dec!(20));
    let line = eur.line(Currency::EUR, false).unwrap();
    assert_eq!(
        (line.amount.to_minor(), line.tax.to_minor()),
        (Ok(4630), Ok(926))
    );
    assert_eq!(line.unit_amount, Some(dec!(12.345678901234)));
    // Rounding the unit price first would give 3.75 × €12.35 = €46.3125 -> €46.31.
    let mut input = empty(Currency::EUR);
    input.one_offs.push(eur);
    let inv = build_invoice(&input).unwrap();
    assert_eq!(inv.lines, vec![line]);
    assert_eq!(inv.totals.total.to_minor(), Ok(5556));

    // 2.5 × ¥1234.567890123456 = ¥3086.41972530864 -> ¥3086; 10 % tax = 308.6 -> ¥309.
    let jpy = charge(dec!(1234.567890123456), dec!(2.5), dec!(10));
    let line = jpy.line(Currency::JPY, false).unwrap();
    assert_eq!(
        (line.amount.to_minor(), line.tax.to_minor()),
        (Ok(3086), Ok(309))
    );
    // Exempt: no tax, no rate on the line.
    let exempt = jpy.line(Currency::JPY, true).unwrap();
    assert!(exempt.tax.is_zero() && exempt.tax_rate.is_none());
    // A negative quantity is refused, with its value.
    let refund = charge(dec!(1), dec!(-0.5), dec!(10));
    assert!(matches!(
        refund.line(Currency::JPY, false),
        Err(Error::Negative {
            what: "quantity",
            ..
        })
    ));
}
