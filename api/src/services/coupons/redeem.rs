//! What every use of a coupon checks, and the count every use takes: applying it to a customer
//! ([`super::apply`]) and discounting one invoice of one-time charges (`services::charges`).

use chrono::NaiveDate;
use entity::coupon;
use ids::CouponId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::rows::amounts_off;
use crate::db::TenantWrite;
use crate::error::ServiceResult;

/// Why a coupon cannot be used now; each use says it in its own way (a refusal for
/// `applyCoupon`, a field error for charges).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unusable {
    /// Staff archived it.
    Archived,
    /// Its last day has passed.
    Expired(NaiveDate),
    /// A fixed-amount coupon without an amount in this currency (the code).
    NoAmountIn(String),
}

impl Unusable {
    /// The reason in words, for the user.
    pub fn message(&self) -> String {
        match self {
            Unusable::Archived => "this coupon is archived".into(),
            Unusable::Expired(on) => format!("this coupon expired on {on}"),
            Unusable::NoAmountIn(currency) => format!("this coupon has no amount in {currency}"),
        }
    }
}

/// Whether `coupon` may be used on `today` (the business date: its last day counts) for a
/// customer billed in `currency` (a code).
pub fn unusable(
    coupon: &coupon::Model,
    currency: &str,
    today: NaiveDate,
) -> ServiceResult<Option<Unusable>> {
    if coupon.archived_at.is_some() {
        return Ok(Some(Unusable::Archived));
    }
    if let Some(expires) = coupon.expires_on
        && expires < today
    {
        return Ok(Some(Unusable::Expired(expires)));
    }
    if coupon.percent_off.is_none() && !amounts_off(coupon)?.contains_key(currency) {
        return Ok(Some(Unusable::NoAmountIn(currency.to_owned())));
    }
    Ok(None)
}

/// Whether the row as read has used up its redemption limit (a read: the count itself is
/// taken by [`count_redemption`]).
pub fn limit_reached(coupon: &coupon::Model) -> bool {
    coupon
        .max_redemptions
        .is_some_and(|max| coupon.redemptions >= max)
}

/// Counts one more redemption of `coupon` in `txn`, unless that would pass its limit: `false`
/// then, and nothing changes. A guarded update, so concurrent uses cannot overshoot the limit.
pub async fn count_redemption(txn: &TenantWrite, coupon: CouponId) -> ServiceResult<bool> {
    let counted = coupon::Entity::update_many()
        .col_expr(
            coupon::Column::Redemptions,
            Expr::col(coupon::Column::Redemptions).add(1),
        )
        .filter(coupon::Column::Id.eq(coupon))
        .filter(
            Condition::any()
                .add(coupon::Column::MaxRedemptions.is_null())
                .add(
                    Expr::col(coupon::Column::Redemptions)
                        .lt(Expr::col(coupon::Column::MaxRedemptions)),
                ),
        )
        .exec(txn)
        .await?;
    Ok(counted.rows_affected == 1)
}

/// The coupon whose code is `code`, whatever its case (codes are unique that way).
pub async fn find_by_code<C: ConnectionTrait>(
    db: &C,
    code: &str,
) -> ServiceResult<Option<coupon::Model>> {
    Ok(coupon::Entity::find()
        .filter(coupon::Column::CodeKey.eq(code.to_lowercase()))
        .one(db)
        .await?)
}
