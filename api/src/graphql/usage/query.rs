//! API keys as operator administrators list them.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};

use super::types::ApiKey;
use crate::graphql::context::ContextExt;
use crate::graphql::pagination::{complexity, connection, page_request};

/// Usage queries.
#[derive(Default)]
pub struct UsageQuery;

#[Object]
impl UsageQuery {
    /// API keys, newest first, revoked ones included unless filtered out (operator admin).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many keys (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last key of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only keys not revoked (true) or revoked ones (false).")] active: Option<
            bool,
        >,
    ) -> Result<Connection<String, ApiKey>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .api_keys
            .list(ctx.actor(), active, &request)
            .await?;
        Ok(connection(page, ApiKey))
    }
}
