//! The subscriptions slice's fields of `Customer`.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::customer;

use super::types::Subscription;
use crate::graphql::context::ContextExt;

/// What the organisation subscribes to.
pub struct CustomerSubscriptions(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerSubscriptions {
    /// The organisation's subscriptions, oldest first.
    async fn subscriptions(&self, ctx: &Context<'_>) -> Result<Vec<Subscription>> {
        let rows = ctx
            .services()
            .subscriptions
            .of_customer(ctx.actor(), self.0.id)
            .await?;
        Ok(rows.into_iter().map(Subscription).collect())
    }
}
