//! The review queue as operator staff read it.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};

use super::types::{Document, DocumentType};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::vault::ReviewFilter;

/// Vault queries.
#[derive(Default)]
pub struct VaultQuery;

#[Object]
impl VaultQuery {
    /// Every organisation's documents waiting for review, oldest first, optionally only one
    /// organisation's or one type's (operator staff).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn documents_to_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only this organisation's (`cus_…`); one without documents, or none \
                          at all, gives an empty list."
        )]
        customer_id: Option<ID>,
        #[graphql(name = "type", desc = "Only documents of this type.")] kind: Option<DocumentType>,
        #[graphql(desc = "How many documents (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last document of the previous page.")] after: Option<
            String,
        >,
    ) -> Result<Connection<String, Document>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = ReviewFilter {
            customer: customer_id
                .map(|id| parse_id(&id, "customerId"))
                .transpose()?,
            kind: kind.map(Into::into),
        };
        let page = ctx
            .services()
            .vault
            .to_review(ctx.actor(), filter, request)
            .await?;
        Ok(connection(page, Document))
    }
}
