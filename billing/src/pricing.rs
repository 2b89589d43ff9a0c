//! The six pricing models, for a quantity (licenses, services) or a metered total (minutes, GB).
//!
//! Each returns the exact amount as a `Decimal`; the invoice line rounds it once. Tier tables
//! are written the way operators write them ("1–10", "11–100", "101+") and validated on
//! construction: ascending, no gaps or overlaps, only the last tier open.
//!
//! Fractional quantities (1.5 GB) are priced continuously: unit *k* covers `(k-1, k]`, so a tier
//! "11–100" covers quantities in `(10, 100]`.

use std::num::NonZeroU64;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::unit_price::UnitPrice;

/// One row of a tier table as entered: units `from..=to` (`to: None` = and above).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct TierSpec {
    /// First unit of the tier (the first tier starts at 0 or 1).
    pub from: u64,
    /// Last unit of the tier, inclusive; `None` for the open last tier.
    pub to: Option<u64>,
    /// Price of each unit in the tier (graduated, volume); must be zero for stairstep.
    pub unit_price: UnitPrice,
    /// Flat amount charged when the tier is entered (graduated) or reached (volume, stairstep).
    pub flat_fee: UnitPrice,
}

/// A validated tier table: contiguous, ascending, last tier open.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(try_from = "Vec<TierSpec>", into = "Vec<TierSpec>")]
pub struct TierTable(Vec<TierSpec>);

impl TierTable {
    /// Validates the rows; see [`Error`]'s tier variants for what is refused.
    pub fn new(tiers: Vec<TierSpec>) -> Result<Self, Error> {
        let first = tiers.first().ok_or(Error::EmptyTiers)?;
        if first.from > 1 {
            return Err(Error::FirstTierStart { from: first.from });
        }
        let last_index = tiers.len() - 1;
        let mut expected = 1u64; // the unit the next tier must start at
        for (index, t) in tiers.iter().enumerate() {
            // A first tier written "0–10" means units 1–10; unit 0 holds nothing.
            let from = if index == 0 { 1 } else { t.from };
            if index > 0 && from < expected {
                return Err(Error::TierOverlap {
                    index,
                    expected,
                    found: from,
                });
            }
            if from > expected {
                return Err(Error::TierGap {
                    index,
                    expected,
                    found: from,
                });
            }
            match t.to {
                Some(to) if to < from => {
                    return Err(Error::TierReversed {
                        index,
                        from: t.from,
                        to,
                    });
                }
                Some(to) if index == last_index => return Err(Error::LastTierNotOpen { to }),
                Some(to) => {
                    expected = to.checked_add(1).ok_or(Error::Overflow {
                        operation: "tier bound",
                    })?
                }
                None if index != last_index => return Err(Error::OpenTierNotLast { index }),
                None => {}
            }
        }
        Ok(Self(tiers))
    }

    /// The rows, in order.
    pub fn tiers(&self) -> &[TierSpec] {
        &self.0
    }

    /// Each tier with its continuous bounds `(lower, upper]` (`upper: None` = unbounded).
    fn bounds(&self) -> impl Iterator<Item = (Decimal, Option<Decimal>, &TierSpec)> {
        let mut lower = Decimal::ZERO;
        self.0.iter().map(move |t| {
            let upper = t.to.map(Decimal::from);
            let this = (lower, upper, t);
            lower = upper.unwrap_or(lower);
            this
        })
    }

    /// The tier holding quantity `q > 0`: the first whose upper bound is ≥ q.
    fn reached(&self, q: Decimal) -> &TierSpec {
        let hit = self
            .bounds()
            .find(|(_, upper, _)| upper.is_none_or(|u| q <= u));
        // The last tier is open (validated), so some tier always holds q.
        hit.map_or(&self.0[self.0.len() - 1], |(_, _, t)| t)
    }
}

impl TryFrom<Vec<TierSpec>> for TierTable {
    type Error = Error;
    fn try_from(v: Vec<TierSpec>) -> Result<Self, Error> {
        Self::new(v)
    }
}

impl From<TierTable> for Vec<TierSpec> {
    fn from(t: TierTable) -> Self {
        t.0
    }
}

/// A stairstep tier table: like [`TierTable`], but every tier's unit price is zero because the
/// stairstep price is only the flat amount of the tier reached.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(try_from = "Vec<TierSpec>", into = "Vec<TierSpec>")]
pub struct StairstepTable(TierTable);

impl StairstepTable {
    /// Validates the table and refuses a tier with a unit price.
    pub fn new(tiers: Vec<TierSpec>) -> Result<Self, Error> {
        if let Some(index) = tiers.iter().position(|t| t.unit_price != UnitPrice::ZERO) {
            return Err(Error::StairstepUnitPrice { index });
        }
        TierTable::new(tiers).map(Self)
    }

    /// The underlying table.
    pub fn table(&self) -> &TierTable {
        &self.0
    }
}

impl TryFrom<Vec<TierSpec>> for StairstepTable {
    type Error = Error;
    fn try_from(v: Vec<TierSpec>) -> Result<Self, Error> {
        Self::new(v)
    }
}

impl From<StairstepTable> for Vec<TierSpec> {
    fn from(t: StairstepTable) -> Self {
        t.0.0
    }
}

/// How a price turns a quantity into an amount. Every variant is valid by construction.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum PricingModel {
    /// A fixed amount per period whatever the quantity (ChargeOver's "$10 flat").
    Flat {
        /// The amount.
        amount: UnitPrice,
    },
    /// Quantity × unit price.
    PerUnit {
        /// Price of one unit.
        unit_price: UnitPrice,
    },
    /// Each tier's units at that tier's price, plus the flat fee of every tier entered.
    Graduated {
        /// The tiers.
        tiers: TierTable,
    },
    /// All units at the price of the tier the quantity reaches, plus that tier's flat fee.
    Volume {
        /// The tiers.
        tiers: TierTable,
    },
    /// The flat amount of the tier the quantity reaches.
    Stairstep {
        /// The tiers (flat amounts only).
        tiers: StairstepTable,
    },
    /// A price per started block of `block_size` units (10 SMS packs: 11 SMS = 2 packs).
    Package {
        /// Units per block (≥ 1).
        block_size: NonZeroU64,
        /// Price of one block.
        block_price: UnitPrice,
    },
}

impl PricingModel {
    /// The exact (unrounded) amount for `quantity` units in one period.
    ///
    /// Quantity 0 costs 0 in every model but `Flat`. `Negative` for a negative quantity,
    /// `Overflow` when the result does not fit a `Decimal`.
    pub fn amount(&self, quantity: Decimal) -> Result<Decimal, Error> {
        if quantity.is_sign_negative() && !quantity.is_zero() {
            return Err(Error::Negative {
                what: "quantity",
                value: quantity,
            });
        }
        let overflow = || Error::Overflow {
            operation: "pricing",
        };
        let mul = |a: Decimal, b: UnitPrice| a.checked_mul(b.value()).ok_or_else(overflow);
        let add = |a: Decimal, b: Decimal| a.checked_add(b).ok_or_else(overflow);
        if quantity.is_zero() {
            return Ok(match self {
                PricingModel::Flat { amount } => amount.value(),
                _ => Decimal::ZERO,
            });
        }
        match self {
            PricingModel::Flat { amount } => Ok(amount.value()),
            PricingModel::PerUnit { unit_price } => mul(quantity, *unit_price),
            PricingModel::Graduated { tiers } => {
                let mut total = Decimal::ZERO;
                for (lower, upper, t) in tiers.bounds() {
                    if quantity <= lower {
                        break;
                    }
                    let top = upper.map_or(quantity, |u| u.min(quantity));
                    total = add(
                        total,
                        add(mul(top - lower, t.unit_price)?, t.flat_fee.value())?,
                    )?;
                }
                Ok(total)
            }
            PricingModel::Volume { tiers } => {
                let t = tiers.reached(quantity);
                add(mul(quantity, t.unit_price)?, t.flat_fee.value())
            }
            PricingModel::Stairstep { tiers } => {
                Ok(tiers.table().reached(quantity).flat_fee.value())
            }
            PricingModel::Package {
                block_size,
                block_price,
            } => {
                // Started blocks = ceil(q / size), computed with a remainder so it stays exact.
                let size = Decimal::from(block_size.get());
                let rem = quantity.checked_rem(size).ok_or_else(overflow)?;
                let whole = (quantity - rem).checked_div(size).ok_or_else(overflow)?;
                let blocks = if rem.is_zero() {
                    whole
                } else {
                    add(whole, Decimal::ONE)?
                };
                mul(blocks, *block_price)
            }
        }
    }

    /// The price of one unit when the model has a single one (per-unit), for line texts.
    pub fn unit_price(&self) -> Option<UnitPrice> {
        match self {
            PricingModel::PerUnit { unit_price } => Some(*unit_price),
            _ => None,
        }
    }
}

#[cfg(test)]
#[path = "pricing_tests.rs"]
mod tests;
