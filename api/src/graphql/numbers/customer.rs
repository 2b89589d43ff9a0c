//! The numbers slice's fields of `Customer`: its telephone numbers.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::customer;

use super::types::PhoneNumber;
use crate::graphql::context::ContextExt;

/// The organisation's telephone numbers.
pub struct CustomerNumbers(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerNumbers {
    /// The organisation's telephone numbers, in number order, at most 1,000.
    async fn phone_numbers(&self, ctx: &Context<'_>) -> Result<Vec<PhoneNumber>> {
        let rows = ctx
            .services()
            .numbers
            .numbers_of(ctx.actor(), self.0.id)
            .await?;
        Ok(rows.into_iter().map(PhoneNumber).collect())
    }
}
