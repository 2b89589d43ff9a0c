//! `coupon_redemptions`: a coupon applied to a customer (every subscription) or to one
//! subscription, with how many invoices it has discounted. One per (coupon, customer).

use ids::{CouponId, CouponRedemptionId, CustomerId, SubscriptionId};
use sea_orm::entity::prelude::*;

/// A coupon applied to a customer or a subscription.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coupon_redemptions")]
pub struct Model {
    /// UUIDv7, exposed as `red_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: CouponRedemptionId,
    /// The coupon.
    pub coupon_id: CouponId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// The subscription it is limited to; `None`: every subscription of the customer.
    pub subscription_id: Option<SubscriptionId>,
    /// Finalised invoices it has discounted (the billing run increments it).
    pub periods_applied: i32,
    /// When it was applied.
    pub created_at: DateTimeUtc,
}

/// Redemptions have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
