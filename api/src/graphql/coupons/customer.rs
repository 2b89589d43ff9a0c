//! The coupons slice's fields of `Customer`.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::customer;

use super::types::AppliedCoupon;
use crate::graphql::context::ContextExt;

/// The coupons applied to the organisation.
pub struct CustomerCoupons(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerCoupons {
    /// Coupons applied to the organisation (every subscription) or to one of its
    /// subscriptions, oldest first, used-up ones included (read-only: staff apply them).
    async fn coupons(&self, ctx: &Context<'_>) -> Result<Vec<AppliedCoupon>> {
        let applied = ctx
            .services()
            .coupons
            .of_customer(ctx.actor(), &self.0)
            .await?;
        Ok(applied.into_iter().map(AppliedCoupon).collect())
    }
}
