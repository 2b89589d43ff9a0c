//! Coupons: percent or amount; once, repeating N periods, or forever; on some products or on
//! the whole invoice. A discount never exceeds the net amount it applies to.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::line::{InvoiceLine, LineKind};
use crate::money::{Money, round_ratio};
use crate::unit_price::{Percent, TaxRate};

/// How much a coupon takes off.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouponDiscount {
    /// A percentage of the eligible amount.
    Percent(Percent),
    /// A fixed amount, capped at the eligible amount (in the invoice's currency).
    Amount(Money),
}

/// For how many invoices a coupon applies.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouponDuration {
    /// The first invoice only.
    Once,
    /// The first `periods` invoices.
    Repeating {
        /// Number of invoices.
        periods: u32,
    },
    /// Every invoice.
    Forever,
}

/// What a coupon applies to.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouponScope {
    /// Every charge line of the invoice.
    Invoice,
    /// Only lines of these products.
    Products(Vec<String>),
}

/// A coupon definition.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Coupon {
    /// The code shown on the discount line.
    pub code: String,
    /// Percent or amount.
    pub discount: CouponDiscount,
    /// How long it lasts.
    pub duration: CouponDuration,
    /// What it applies to.
    pub scope: CouponScope,
}

/// A coupon attached to a subscription, with how many invoices it has already discounted.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct AppliedCoupon {
    /// The coupon.
    pub coupon: Coupon,
    /// Invoices it has already discounted (the server increments it when an invoice is final).
    pub periods_applied: u32,
}

impl AppliedCoupon {
    /// Whether it still applies to the next invoice.
    pub fn is_active(&self) -> bool {
        match self.coupon.duration {
            CouponDuration::Once => self.periods_applied == 0,
            CouponDuration::Repeating { periods } => self.periods_applied < periods,
            CouponDuration::Forever => true,
        }
    }
}

impl Coupon {
    fn covers(&self, line: &InvoiceLine) -> bool {
        line.kind.is_charge()
            && match &self.scope {
                CouponScope::Invoice => true,
                CouponScope::Products(ids) => {
                    line.product_id.as_ref().is_some_and(|p| ids.contains(p))
                }
            }
    }
}

/// Discount lines for the active coupons (and the codes that gave a discount), applied one after the other to what is left.
///
/// Eligible lines are grouped by tax rate so each discount line carries the rate of what it
/// discounts and tax stays right. A percent coupon takes `round(percent × group)` from each
/// group; an amount coupon is spread over the groups by cumulative rounding, so the pieces add
/// up to the coupon amount exactly.
pub(crate) fn discount_lines(
    coupons: &[AppliedCoupon],
    charges: &[InvoiceLine],
    currency: crate::Currency,
    tax_exempt: bool,
) -> Result<(Vec<InvoiceLine>, Vec<String>), Error> {
    // What is left to discount on each line, reduced as coupons apply. Negative lines (credits
    // for unused time) stay in: a coupon discounts the net amount of what it covers, so a
    // credit on a discounted seat is discounted too and the discount never exceeds the net.
    let zero = Money::zero(currency);
    let mut left: Vec<Money> = charges.iter().map(|l| l.amount).collect();
    let mut out = Vec::new();
    let mut applied_codes = Vec::new();
    for applied in coupons.iter().filter(|c| c.is_active()) {
        let coupon = &applied.coupon;
        // Group the covered lines by tax rate (BTreeMap on the rate's text: a stable order).
        let mut groups: BTreeMap<Option<String>, (Option<TaxRate>, Vec<usize>)> = BTreeMap::new();
        for (i, l) in charges.iter().enumerate() {
            if coupon.covers(l) && !left[i].is_zero() {
                let key = l.tax_rate.map(|r| r.0.value().normalize().to_string());
                groups
                    .entry(key)
                    .or_insert((l.tax_rate, Vec::new()))
                    .1
                    .push(i);
            }
        }
        let base: Vec<Money> = groups
            .values()
            .map(|(_, idx)| Money::sum(currency, idx.iter().map(|&i| &left[i]))?.max(zero))
            .collect::<Result<_, _>>()?;
        let total_base = Money::sum(currency, base.iter())?;
        if total_base.is_zero() {
            continue;
        }
        let shares: Vec<Money> = match coupon.discount {
            CouponDiscount::Percent(p) => base
                .iter()
                .map(|b| Ok(Money::round(p.of(b.amount())?, currency)))
                .collect::<Result<_, Error>>()?,
            CouponDiscount::Amount(a) => {
                // In minor units: a = coupon (capped), t = total base, c_k = cumulative base up to
                // group k. Group k gets round(a × c_k / t) − round(a × c_(k−1) / t): each piece is
                // ≥ 0 and the pieces add up to round(a × t / t) = a exactly.
                let overflow = || Error::Overflow {
                    operation: "discount",
                };
                let a = Decimal::from(a.min(total_base)?.to_minor()?);
                let t = u64::try_from(total_base.to_minor()?).map_err(|_| overflow())?;
                let (mut cumulative, mut given) = (0i64, 0i64);
                let mut shares = Vec::with_capacity(base.len());
                for b in &base {
                    cumulative = cumulative.checked_add(b.to_minor()?).ok_or_else(overflow)?;
                    let upto = round_ratio(
                        a.checked_mul(Decimal::from(cumulative))
                            .ok_or_else(overflow)?,
                        t,
                        0,
                    )?;
                    let upto = i64::try_from(upto.mantissa()).map_err(|_| overflow())?;
                    shares.push(Money::from_minor(upto - given, currency));
                    given = upto;
                }
                shares
            }
        };
        for ((rate, idx), share) in groups.values().zip(&shares) {
            if share.is_zero() {
                continue;
            }
            if applied_codes.last() != Some(&coupon.code) {
                applied_codes.push(coupon.code.clone());
            }
            // Reduce what is left on the group's positive lines, first lines first (their sum
            // is at least the group's net, which is at least the share).
            let mut to_take = *share;
            for &i in idx {
                let take = to_take.min(left[i].max(zero)?)?;
                left[i] = left[i].checked_sub(take)?;
                to_take = to_take.checked_sub(take)?;
            }
            let label = match coupon.discount {
                CouponDiscount::Percent(p) => format!("Coupon {} ({p})", coupon.code),
                CouponDiscount::Amount(a) => {
                    format!("Coupon {} ({})", coupon.code, a.display_short())
                }
            };
            out.push(InvoiceLine::new(
                LineKind::Discount,
                label,
                None,
                Decimal::ONE,
                None,
                -*share,
                None,
                *rate,
                tax_exempt,
            )?);
        }
    }
    Ok((out, applied_codes))
}
