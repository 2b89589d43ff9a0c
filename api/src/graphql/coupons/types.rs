//! GraphQL types of coupons.

use async_graphql::{Enum, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use entity::coupon;

use crate::graphql::money::Money;
use crate::services::catalog;
use crate::services::coupons::AppliedCouponState;
use crate::services::coupons::rows;

/// For how many invoices a coupon discounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum CouponDuration {
    /// The first invoice only.
    Once,
    /// The first `durationPeriods` invoices.
    Repeating,
    /// Every invoice.
    Forever,
}

impl From<coupon::CouponDuration> for CouponDuration {
    fn from(duration: coupon::CouponDuration) -> Self {
        match duration {
            coupon::CouponDuration::Once => CouponDuration::Once,
            coupon::CouponDuration::Repeating => CouponDuration::Repeating,
            coupon::CouponDuration::Forever => CouponDuration::Forever,
        }
    }
}

/// The fixed amounts of a coupon as money, one per currency.
fn amounts(row: &coupon::Model) -> Result<Vec<Money>> {
    let mut out = Vec::new();
    for (code, minor) in rows::amounts_off(row)? {
        let currency = catalog::rows::currency(&code)?;
        out.push(Money(billing::Money::from_minor(minor, currency)));
    }
    Ok(out)
}

/// A coupon of the catalog.
pub struct Coupon(pub coupon::Model);

#[Object]
impl Coupon {
    /// Opaque id (`cpn_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// The code, as created (unique whatever its case); discount lines show it.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Name for staff.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Percent off, exact decimal text; null for a fixed-amount coupon.
    async fn percent_off(&self) -> Option<&str> {
        self.0.percent_off.as_deref()
    }
    /// Fixed amounts off, one per currency the coupon can be used in; empty for a percent
    /// coupon.
    async fn amounts_off(&self) -> Result<Vec<Money>> {
        amounts(&self.0)
    }
    /// For how many invoices it discounts.
    async fn duration(&self) -> CouponDuration {
        self.0.duration.into()
    }
    /// Invoices discounted, for a REPEATING coupon.
    async fn duration_periods(&self) -> Option<i32> {
        self.0.duration_periods
    }
    /// Products it is limited to (`prod_…`); empty: the whole invoice.
    async fn product_ids(&self) -> Result<Vec<ID>> {
        Ok(rows::product_ids(&self.0)?
            .into_iter()
            .map(ID::from)
            .collect())
    }
    /// How many times it may be used in all (applied to a customer or a subscription, or on an
    /// invoice of one-time charges); null: no limit.
    async fn max_redemptions(&self) -> Option<i32> {
        self.0.max_redemptions
    }
    /// How many times it has been used: each application, and each invoice of one-time charges
    /// it discounted.
    async fn redemptions(&self) -> i32 {
        self.0.redemptions
    }
    /// Last day it may be applied; null: no expiry.
    async fn expires_on(&self) -> Option<NaiveDate> {
        self.0.expires_on
    }
    /// Whether it is archived (it can no longer be applied).
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A coupon applied to an organisation or one of its subscriptions.
pub struct AppliedCoupon(pub AppliedCouponState);

#[Object]
impl AppliedCoupon {
    /// Opaque id of the application (`red_…`), to remove it.
    async fn id(&self) -> ID {
        self.0.redemption.id.into()
    }
    /// The coupon's code, as the discount lines show it.
    async fn code(&self) -> &str {
        &self.0.coupon.code
    }
    /// The coupon's name.
    async fn name(&self) -> &str {
        &self.0.coupon.name
    }
    /// Percent off, exact decimal text; null for a fixed-amount coupon.
    async fn percent_off(&self) -> Option<&str> {
        self.0.coupon.percent_off.as_deref()
    }
    /// Fixed amounts off, one per currency; empty for a percent coupon.
    async fn amounts_off(&self) -> Result<Vec<Money>> {
        amounts(&self.0.coupon)
    }
    /// For how many invoices it discounts.
    async fn duration(&self) -> CouponDuration {
        self.0.coupon.duration.into()
    }
    /// Invoices discounted, for a REPEATING coupon.
    async fn duration_periods(&self) -> Option<i32> {
        self.0.coupon.duration_periods
    }
    /// Finalised invoices it has discounted so far.
    async fn periods_applied(&self) -> i32 {
        self.0.redemption.periods_applied
    }
    /// Whether it will discount the next invoice (a once coupon that discounted one, or a
    /// repeating one that discounted all of its invoices, is used up).
    async fn active(&self) -> bool {
        let applied = self.0.redemption.periods_applied;
        match self.0.coupon.duration {
            coupon::CouponDuration::Once => applied == 0,
            coupon::CouponDuration::Repeating => {
                self.0.coupon.duration_periods.is_some_and(|n| applied < n)
            }
            coupon::CouponDuration::Forever => true,
        }
    }
    /// The subscription it is limited to (`sub_…`); null: every subscription of the
    /// organisation.
    async fn subscription_id(&self) -> Option<ID> {
        self.0.redemption.subscription_id.map(ID::from)
    }
    /// When it was applied.
    async fn applied_at(&self) -> DateTime<Utc> {
        self.0.redemption.created_at
    }
}
