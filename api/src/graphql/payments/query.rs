//! Payments queries: one attempt (the authentication page), staff's dunning queue and the
//! receivables (every open invoice still owed, collected automatically or not).

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};

use super::types::{Dunning, PaymentAttempt};
use crate::graphql::context::ContextExt;
use crate::graphql::invoices::types::Invoice;
use crate::graphql::money::parse_id;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::invoices::ReceivablesFilter;

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

    /// Every open invoice that still asks for money, whichever organisation and however it is
    /// paid, the earliest due first (operator staff). An invoice's `paymentHistory.dunning`
    /// says when its automatic collection tries next, if it has one.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn receivables(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many invoices (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last invoice of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Only invoices past due: due before today (UTC, by the server's clock).",
            default = false
        )]
        past_due: bool,
        #[graphql(desc = "Only this organisation's (`cus_…`).")] customer_id: Option<ID>,
        #[graphql(
            desc = "Only invoices whose automatic collection failed at least once.",
            default = false
        )]
        collection_failed: bool,
    ) -> Result<Connection<String, Invoice>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = ReceivablesFilter {
            due_before: past_due.then(|| ctx.services().clock.now().date_naive()),
            customer: customer_id
                .map(|id| parse_id(&id, "customerId"))
                .transpose()?,
            collection_failed,
        };
        let page = ctx
            .services()
            .invoices
            .receivables(ctx.actor(), filter, &request)
            .await?;
        Ok(connection(page, Invoice))
    }
}
