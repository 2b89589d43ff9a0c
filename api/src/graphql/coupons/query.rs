//! Coupon queries (operator staff).

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};

use super::types::Coupon;
use crate::graphql::context::ContextExt;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::coupons::CouponFilter;

/// Coupon queries.
#[derive(Default)]
pub struct CouponsQuery;

#[Object]
impl CouponsQuery {
    /// Coupons, oldest first, archived ones included unless filtered out (operator staff).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn coupons(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many coupons (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last coupon of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Only coupons whose code or name contains this, in any case (at most 200 \
                    characters; blank: every coupon)."
        )]
        search: Option<String>,
        #[graphql(
            desc = "Only coupons not archived (true; expired or used-up ones among them) or \
                    archived ones (false)."
        )]
        active: Option<bool>,
    ) -> Result<Connection<String, Coupon>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = CouponFilter::new(search.as_deref(), active)?;
        let page = ctx
            .services()
            .coupons
            .list(ctx.actor(), &filter, &request)
            .await?;
        Ok(connection(page, Coupon))
    }
}
