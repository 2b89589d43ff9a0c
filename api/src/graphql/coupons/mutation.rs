//! Coupon mutations (operator staff): the catalog, and applying coupons to customers.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;

use super::types::{AppliedCoupon, Coupon, CouponDuration};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::coupons::{ApplyCoupon, NewCoupon, NewCouponDiscount, NewCouponDuration};

/// A fixed amount off in one currency.
#[derive(InputObject)]
pub struct CouponAmountInput {
    /// ISO 4217 currency code.
    pub currency: String,
    /// Amount off, exact decimal text with at most the currency's minor units.
    pub amount: String,
}

/// Input of `createCoupon`: give `percentOff` or `amountsOff`, not both.
#[derive(InputObject)]
pub struct CreateCouponInput {
    /// Unique code, whatever its case (letters, digits, `-`, `_`); discount lines show it.
    pub code: String,
    /// Name for staff.
    pub name: String,
    /// Percent off, exact decimal text above 0 and at most 100.
    pub percent_off: Option<String>,
    /// Fixed amounts off, one for each currency the coupon can be used in.
    pub amounts_off: Option<Vec<CouponAmountInput>>,
    /// For how many invoices it discounts.
    pub duration: CouponDuration,
    /// Invoices discounted, for REPEATING (1 to 1200).
    pub duration_periods: Option<i32>,
    /// Products it is limited to (`prod_…`); omitted or empty: the whole invoice.
    pub product_ids: Option<Vec<ID>>,
    /// How many times it may be applied in all; omitted: no limit.
    pub max_redemptions: Option<i32>,
    /// Last day it may be applied (applications made before keep discounting).
    pub expires_on: Option<NaiveDate>,
}

/// Result of `createCoupon` and `archiveCoupon`.
#[derive(SimpleObject)]
pub struct CouponPayload {
    /// The coupon.
    pub coupon: Coupon,
}

/// Input of `archiveCoupon`.
#[derive(InputObject)]
pub struct ArchiveCouponInput {
    /// The coupon (`cpn_…`).
    pub coupon_id: ID,
}

/// Input of `applyCoupon`.
#[derive(InputObject)]
pub struct ApplyCouponInput {
    /// The coupon (`cpn_…`).
    pub coupon_id: ID,
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// One of its subscriptions (`sub_…`); omitted: every subscription of the organisation.
    pub subscription_id: Option<ID>,
}

/// Result of `applyCoupon`.
#[derive(SimpleObject)]
pub struct ApplyCouponPayload {
    /// The coupon as applied.
    pub applied_coupon: AppliedCoupon,
}

/// Input of `removeCoupon`.
#[derive(InputObject)]
pub struct RemoveCouponInput {
    /// The applied coupon (`red_…`).
    pub applied_coupon_id: ID,
}

/// Result of `removeCoupon`.
#[derive(SimpleObject)]
pub struct RemoveCouponPayload {
    /// The id of the applied coupon removed (`red_…`).
    pub removed_applied_coupon_id: ID,
}

/// Coupon mutations.
#[derive(Default)]
pub struct CouponsMutation;

#[Object]
impl CouponsMutation {
    /// Creates a coupon (operator staff).
    async fn create_coupon(
        &self,
        ctx: &Context<'_>,
        input: CreateCouponInput,
    ) -> Result<CouponPayload> {
        let discount = match (input.percent_off, input.amounts_off) {
            (Some(percent), None) => Some(NewCouponDiscount::Percent(percent)),
            (None, Some(amounts)) => Some(NewCouponDiscount::Amounts(
                amounts
                    .into_iter()
                    .map(|a| (a.currency, a.amount))
                    .collect(),
            )),
            _ => None,
        };
        let product_ids = input
            .product_ids
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, id)| parse_id(id, &format!("input.productIds.{i}")))
            .collect::<Result<Vec<_>, _>>()?;
        let duration = match input.duration {
            CouponDuration::Once => NewCouponDuration::Once,
            CouponDuration::Repeating => NewCouponDuration::Repeating,
            CouponDuration::Forever => NewCouponDuration::Forever,
        };
        let services = ctx.services();
        let coupon = services
            .coupons
            .create(
                ctx.actor(),
                ctx.request_id(),
                NewCoupon {
                    code: input.code,
                    name: input.name,
                    discount,
                    duration,
                    duration_periods: input.duration_periods,
                    product_ids,
                    max_redemptions: input.max_redemptions,
                    expires_on: input.expires_on,
                },
                services.clock.now().date_naive(),
            )
            .await?;
        Ok(CouponPayload {
            coupon: Coupon(coupon),
        })
    }

    /// Archives a coupon: it can no longer be applied; where it is applied, it goes on
    /// discounting as agreed (operator staff).
    async fn archive_coupon(
        &self,
        ctx: &Context<'_>,
        input: ArchiveCouponInput,
    ) -> Result<CouponPayload> {
        let id = parse_id(&input.coupon_id, "input.couponId")?;
        let coupon = ctx
            .services()
            .coupons
            .archive(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(CouponPayload {
            coupon: Coupon(coupon),
        })
    }

    /// Applies a coupon to an organisation or one of its subscriptions; its next invoices
    /// show the discount (operator staff). Refusals answer `CONFLICT` with
    /// `extensions.reason`: `COUPON_ARCHIVED`, `COUPON_EXPIRED`, `COUPON_CURRENCY` (no amount
    /// in the organisation's currency), `COUPON_ALREADY_APPLIED`, `COUPON_LIMIT_REACHED`.
    async fn apply_coupon(
        &self,
        ctx: &Context<'_>,
        input: ApplyCouponInput,
    ) -> Result<ApplyCouponPayload> {
        let target = ApplyCoupon {
            coupon: parse_id(&input.coupon_id, "input.couponId")?,
            customer: parse_id(&input.customer_id, "input.customerId")?,
            subscription: input
                .subscription_id
                .as_ref()
                .map(|id| parse_id(id, "input.subscriptionId"))
                .transpose()?,
        };
        let services = ctx.services();
        let applied = services
            .coupons
            .apply(
                ctx.actor(),
                ctx.request_id(),
                target,
                services.clock.now().date_naive(),
            )
            .await?;
        Ok(ApplyCouponPayload {
            applied_coupon: AppliedCoupon(applied),
        })
    }

    /// Removes an applied coupon: later invoices are not discounted by it; finalised ones
    /// keep their discount (operator staff).
    async fn remove_coupon(
        &self,
        ctx: &Context<'_>,
        input: RemoveCouponInput,
    ) -> Result<RemoveCouponPayload> {
        let id = parse_id(&input.applied_coupon_id, "input.appliedCouponId")?;
        let removed = ctx
            .services()
            .coupons
            .remove(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(RemoveCouponPayload {
            removed_applied_coupon_id: removed.id.into(),
        })
    }
}
