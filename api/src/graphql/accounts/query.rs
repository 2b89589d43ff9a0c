//! Queries of the accounts area.

use async_graphql::{Context, Object, Result};

use super::types::{User, Viewer};
use crate::graphql::context::ContextExt;
use crate::graphql::customers::Customer;
use crate::services::accounts::SignedIn;

/// Queries about the current user.
#[derive(Default)]
pub struct AccountsQuery;

#[Object]
impl AccountsQuery {
    /// The signed-in user and, for a customer user, their organisation.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Viewer> {
        let (user, organisation) = ctx
            .services()
            .accounts
            .viewer(ctx.actor(), ctx.data_opt::<SignedIn>())
            .await?;
        Ok(Viewer {
            user: User(user),
            organisation: organisation.map(Customer::from_row),
        })
    }
}
