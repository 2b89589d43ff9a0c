//! Metered usage on an invoice line: the period's total, rated by the price's model, and a line
//! text that shows how the amount was reached (the tier breakdown), so a customer can check it.
//!
//! ChargeOver's example: 361 minutes at $0.05 each -> "361 × Minutes at $0.05 each" for $18.05.
//! Graduated, 1–100 at $0.05 then $0.04: 361 minutes -> "361 × Minutes: 100 at $0.05 + 261 at
//! $0.04" for $15.44.

use rust_decimal::Decimal;

use crate::currency::Currency;
use crate::error::Error;
use crate::money::Money;
use crate::pricing::{PricingModel, TierTable};
use crate::unit_price::UnitPrice;

/// A price as a line text shows it: with the currency's minor units when it has no more
/// decimals (`$0.05`, `€64.00`), otherwise exact (`$0.0125`).
pub fn price_text(value: Decimal, currency: Currency) -> String {
    let rounded = Money::round(value, currency);
    if rounded.amount() == value {
        return rounded.to_string();
    }
    let exact = value.normalize();
    match currency.symbol() {
        Some(symbol) => format!("{symbol}{exact}"),
        None => format!("{} {exact}", currency.code()),
    }
}

/// The text of a metered line for `quantity` units of `product_name` priced by `model`: the
/// quantity, then how each part of it is priced.
///
/// - per unit: "361 × Minutes at $0.05 each"
/// - graduated: "361 × Minutes: 100 at $0.05 + 261 at $0.04" (a tier's flat fee: "+ $1.00 fee")
/// - volume: "361 × Minutes, all at $0.04 (tier 101+)"
/// - stairstep: "361 × Minutes (tier 101–500: $20.00)"
/// - package: "361 × Minutes: 4 packs of 100 at $5.00"
/// - flat: "361 × Minutes (flat $10.00)"
pub fn usage_text(
    product_name: &str,
    quantity: Decimal,
    model: &PricingModel,
    currency: Currency,
) -> Result<String, Error> {
    let head = format!("{} × {product_name}", quantity.normalize());
    Ok(format!("{head}{}", breakdown(quantity, model, currency)))
}

/// The text of a line billing `late` units of a period whose earlier `billed` units an invoice
/// already billed. The amount is the price of the period's whole total less the price of what
/// was billed ([`crate::MeteredUsage::amount`]), so the text shows the total's breakdown:
///
/// - stairstep, 50 billed then 5 late: "5 × Minutes (after 50 billed), period total 55
///   (tier 1–100: $10.00)"
/// - package of 100, 301 billed then 1 late: "1 × SMS (after 301 billed), period total 302: 4
///   packs of 100 at $5.00"
/// - per unit, where the late units cost what they would alone: "5 × Minutes at $0.05 each"
///   (with nothing billed before, every model reads as [`usage_text`]).
pub fn late_usage_text(
    product_name: &str,
    late: Decimal,
    billed: Decimal,
    model: &PricingModel,
    currency: Currency,
) -> Result<String, Error> {
    if billed.is_zero() || matches!(model, PricingModel::PerUnit { .. }) {
        return usage_text(product_name, late, model, currency);
    }
    let total = billed.checked_add(late).ok_or(Error::Overflow {
        operation: "late usage total",
    })?;
    Ok(format!(
        "{} × {product_name} (after {} billed), period total {}{}",
        late.normalize(),
        billed.normalize(),
        total.normalize(),
        breakdown(total, model, currency)
    ))
}

/// How `quantity` is priced by `model`, as the end of a line text (" at $0.05 each", ": 100 at
/// $0.05 + 261 at $0.04", …); empty for nothing to show.
fn breakdown(quantity: Decimal, model: &PricingModel, currency: Currency) -> String {
    let price = |p: UnitPrice| price_text(p.value(), currency);
    match model {
        PricingModel::Flat { amount } => format!(" (flat {})", price(*amount)),
        PricingModel::PerUnit { unit_price } => format!(" at {} each", price(*unit_price)),
        PricingModel::Graduated { tiers } => {
            let mut parts = Vec::new();
            for (lower, upper, t) in bounds(tiers) {
                if quantity <= lower {
                    break;
                }
                let top = upper.map_or(quantity, |u| u.min(quantity));
                let units = (top - lower).normalize();
                let mut part = format!("{units} at {}", price(t.unit_price));
                if !t.flat_fee.value().is_zero() {
                    part.push_str(&format!(" + {} fee", price(t.flat_fee)));
                }
                parts.push(part);
            }
            if parts.is_empty() {
                String::new()
            } else {
                format!(": {}", parts.join(" + "))
            }
        }
        PricingModel::Volume { tiers } => {
            if quantity.is_zero() {
                return String::new();
            }
            let (from, to, t) = reached(tiers, quantity);
            let mut text = format!(", all at {} ({})", price(t.unit_price), tier_text(from, to));
            if !t.flat_fee.value().is_zero() {
                text.push_str(&format!(" + {} fee", price(t.flat_fee)));
            }
            text
        }
        PricingModel::Stairstep { tiers } => {
            if quantity.is_zero() {
                return String::new();
            }
            let (from, to, t) = reached(tiers.table(), quantity);
            format!(" ({}: {})", tier_text(from, to), price(t.flat_fee))
        }
        PricingModel::Package {
            block_size,
            block_price,
        } => {
            let size = Decimal::from(block_size.get());
            let blocks = (quantity / size).ceil();
            let noun = if blocks == Decimal::ONE {
                "pack"
            } else {
                "packs"
            };
            format!(
                ": {blocks} {noun} of {} at {}",
                block_size.get(),
                price(*block_price)
            )
        }
    }
}

/// Each tier with its continuous bounds `(lower, upper]`, as the pricing computes them.
fn bounds(
    tiers: &TierTable,
) -> impl Iterator<Item = (Decimal, Option<Decimal>, &crate::pricing::TierSpec)> {
    let mut lower = Decimal::ZERO;
    tiers.tiers().iter().map(move |t| {
        let upper = t.to.map(Decimal::from);
        let this = (lower, upper, t);
        lower = upper.unwrap_or(lower);
        this
    })
}

/// The tier a quantity `q > 0` reaches, with its first unit and last unit as written.
fn reached(tiers: &TierTable, q: Decimal) -> (u64, Option<u64>, &crate::pricing::TierSpec) {
    let mut first = 1u64;
    let all = tiers.tiers();
    for t in all {
        match t.to {
            Some(to) if q > Decimal::from(to) => first = to + 1,
            _ => return (first, t.to, t),
        }
    }
    // The last tier is open (validated), so the loop always returns.
    (first, None, &all[all.len() - 1])
}

fn tier_text(from: u64, to: Option<u64>) -> String {
    match to {
        Some(to) => format!("tier {from}–{to}"),
        None => format!("tier {from}+"),
    }
}

/// What a selection of a metered item's usage (one team's, one member's, some days') costs on
/// its own, when its price gives it an amount of its own: a per-unit price is linear, so any
/// part of a period's usage costs its quantity × the unit price, rounded once to the currency
/// like an invoice line (361 min at $0.05 -> $18.05, whichever team used them). Every other
/// model prices the period's *whole* total (tiers, steps, started packs, a flat fee), so a part
/// of it has no amount of its own: `None`, and the period's invoice is where its price is.
pub fn selection_amount(
    model: &PricingModel,
    quantity: Decimal,
    currency: Currency,
) -> Result<Option<Money>, Error> {
    match model {
        PricingModel::PerUnit { .. } => Ok(Some(Money::round(model.amount(quantity)?, currency))),
        PricingModel::Flat { .. }
        | PricingModel::Graduated { .. }
        | PricingModel::Volume { .. }
        | PricingModel::Stairstep { .. }
        | PricingModel::Package { .. } => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU64;

    use rust_decimal::dec;

    use super::*;
    use crate::pricing::{StairstepTable, TierSpec};

    fn usd(v: Decimal) -> UnitPrice {
        UnitPrice::new(v).unwrap()
    }

    fn tiers() -> Vec<TierSpec> {
        vec![
            TierSpec {
                from: 1,
                to: Some(100),
                unit_price: usd(dec!(0.05)),
                flat_fee: UnitPrice::ZERO,
            },
            TierSpec {
                from: 101,
                to: None,
                unit_price: usd(dec!(0.04)),
                flat_fee: UnitPrice::ZERO,
            },
        ]
    }

    #[test]
    fn chargeover_per_minute() {
        let model = PricingModel::PerUnit {
            unit_price: usd(dec!(0.05)),
        };
        assert_eq!(
            usage_text("Minutes", dec!(361), &model, Currency::USD).unwrap(),
            "361 × Minutes at $0.05 each"
        );
        // 361 × 0.05 = 18.05
        assert_eq!(model.amount(dec!(361)).unwrap(), dec!(18.05));
    }

    #[test]
    fn graduated_shows_each_tier_entered() {
        let model = PricingModel::Graduated {
            tiers: TierTable::new(tiers()).unwrap(),
        };
        assert_eq!(
            usage_text("Minutes", dec!(361), &model, Currency::USD).unwrap(),
            "361 × Minutes: 100 at $0.05 + 261 at $0.04"
        );
        assert_eq!(
            usage_text("Minutes", dec!(100), &model, Currency::USD).unwrap(),
            "100 × Minutes: 100 at $0.05"
        );
        // 100 × 0.05 + 261 × 0.04 = 5 + 10.44
        assert_eq!(model.amount(dec!(361)).unwrap(), dec!(15.44));
    }

    #[test]
    fn volume_stairstep_and_package_name_the_tier_or_packs() {
        let volume = PricingModel::Volume {
            tiers: TierTable::new(tiers()).unwrap(),
        };
        assert_eq!(
            usage_text("Minutes", dec!(101), &volume, Currency::USD).unwrap(),
            "101 × Minutes, all at $0.04 (tier 101+)"
        );
        assert_eq!(
            usage_text("Minutes", dec!(100), &volume, Currency::USD).unwrap(),
            "100 × Minutes, all at $0.05 (tier 1–100)"
        );
        let steps = PricingModel::Stairstep {
            tiers: StairstepTable::new(vec![
                TierSpec {
                    from: 1,
                    to: Some(100),
                    unit_price: UnitPrice::ZERO,
                    flat_fee: usd(dec!(10)),
                },
                TierSpec {
                    from: 101,
                    to: None,
                    unit_price: UnitPrice::ZERO,
                    flat_fee: usd(dec!(20)),
                },
            ])
            .unwrap(),
        };
        assert_eq!(
            usage_text("Minutes", dec!(100.5), &steps, Currency::USD).unwrap(),
            "100.5 × Minutes (tier 101+: $20.00)"
        );
        let package = PricingModel::Package {
            block_size: NonZeroU64::new(100).unwrap(),
            block_price: usd(dec!(5)),
        };
        assert_eq!(
            usage_text("SMS", dec!(301), &package, Currency::USD).unwrap(),
            "301 × SMS: 4 packs of 100 at $5.00"
        );
    }

    #[test]
    fn sub_cent_prices_are_shown_exactly() {
        assert_eq!(price_text(dec!(0.0125), Currency::USD), "$0.0125");
        assert_eq!(price_text(dec!(0.05), Currency::USD), "$0.05");
        assert_eq!(price_text(dec!(1.5), Currency::EUR), "€1.50");
    }

    /// A late line of `late` units after `billed` units of April were invoiced: (text, amount).
    fn late(model: &PricingModel, billed: Decimal, late: Decimal) -> (String, Decimal) {
        let line = crate::MeteredUsage {
            product_id: "minutes".into(),
            description: String::new(),
            model: model.clone(),
            quantity: late,
            already_billed: billed,
            service_period: crate::Period::new(
                chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            )
            .unwrap(),
            tax_rate: None,
        };
        (
            late_usage_text("Minutes", late, billed, model, Currency::USD).unwrap(),
            line.amount(Currency::USD).unwrap().amount(),
        )
    }

    #[test]
    fn late_stairstep_pays_only_a_step_it_newly_reaches() {
        let steps = PricingModel::Stairstep {
            tiers: StairstepTable::new(vec![
                TierSpec {
                    from: 1,
                    to: Some(100),
                    unit_price: UnitPrice::ZERO,
                    flat_fee: usd(dec!(10)),
                },
                TierSpec {
                    from: 101,
                    to: None,
                    unit_price: UnitPrice::ZERO,
                    flat_fee: usd(dec!(20)),
                },
            ])
            .unwrap(),
        };
        // 50 billed ($10, step 1–100); 5 late: 55 is still step 1–100, $10 − $10 = $0.
        assert_eq!(
            late(&steps, dec!(50), dec!(5)),
            (
                "5 × Minutes (after 50 billed), period total 55 (tier 1–100: $10.00)".to_owned(),
                dec!(0)
            )
        );
        // 60 late instead: 110 is step 101+, $20 − $10 = $10.
        assert_eq!(late(&steps, dec!(50), dec!(60)).1, dec!(10));
    }

    #[test]
    fn late_package_fills_the_last_pack_first() {
        let package = PricingModel::Package {
            block_size: NonZeroU64::new(100).unwrap(),
            block_price: usd(dec!(5)),
        };
        // 301 billed: 4 packs, $20. 1 late: 302 is still 4 packs, $20 − $20 = $0.
        assert_eq!(
            late(&package, dec!(301), dec!(1)),
            (
                "1 × Minutes (after 301 billed), period total 302: 4 packs of 100 at $5.00"
                    .to_owned(),
                dec!(0)
            )
        );
        // 100 late: 401 is 5 packs, $25 − $20 = $5.
        assert_eq!(late(&package, dec!(301), dec!(100)).1, dec!(5));
    }

    #[test]
    fn late_graduated_with_a_free_first_tier_is_priced_past_it() {
        let graduated = PricingModel::Graduated {
            tiers: TierTable::new(vec![
                TierSpec {
                    from: 1,
                    to: Some(100),
                    unit_price: UnitPrice::ZERO,
                    flat_fee: UnitPrice::ZERO,
                },
                TierSpec {
                    from: 101,
                    to: None,
                    unit_price: usd(dec!(0.05)),
                    flat_fee: UnitPrice::ZERO,
                },
            ])
            .unwrap(),
        };
        // 150 billed: 50 × $0.05 = $2.50. 30 late: 180 is 80 × $0.05 = $4.00; $4.00 − $2.50.
        assert_eq!(
            late(&graduated, dec!(150), dec!(30)),
            (
                "30 × Minutes (after 150 billed), period total 180: 100 at $0.00 + 80 at $0.05"
                    .to_owned(),
                dec!(1.50)
            )
        );
        // 60 billed (free), 50 late: 110 is 10 × $0.05 = $0.50.
        assert_eq!(late(&graduated, dec!(60), dec!(50)).1, dec!(0.50));
    }

    #[test]
    fn late_flat_per_unit_and_volume() {
        let flat = PricingModel::Flat {
            amount: usd(dec!(10)),
        };
        // The fee was billed with the period: $10 − $10.
        assert_eq!(late(&flat, dec!(50), dec!(5)).1, dec!(0));
        let per_unit = PricingModel::PerUnit {
            unit_price: usd(dec!(0.05)),
        };
        // 15 × $0.05 − 10 × $0.05 = $0.75 − $0.50.
        assert_eq!(
            late(&per_unit, dec!(10), dec!(5)),
            ("5 × Minutes at $0.05 each".to_owned(), dec!(0.25))
        );
        // Volume: 100 billed at $0.05 = $5.00; 101 all at $0.04 = $4.04 is less: no credit.
        let volume = PricingModel::Volume {
            tiers: TierTable::new(tiers()).unwrap(),
        };
        assert_eq!(late(&volume, dec!(100), dec!(1)).1, dec!(0));
        // 150 billed ($6.00), 50 late: 200 × $0.04 = $8.00, $8.00 − $6.00.
        assert_eq!(late(&volume, dec!(150), dec!(50)).1, dec!(2));
        // Nothing billed before: the total's own price and text.
        assert_eq!(
            late(&volume, dec!(0), dec!(101)),
            (
                "101 × Minutes, all at $0.04 (tier 101+)".to_owned(),
                dec!(4.04)
            )
        );
    }
    #[test]
    fn a_selection_has_an_amount_only_under_a_linear_price() {
        let usd = Currency::from_code("USD").expect("USD");
        let per_minute = PricingModel::PerUnit {
            unit_price: "0.05".parse().expect("price"),
        };
        // ChargeOver's 361 minutes, and a third of them (a team's share) rounded on its own.
        assert_eq!(
            selection_amount(&per_minute, dec!(361), usd).map(|m| m.map(|m| m.amount())),
            Ok(Some(dec!(18.05)))
        );
        assert_eq!(
            selection_amount(&per_minute, dec!(120.5), usd).map(|m| m.map(|m| m.amount())),
            Ok(Some(dec!(6.03))),
            "6.025 rounds half away from zero"
        );
        let pack = PricingModel::Package {
            block_size: NonZeroU64::new(100).expect("100"),
            block_price: "5".parse().expect("price"),
        };
        assert_eq!(selection_amount(&pack, dec!(361), usd), Ok(None));
    }
}
