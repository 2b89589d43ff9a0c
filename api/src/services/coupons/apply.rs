//! Staff apply a coupon to a customer (all its subscriptions) or to one subscription, and
//! remove it. Applying is refused, with a stable `extensions.reason` under `CONFLICT`, when the
//! coupon is archived (`COUPON_ARCHIVED`), past its expiry date (`COUPON_EXPIRED`), has no
//! amount in the customer's currency (`COUPON_CURRENCY`), is already applied to the customer
//! (`COUPON_ALREADY_APPLIED`) or has reached its redemption limit (`COUPON_LIMIT_REACHED`).

use chrono::{NaiveDate, Utc};
use entity::{coupon, coupon_redemption, customer, subscription};
use ids::{CouponId, CouponRedemptionId, CustomerId, SubscriptionId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::CouponsService;
use super::redeem::{Unusable, count_redemption, unusable};
use super::rows::AppliedCouponState;
use crate::auth::Actor;
use crate::db::UniqueLookup;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::accounts::profile::commit_priced;
use crate::services::audit::{self, AuditEntry};

/// Where to apply a coupon.
#[derive(Clone, Copy, Debug)]
pub struct ApplyCoupon {
    /// The coupon.
    pub coupon: CouponId,
    /// The customer.
    pub customer: CustomerId,
    /// One of the customer's subscriptions; `None`: every subscription of the customer.
    pub subscription: Option<SubscriptionId>,
}

fn refused(reason: &'static str, message: impl Into<String>) -> ServiceError {
    ServiceError::Refused {
        reason,
        message: message.into(),
    }
}

fn already_applied() -> ServiceError {
    refused(
        "COUPON_ALREADY_APPLIED",
        "this coupon is already applied to this customer",
    )
}

impl CouponsService {
    /// Applies a coupon (operator staff) on `today` (the business date, against the expiry
    /// date). `NOT_FOUND` for an unknown coupon, customer, or a subscription that is not the
    /// customer's.
    pub async fn apply(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        target: ApplyCoupon,
        today: NaiveDate,
    ) -> ServiceResult<AppliedCouponState> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        let customer = customer::Entity::find_by_id(target.customer)
            .one_by_key(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "customer" })?;
        if let Some(id) = target.subscription {
            subscription::Entity::find_by_id(id)
                .filter(subscription::Column::CustomerId.eq(customer.id))
                .one_by_key(&txn)
                .await?
                .ok_or(ServiceError::NotFound {
                    entity: "subscription",
                })?;
        }
        let coupon = coupon::Entity::find_by_id(target.coupon)
            .one_by_key(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "coupon" })?;
        if let Some(why) = unusable(&coupon, &customer.currency, today)? {
            let reason = match why {
                Unusable::Archived => "COUPON_ARCHIVED",
                Unusable::Expired(_) => "COUPON_EXPIRED",
                Unusable::NoAmountIn(_) => "COUPON_CURRENCY",
            };
            return Err(refused(reason, why.message()));
        }
        if coupon_redemption::Entity::find()
            .filter(coupon_redemption::Column::CustomerId.eq(customer.id))
            .filter(coupon_redemption::Column::CouponId.eq(coupon.id))
            .one_by_key(&txn)
            .await?
            .is_some()
        {
            return Err(already_applied());
        }
        // Counted with a guarded update, so concurrent applications cannot overshoot the limit.
        if !count_redemption(&txn, coupon.id).await? {
            return Err(refused(
                "COUPON_LIMIT_REACHED",
                "this coupon has been applied as many times as it may be",
            ));
        }
        let redemption = coupon_redemption::Model {
            id: CouponRedemptionId::new(),
            coupon_id: coupon.id,
            customer_id: customer.id,
            subscription_id: target.subscription,
            periods_applied: 0,
            created_at: Utc::now(),
        };
        coupon_redemption::Entity::insert(coupon_redemption::ActiveModel::from(redemption.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(already_applied))?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(customer.id),
                action: "coupon.apply",
                subject_type: "coupon_redemption",
                subject_id: redemption.id.to_string(),
                before: None,
                after: Some(json!({
                    "coupon": coupon.code,
                    "subscription": redemption.subscription_id.map(|s| s.to_string()),
                })),
            },
        )
        .await?;
        commit_priced(txn, &customer).await?;
        Ok(AppliedCouponState {
            redemption,
            coupon: coupon::Model {
                redemptions: coupon.redemptions + 1,
                ..coupon
            },
        })
    }

    /// Removes an applied coupon (operator staff): later invoices are not discounted by it.
    /// Finalised invoices keep their discount lines; the coupon's redemption count stays.
    pub async fn remove(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: CouponRedemptionId,
    ) -> ServiceResult<coupon_redemption::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        let redemption = coupon_redemption::Entity::find_by_id(id)
            .one_by_key(&txn)
            .await?
            .ok_or(ServiceError::NotFound {
                entity: "applied coupon",
            })?;
        coupon_redemption::Entity::delete_by_id(id)
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(redemption.customer_id),
                action: "coupon.remove",
                subject_type: "coupon_redemption",
                subject_id: redemption.id.to_string(),
                before: Some(json!({
                    "coupon": redemption.coupon_id.to_string(),
                    "subscription": redemption.subscription_id.map(|s| s.to_string()),
                    "periods_applied": redemption.periods_applied,
                })),
                after: None,
            },
        )
        .await?;
        txn.commit(redemption.customer_id).await?;
        Ok(redemption)
    }
}
