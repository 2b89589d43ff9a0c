//! API keys as operator staff list them.

use async_graphql::{Context, Object, Result};

use super::types::ApiKey;
use crate::graphql::context::ContextExt;

/// Usage queries.
#[derive(Default)]
pub struct UsageQuery;

#[Object]
impl UsageQuery {
    /// Every API key, newest first, at most 500 (operator admin).
    async fn api_keys(&self, ctx: &Context<'_>) -> Result<Vec<ApiKey>> {
        let rows = ctx.services().api_keys.list(ctx.actor()).await?;
        Ok(rows.into_iter().map(ApiKey).collect())
    }
}
