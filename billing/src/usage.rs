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
    let q = quantity.normalize();
    let head = format!("{q} × {product_name}");
    let price = |p: UnitPrice| price_text(p.value(), currency);
    Ok(match model {
        PricingModel::Flat { amount } => format!("{head} (flat {})", price(*amount)),
        PricingModel::PerUnit { unit_price } => format!("{head} at {} each", price(*unit_price)),
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
                head
            } else {
                format!("{head}: {}", parts.join(" + "))
            }
        }
        PricingModel::Volume { tiers } => {
            if quantity.is_zero() {
                return Ok(head);
            }
            let (from, to, t) = reached(tiers, quantity);
            let mut text = format!(
                "{head}, all at {} ({})",
                price(t.unit_price),
                tier_text(from, to)
            );
            if !t.flat_fee.value().is_zero() {
                text.push_str(&format!(" + {} fee", price(t.flat_fee)));
            }
            text
        }
        PricingModel::Stairstep { tiers } => {
            if quantity.is_zero() {
                return Ok(head);
            }
            let (from, to, t) = reached(tiers.table(), quantity);
            format!("{head} ({}: {})", tier_text(from, to), price(t.flat_fee))
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
                "{head}: {blocks} {noun} of {} at {}",
                block_size.get(),
                price(*block_price)
            )
        }
    })
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
}
