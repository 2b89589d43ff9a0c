//! The subscriptions slice's fields of `Customer`.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::{customer, subscription};

use super::types::{Subscription, SubscriptionStatus};
use crate::graphql::context::ContextExt;

/// What the organisation subscribes to.
pub struct CustomerSubscriptions(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerSubscriptions {
    /// The organisation's subscriptions, oldest first.
    async fn subscriptions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only subscriptions in one of these statuses (omitted: every \
                          subscription, cancelled ones included).")]
        status: Option<Vec<SubscriptionStatus>>,
    ) -> Result<Vec<Subscription>> {
        let statuses: Option<Vec<subscription::SubscriptionStatus>> =
            status.map(|s| s.into_iter().map(Into::into).collect());
        let rows = ctx
            .services()
            .subscriptions
            .of_customer(ctx.actor(), self.0.id, statuses.as_deref())
            .await?;
        Ok(rows.into_iter().map(Subscription).collect())
    }
}
