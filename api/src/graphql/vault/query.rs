//! The review queue as operator staff read it.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};

use super::types::Document;
use crate::graphql::context::ContextExt;
use crate::graphql::pagination::{complexity, connection, page_request};

/// Vault queries.
#[derive(Default)]
pub struct VaultQuery;

#[Object]
impl VaultQuery {
    /// Every organisation's documents waiting for review, oldest first (operator staff).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn documents_to_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many documents (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last document of the previous page.")] after: Option<
            String,
        >,
    ) -> Result<Connection<String, Document>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx.services().vault.to_review(ctx.actor(), request).await?;
        Ok(connection(page, Document))
    }
}
