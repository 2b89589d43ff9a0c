//! Payments queries: one attempt (the authentication page) and staff's dunning queue.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};

use super::types::{Dunning, PaymentAttempt};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::graphql::pagination::{complexity, connection, page_request};

/// Payments queries.
#[derive(Default)]
pub struct PaymentsQuery;

#[Object]
impl PaymentsQuery {
    /// One payment attempt of the caller's organisation (any organisation for staff), e.g.
    /// to authenticate it. Another organisation's answers `NOT_FOUND`.
    async fn payment_attempt(&self, ctx: &Context<'_>, id: ID) -> Result<PaymentAttempt> {
        let id = parse_id(&id, "id")?;
        let row = ctx.services().payments.attempt(ctx.actor(), id).await?;
        Ok(PaymentAttempt(row))
    }

    /// Open invoices whose automatic collection failed, the next attempt first, those whose
    /// retries are exhausted among them (operator staff).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn dunning_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many invoices (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last invoice of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, Dunning>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .payments
            .dunning_queue(ctx.actor(), request)
            .await?;
        Ok(connection(page, Dunning))
    }
}
