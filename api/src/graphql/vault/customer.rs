//! The vault slice's fields of `Customer`: its documents and the documents it is asked for.

use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};
use entity::customer;

use super::types::{Document, DocumentStatus, DocumentType, RequiredDocument};
use crate::graphql::context::ContextExt;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::vault::DocumentFilter;

/// The organisation's documents.
pub struct CustomerVault(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerVault {
    /// The organisation's documents, newest first: those its users uploaded (pending,
    /// accepted or rejected) and those the operator published to it. Uploads go to
    /// `POST /documents`, not through GraphQL.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many documents (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last document of the previous page.")] after: Option<
            String,
        >,
        #[graphql(name = "type", desc = "Only documents of this type.")] kind: Option<DocumentType>,
        #[graphql(desc = "Only documents in this review status.")] status: Option<DocumentStatus>,
    ) -> Result<Connection<String, Document>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = DocumentFilter {
            kind: kind.map(Into::into),
            status: status.map(Into::into),
        };
        let page = ctx
            .services()
            .vault
            .list(ctx.actor(), self.0.id, filter, request)
            .await?;
        Ok(connection(page, Document))
    }

    /// The documents the organisation is asked for and has not had accepted yet, oldest
    /// first: a change of default billing address asks for a new company registration
    /// certificate.
    async fn required_documents(&self, ctx: &Context<'_>) -> Result<Vec<RequiredDocument>> {
        let rows = ctx
            .services()
            .vault
            .required(ctx.actor(), self.0.id)
            .await?;
        Ok(rows.into_iter().map(RequiredDocument).collect())
    }
}
