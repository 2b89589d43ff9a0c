//! Coupon queries (operator staff).

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};

use super::types::Coupon;
use crate::graphql::context::ContextExt;
use crate::graphql::pagination::{complexity, connection, page_request};

/// Coupon queries.
#[derive(Default)]
pub struct CouponsQuery;

#[Object]
impl CouponsQuery {
    /// Coupons, oldest first, archived ones included (operator staff).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn coupons(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many coupons (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last coupon of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, Coupon>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx.services().coupons.list(ctx.actor(), &request).await?;
        Ok(connection(page, Coupon))
    }
}
