//! The charges slice's fields of `Customer`.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::customer;

use super::types::Charge;
use crate::graphql::context::ContextExt;

/// The organisation's one-time charges (operator staff).
pub struct CustomerCharges(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerCharges {
    /// One-time charges and addons waiting for the next invoice, oldest first (operator
    /// staff).
    async fn unbilled_charges(&self, ctx: &Context<'_>) -> Result<Vec<Charge>> {
        let charges = ctx
            .services()
            .charges
            .unbilled(ctx.actor(), self.0.id)
            .await?;
        Ok(charges.into_iter().map(Charge).collect())
    }
}
