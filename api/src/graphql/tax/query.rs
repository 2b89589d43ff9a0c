//! Tax rate queries (operator staff).

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};

use super::types::TaxRate;
use crate::graphql::context::ContextExt;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::tax::TaxRateFilter;

/// Tax rate queries.
#[derive(Default)]
pub struct TaxQuery;

#[Object]
impl TaxQuery {
    /// Tax rates, oldest first, archived ones included unless filtered out (operator staff).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn tax_rates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many rates (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last rate of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Only this country's rates (ISO 3166-1 alpha-2, e.g. `FR`; blank: every \
                    country)."
        )]
        country: Option<String>,
        #[graphql(desc = "Only rates that apply (true) or archived ones (false).")] active: Option<
            bool,
        >,
    ) -> Result<Connection<String, TaxRate>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = TaxRateFilter::new(country.as_deref(), active)?;
        let page = ctx
            .services()
            .tax_rates
            .list(ctx.actor(), &filter, &request)
            .await?;
        Ok(connection(page, TaxRate))
    }
}
