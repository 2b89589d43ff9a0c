//! The subscriptions slice's fields of `Customer`.

use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};
use entity::{customer, subscription};

use super::types::{Subscription, SubscriptionStatus};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::graphql::pagination::{complexity, connection, page_request};

/// What the organisation subscribes to.
pub struct CustomerSubscriptions(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerSubscriptions {
    /// The organisation's subscriptions, oldest first, optionally only those in some statuses.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn subscriptions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many subscriptions (at most the maximum page size).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last subscription of the previous page.")] after: Option<
            String,
        >,
        #[graphql(desc = "Only subscriptions in one of these statuses (omitted: every \
                          subscription, cancelled ones included).")]
        status: Option<Vec<SubscriptionStatus>>,
    ) -> Result<Connection<String, Subscription>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let statuses: Option<Vec<subscription::SubscriptionStatus>> =
            status.map(|s| s.into_iter().map(Into::into).collect());
        let page = ctx
            .services()
            .subscriptions
            .of_customer(ctx.actor(), self.0.id, statuses.as_deref(), request)
            .await?;
        Ok(connection(page, Subscription))
    }

    /// One of the organisation's subscriptions (`sub_…`). Another organisation's answers
    /// `NOT_FOUND`, as one that does not exist.
    async fn subscription(&self, ctx: &Context<'_>, id: ID) -> Result<Subscription> {
        let id = parse_id(&id, "id")?;
        let row = ctx
            .services()
            .subscriptions
            .get(ctx.actor(), self.0.id, id)
            .await?;
        Ok(Subscription(row))
    }
}
