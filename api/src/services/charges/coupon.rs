//! A one-time coupon on charges invoiced now (Chargebee's quick charge with a coupon): it
//! discounts that one invoice through `billing`'s coupon logic, exactly as a subscription's
//! coupon discounts a period invoice (percent or amount, whole invoice or named products, one
//! discount line per tax rate), whatever the coupon's own duration. Each invoice it discounts
//! counts one redemption against the coupon's limit; it must not be archived, past its expiry
//! on the invoice's issue date, or without an amount in the customer's currency.
//!
//! Unbilled charges take no coupon (refused on the coupon's field): they have no invoice yet,
//! and the invoice that takes them is the subscription's next one, with its recurring lines,
//! which a coupon applied to the subscription (`applyCoupon`) already discounts.

use billing::{AppliedCoupon, CouponDuration, Currency, Invoice};
use chrono::NaiveDate;
use entity::coupon;
use ids::CouponId;
use sea_orm::{ConnectionTrait, EntityTrait};

use super::error::{ChargeError, CouponField};
use crate::db::TenantWrite;
use crate::error::{ServiceError, ServiceResult};
use crate::services::coupons::redeem::{
    Unusable, count_redemption, find_by_code, limit_reached, unusable,
};
use crate::services::coupons::rows::coupon_of;

/// Longest coupon code (as coupons are created).
const MAX_CODE: usize = 40;

/// The coupon as entered: by its code (whatever its case) or by its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CouponRef {
    /// A code, trimmed.
    Code(String),
    /// An id (`cpn_…`).
    Id(CouponId),
}

impl CouponRef {
    /// One of the two, or none; both is a bad input.
    pub fn parse(code: Option<&str>, id: Option<CouponId>) -> ServiceResult<Option<Self>> {
        let code = code.map(str::trim);
        match (code, id) {
            (Some(_), Some(_)) => Err(ChargeError::CouponTwice.into()),
            (Some(code), None) if code.is_empty() || code.chars().count() > MAX_CODE => {
                Err(ChargeError::CouponCodeLength.into())
            }
            (Some(code), None) => Ok(Some(CouponRef::Code(code.to_owned()))),
            (None, Some(id)) => Ok(Some(CouponRef::Id(id))),
            (None, None) => Ok(None),
        }
    }

    /// The field it came in.
    pub fn field(&self) -> CouponField {
        match self {
            CouponRef::Code(_) => CouponField::Code,
            CouponRef::Id(_) => CouponField::Id,
        }
    }
}

/// A coupon found and usable for one invoice of charges.
#[derive(Clone, Debug)]
pub(super) struct ChargeCoupon {
    row: coupon::Model,
    field: CouponField,
}

impl ChargeCoupon {
    /// Finds the coupon and checks it may discount an invoice issued on `issue_date` in
    /// `currency`: an unknown code is a bad input, an unknown id `NOT_FOUND`.
    pub(super) async fn resolve<C: ConnectionTrait>(
        db: &C,
        reference: &CouponRef,
        currency: Currency,
        issue_date: NaiveDate,
    ) -> ServiceResult<Self> {
        let field = reference.field();
        let row = match reference {
            CouponRef::Code(code) => find_by_code(db, code)
                .await?
                .ok_or(ChargeError::CouponUnknown)?,
            CouponRef::Id(id) => coupon::Entity::find_by_id(*id)
                .one(db)
                .await?
                .ok_or(ServiceError::NotFound { entity: "coupon" })?,
        };
        if let Some(why) = unusable(&row, currency.code(), issue_date)? {
            return Err(match why {
                Unusable::Archived => ChargeError::CouponArchived(field),
                Unusable::Expired(on) => ChargeError::CouponExpired(field, on),
                Unusable::NoAmountIn(code) => ChargeError::CouponCurrency(field, code),
            }
            .into());
        }
        if limit_reached(&row) {
            return Err(ChargeError::CouponLimitReached(field).into());
        }
        Ok(Self { row, field })
    }

    /// The coupon as `billing` applies it: once, to this invoice.
    pub(super) fn applied(&self, currency: Currency) -> ServiceResult<AppliedCoupon> {
        let coupon = coupon_of(&self.row, currency)?
            .ok_or_else(|| ChargeError::CouponCurrency(self.field, currency.code().to_owned()))?;
        Ok(AppliedCoupon {
            coupon: billing::Coupon {
                duration: CouponDuration::Once,
                ..coupon
            },
            periods_applied: 0,
        })
    }

    /// Refuses a coupon that took nothing off `invoice` (it would count a redemption for
    /// nothing).
    pub(super) fn check_discounted(&self, invoice: &Invoice) -> ServiceResult<()> {
        if invoice.coupons_applied.contains(&self.row.code) {
            Ok(())
        } else {
            Err(ChargeError::CouponDiscountsNothing(self.field).into())
        }
    }

    /// The code, as discount lines show it.
    pub(super) fn code(&self) -> &str {
        &self.row.code
    }

    /// Counts the redemption in the invoice's transaction; the limit reached meanwhile (another
    /// use committed since the coupon was read) refuses the whole request.
    pub(super) async fn redeem(&self, txn: &TenantWrite) -> ServiceResult<()> {
        if count_redemption(txn, self.row.id).await? {
            Ok(())
        } else {
            Err(ChargeError::CouponLimitReached(self.field).into())
        }
    }
}
