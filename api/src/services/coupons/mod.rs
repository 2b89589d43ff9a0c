//! Coupons: the operator's catalog of discount codes ([`catalog`]), applied by staff to a
//! customer or one subscription ([`apply`]), discounting the invoices `billing` builds. The
//! tenant state holds each customer's applied coupons ([`rows::AppliedCouponState`]), so the
//! upcoming invoice and the billing run's invoice see the same ones; the run counts the
//! invoices each one discounted ([`record_redemptions`]) in the invoice's transaction.

mod apply;
mod catalog;
pub mod redeem;
pub mod rows;

pub use apply::ApplyCoupon;
pub use catalog::{CouponFilter, NewCoupon, NewCouponDiscount, NewCouponDuration};
pub use rows::AppliedCouponState;

use entity::{coupon, coupon_redemption, customer};
use ids::SubscriptionId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::auth::Actor;
use crate::db::{Db, TenantWrite};
use crate::error::{ServiceError, ServiceResult};
use crate::services::tenant_state::{TenantState, TenantStates};

/// Coupons: the catalog (staff), their application (staff) and what customers read.
#[derive(Clone)]
pub struct CouponsService {
    db: Db,
    states: TenantStates,
}

impl CouponsService {
    /// A service over `db`, reading applied coupons through the tenant states.
    pub fn new(db: Db, states: TenantStates) -> Self {
        Self { db, states }
    }

    /// The coupons applied to the organisation of `customer` (a row read in this request), on
    /// the organisation or on one of its subscriptions, oldest first. Another tenant answers
    /// `NOT_FOUND`.
    pub async fn of_customer(
        &self,
        actor: &Actor,
        customer: &customer::Model,
    ) -> ServiceResult<Vec<AppliedCouponState>> {
        let state = self
            .states
            .of(actor.authenticated()?, customer, "customer")
            .await?;
        Ok(state.coupons.clone())
    }
}

/// Counts one more discounted invoice for each coupon of `subscription` that discounted
/// `invoice`, in the transaction that finalises it: a "once" coupon then stops after exactly
/// one invoice, a "repeating 2" after two.
///
/// Each count moves only from the value the invoice was built with: a concurrent invoice of
/// another subscription that used the same organisation-wide coupon first makes this one fail
/// (`CONFLICT`, nothing written), and the next run bills the period again without it, so a
/// coupon never discounts more invoices than it may.
pub(crate) async fn record_redemptions(
    txn: &TenantWrite,
    state: &TenantState,
    subscription: SubscriptionId,
    invoice: &billing::Invoice,
) -> ServiceResult<()> {
    let used = state
        .coupons
        .iter()
        .filter(|c| c.covers(subscription) && invoice.coupons_applied.contains(&c.coupon.code));
    for applied in used {
        let counted = coupon_redemption::Entity::update_many()
            .col_expr(
                coupon_redemption::Column::PeriodsApplied,
                Expr::col(coupon_redemption::Column::PeriodsApplied).add(1),
            )
            .filter(coupon_redemption::Column::Id.eq(applied.redemption.id))
            .filter(
                coupon_redemption::Column::PeriodsApplied.eq(applied.redemption.periods_applied),
            )
            .exec(txn)
            .await?;
        if counted.rows_affected != 1 {
            return Err(ServiceError::Conflict {
                message: format!(
                    "coupon {} was used by another invoice meanwhile: bill the period again",
                    applied.coupon.code
                ),
            });
        }
    }
    Ok(())
}

/// The applied coupons of each of `customers` with their coupons, oldest application first,
/// read through `db` (the transaction the tenant states are read in) in two queries. A customer
/// with none is absent.
pub(crate) async fn load_applied_many<C: sea_orm::ConnectionTrait>(
    db: &C,
    customers: &[ids::CustomerId],
) -> ServiceResult<std::collections::HashMap<ids::CustomerId, Vec<AppliedCouponState>>> {
    use sea_orm::QueryOrder;
    let redemptions = coupon_redemption::Entity::find()
        .filter(coupon_redemption::Column::CustomerId.is_in(customers.iter().copied()))
        .order_by_asc(coupon_redemption::Column::Id)
        .all(db)
        .await?;
    let mut applied: std::collections::HashMap<_, Vec<_>> = std::collections::HashMap::new();
    if redemptions.is_empty() {
        return Ok(applied);
    }
    let mut ids: Vec<_> = redemptions.iter().map(|r| r.coupon_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let coupons: std::collections::HashMap<_, _> = coupon::Entity::find()
        .filter(coupon::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    for redemption in redemptions {
        let coupon = coupons
            .get(&redemption.coupon_id)
            .cloned()
            .ok_or_else(|| ServiceError::internal("a redemption without its coupon"))?;
        applied
            .entry(redemption.customer_id)
            .or_default()
            .push(AppliedCouponState { redemption, coupon });
    }
    Ok(applied)
}
