//! Pricing tests: every model at and around its tier boundaries, and the table validation.
use super::*;
use rust_decimal::dec;

fn up(d: Decimal) -> UnitPrice {
    UnitPrice::new(d).unwrap()
}

fn tier(from: u64, to: Option<u64>, unit: Decimal, flat: Decimal) -> TierSpec {
    TierSpec {
        from,
        to,
        unit_price: up(unit),
        flat_fee: up(flat),
    }
}

/// 1–10 at €1.00, 11–100 at €0.50 plus €2 on entry, 101+ at €0.25.
fn table() -> TierTable {
    TierTable::new(vec![
        tier(1, Some(10), dec!(1.00), dec!(0)),
        tier(11, Some(100), dec!(0.50), dec!(2)),
        tier(101, None, dec!(0.25), dec!(0)),
    ])
    .unwrap()
}

#[test]
fn graduated_at_and_around_boundaries() {
    let m = PricingModel::Graduated { tiers: table() };
    // 10 → 10×1 = 10; 11 → 10 + (2 + 1×0.5) = 12.5; 100 → 10 + 2 + 90×0.5 = 57;
    // 101 → 57 + 1×0.25 = 57.25; 10.5 → 10 + 2 + 0.5×0.5 = 12.25.
    for (q, want) in [
        (dec!(0), dec!(0)),
        (dec!(1), dec!(1)),
        (dec!(10), dec!(10)),
        (dec!(11), dec!(12.5)),
        (dec!(100), dec!(57)),
        (dec!(101), dec!(57.25)),
        (dec!(10.5), dec!(12.25)),
    ] {
        assert_eq!(m.amount(q).unwrap(), want, "q={q}");
    }
}

#[test]
fn volume_prices_every_unit_at_the_reached_tier() {
    let m = PricingModel::Volume { tiers: table() };
    // 10 → 10×1; 11 → 11×0.5 + 2 = 7.5; 100 → 100×0.5 + 2 = 52; 101 → 101×0.25 = 25.25.
    for (q, want) in [
        (dec!(10), dec!(10)),
        (dec!(11), dec!(7.5)),
        (dec!(100), dec!(52)),
        (dec!(101), dec!(25.25)),
    ] {
        assert_eq!(m.amount(q).unwrap(), want, "q={q}");
    }
}

#[test]
fn stairstep_charges_the_reached_step() {
    let tiers = StairstepTable::new(vec![
        tier(1, Some(10), dec!(0), dec!(10)),
        tier(11, Some(100), dec!(0), dec!(40)),
        tier(101, None, dec!(0), dec!(100)),
    ])
    .unwrap();
    let m = PricingModel::Stairstep { tiers };
    for (q, want) in [
        (dec!(0), dec!(0)),
        (dec!(1), dec!(10)),
        (dec!(10), dec!(10)),
        (dec!(11), dec!(40)),
        (dec!(101), dec!(100)),
    ] {
        assert_eq!(m.amount(q).unwrap(), want, "q={q}");
    }
    assert_eq!(
        StairstepTable::new(vec![tier(1, None, dec!(1), dec!(10))]),
        Err(Error::StairstepUnitPrice { index: 0 })
    );
}

#[test]
fn package_charges_started_blocks() {
    let m = PricingModel::Package {
        block_size: NonZeroU64::new(10).unwrap(),
        block_price: up(dec!(5)),
    };
    // 1..=10 → 1 block (€5); 11..=20 → 2 blocks (€10); 21 → 3 blocks (€15); 10.1 → 2 blocks.
    for (q, want) in [
        (dec!(0), dec!(0)),
        (dec!(1), dec!(5)),
        (dec!(10), dec!(5)),
        (dec!(11), dec!(10)),
        (dec!(20), dec!(10)),
        (dec!(21), dec!(15)),
        (dec!(10.1), dec!(10)),
    ] {
        assert_eq!(m.amount(q).unwrap(), want, "q={q}");
    }
}

#[test]
fn flat_and_per_unit() {
    let flat = PricingModel::Flat {
        amount: up(dec!(10)),
    };
    assert_eq!(flat.amount(dec!(0)).unwrap(), dec!(10));
    assert_eq!(flat.amount(dec!(361)).unwrap(), dec!(10));
    let per = PricingModel::PerUnit {
        unit_price: up(dec!(0.05)),
    };
    // 361 × 0.05 = 18.05
    assert_eq!(per.amount(dec!(361)).unwrap(), dec!(18.05));
    assert!(matches!(per.amount(dec!(-1)), Err(Error::Negative { .. })));
}

#[test]
fn tier_table_validation_errors() {
    let z = dec!(0);
    assert_eq!(TierTable::new(vec![]), Err(Error::EmptyTiers));
    assert_eq!(
        TierTable::new(vec![tier(2, None, z, z)]),
        Err(Error::FirstTierStart { from: 2 })
    );
    assert_eq!(
        TierTable::new(vec![tier(1, Some(10), z, z), tier(12, None, z, z)]),
        Err(Error::TierGap {
            index: 1,
            expected: 11,
            found: 12
        })
    );
    assert_eq!(
        TierTable::new(vec![tier(1, Some(10), z, z), tier(10, None, z, z)]),
        Err(Error::TierOverlap {
            index: 1,
            expected: 11,
            found: 10
        })
    );
    assert_eq!(
        TierTable::new(vec![
            tier(1, Some(10), z, z),
            tier(11, Some(5), z, z),
            tier(6, None, z, z)
        ]),
        Err(Error::TierReversed {
            index: 1,
            from: 11,
            to: 5
        })
    );
    assert_eq!(
        TierTable::new(vec![tier(1, None, z, z), tier(11, None, z, z)]),
        Err(Error::OpenTierNotLast { index: 0 })
    );
    assert_eq!(
        TierTable::new(vec![tier(1, Some(10), z, z)]),
        Err(Error::LastTierNotOpen { to: 10 })
    );
    // "0–10" is accepted as the first tier.
    assert!(TierTable::new(vec![tier(0, Some(10), z, z), tier(11, None, z, z)]).is_ok());
}

#[test]
fn huge_quantities_overflow_instead_of_panicking() {
    let per = PricingModel::PerUnit {
        unit_price: up(dec!(1000000)),
    };
    assert!(matches!(
        per.amount(Decimal::MAX),
        Err(Error::Overflow { .. })
    ));
}
