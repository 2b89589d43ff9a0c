//! The numbers slice's fields of `Customer`: its telephone numbers.

use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};
use entity::customer;

use super::types::PhoneNumber;
use crate::graphql::context::ContextExt;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::numbers::NumberFilter;

/// The organisation's telephone numbers.
pub struct CustomerNumbers(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerNumbers {
    /// The organisation's telephone numbers, in the order they were added, optionally only
    /// those containing some digits, or only those with (or without) a release day.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn phone_numbers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many numbers (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last number of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Only numbers containing these digits, however written (`+33 1 42`, \
                    `01 42`); blank: every number."
        )]
        search: Option<String>,
        #[graphql(
            desc = "Only numbers given a release day, past or coming (true), or those \
                    without one (false)."
        )]
        released: Option<bool>,
    ) -> Result<Connection<String, PhoneNumber>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = NumberFilter::new(search.as_deref(), released)?;
        let page = ctx
            .services()
            .numbers
            .numbers_of(ctx.actor(), self.0.id, &filter, request)
            .await?;
        Ok(connection(page, PhoneNumber))
    }
}
