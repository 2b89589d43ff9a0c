//! The outbox as operator staff read it.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};

use super::types::{Email, EmailStatus};
use crate::graphql::context::ContextExt;
use crate::graphql::pagination::{complexity, connection, page_request};

/// E-mail queries.
#[derive(Default)]
pub struct MailQuery;

#[Object]
impl MailQuery {
    /// Every e-mail, newest first, optionally only those in `status` (`FAILED`: what needs a
    /// look) (operator staff).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn emails(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only e-mails in this status.")] status: Option<EmailStatus>,
        #[graphql(desc = "How many e-mails (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last e-mail of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, Email>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .mail
            .messages(ctx.actor(), status.map(Into::into), &request)
            .await?;
        Ok(connection(page, Email))
    }
}
