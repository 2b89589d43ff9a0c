//! Coupon rows to `billing` types. Stored values were validated when written, so a row that
//! does not convert is corrupt data: an internal error, never the caller's fault.

use std::collections::BTreeMap;

use billing::{
    AppliedCoupon, Coupon, CouponDiscount, CouponDuration, CouponScope, Currency, Decimal, Money,
    Percent,
};
use entity::{coupon, coupon_redemption};
use ids::SubscriptionId;

use crate::error::{ServiceError, ServiceResult};
use crate::services::tenant_state::TenantState;

/// A coupon applied to a customer, with the coupon itself: part of the tenant state.
#[derive(Clone, Debug)]
pub struct AppliedCouponState {
    /// The redemption: where it applies and how many invoices it discounted.
    pub redemption: coupon_redemption::Model,
    /// The coupon.
    pub coupon: coupon::Model,
}

impl AppliedCouponState {
    /// Whether it applies to invoices of `subscription` (a customer-wide one applies to all).
    pub fn covers(&self, subscription: SubscriptionId) -> bool {
        self.redemption
            .subscription_id
            .is_none_or(|s| s == subscription)
    }
}

/// The fixed amounts of a coupon by currency code, in minor units.
pub fn amounts_off(coupon: &coupon::Model) -> ServiceResult<BTreeMap<String, i64>> {
    coupon
        .amounts_off_minor
        .as_ref()
        .map(|json| {
            serde_json::from_value::<BTreeMap<String, i64>>(json.clone())
                .map_err(|e| ServiceError::corrupt("coupon amounts", e))
        })
        .transpose()
        .map(Option::unwrap_or_default)
}

/// The products a coupon is limited to (`prod_…` text); empty: the whole invoice.
pub fn product_ids(coupon: &coupon::Model) -> ServiceResult<Vec<String>> {
    coupon
        .product_ids
        .as_ref()
        .map(|json| {
            serde_json::from_value::<Vec<String>>(json.clone())
                .map_err(|e| ServiceError::corrupt("coupon products", e))
        })
        .transpose()
        .map(Option::unwrap_or_default)
}

/// The percent off of a percent coupon.
pub fn percent_off(coupon: &coupon::Model) -> ServiceResult<Option<Percent>> {
    coupon
        .percent_off
        .as_deref()
        .map(|text| {
            text.parse::<Decimal>()
                .ok()
                .and_then(|d| Percent::new(d).ok())
                .ok_or_else(|| ServiceError::corrupt("coupon percent", text))
        })
        .transpose()
}

/// The coupon as `billing` applies it to an invoice in `currency`; `None` for a fixed coupon
/// without an amount in that currency (refused when applied, so only a currency change of the
/// customer gets here: such a coupon discounts nothing rather than a wrong amount).
pub fn applied(
    state: &AppliedCouponState,
    currency: Currency,
) -> ServiceResult<Option<AppliedCoupon>> {
    Ok(
        coupon_of(&state.coupon, currency)?.map(|coupon| AppliedCoupon {
            coupon,
            periods_applied: u32::try_from(state.redemption.periods_applied).unwrap_or(0),
        }),
    )
}

/// The coupon row as `billing` discounts an invoice in `currency`; `None` for a fixed coupon
/// without an amount in that currency.
pub fn coupon_of(coupon: &coupon::Model, currency: Currency) -> ServiceResult<Option<Coupon>> {
    let discount = match percent_off(coupon)? {
        Some(percent) => CouponDiscount::Percent(percent),
        None => match amounts_off(coupon)?.get(currency.code()) {
            Some(&minor) => CouponDiscount::Amount(Money::from_minor(minor, currency)),
            None => return Ok(None),
        },
    };
    let duration = match coupon.duration {
        coupon::CouponDuration::Once => CouponDuration::Once,
        coupon::CouponDuration::Forever => CouponDuration::Forever,
        coupon::CouponDuration::Repeating => CouponDuration::Repeating {
            periods: coupon
                .duration_periods
                .and_then(|p| u32::try_from(p).ok())
                .ok_or_else(|| ServiceError::corrupt("coupon periods", coupon.code.as_str()))?,
        },
    };
    let products = product_ids(coupon)?;
    let scope = if products.is_empty() {
        CouponScope::Invoice
    } else {
        CouponScope::Products(products)
    };
    Ok(Some(Coupon {
        code: coupon.code.clone(),
        discount,
        duration,
        scope,
    }))
}

/// The coupons that apply to the next invoice of `subscription`, oldest application first:
/// the subscription's own and the customer-wide ones. Inactive ones (used up) are passed too;
/// `billing` ignores them.
pub fn for_subscription(
    state: &TenantState,
    subscription: SubscriptionId,
    currency: Currency,
) -> ServiceResult<Vec<AppliedCoupon>> {
    let mut out = Vec::new();
    for applied_coupon in state.coupons.iter().filter(|c| c.covers(subscription)) {
        if let Some(coupon) = applied(applied_coupon, currency)? {
            out.push(coupon);
        }
    }
    Ok(out)
}
