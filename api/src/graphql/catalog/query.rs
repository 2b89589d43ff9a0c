//! Catalog queries (operator staff).

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};

use super::types::{Product, ProductKind};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::catalog::ProductFilter;

/// Catalog queries.
#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// Products, oldest first (operator staff), optionally filtered.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn products(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many products (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last product of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Only products whose name or code contains this, in any case (at \
                          most 200 characters; blank: every product)."
        )]
        search: Option<String>,
        #[graphql(desc = "Only products of this kind.")] kind: Option<ProductKind>,
        #[graphql(desc = "Only active (true) or archived (false) products.")] active: Option<bool>,
    ) -> Result<Connection<String, Product>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = ProductFilter {
            search: ProductFilter::search(search.as_deref())?,
            kind: kind.map(Into::into),
            active,
        };
        let page = ctx
            .services()
            .catalog
            .products(ctx.actor(), &filter, request)
            .await?;
        Ok(connection(page, Product))
    }

    /// One product (operator staff).
    async fn product(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The product's id (`prod_…`).")] id: ID,
    ) -> Result<Product> {
        let id = parse_id(&id, "id")?;
        Ok(Product(
            ctx.services().catalog.product(ctx.actor(), id).await?,
        ))
    }
}
