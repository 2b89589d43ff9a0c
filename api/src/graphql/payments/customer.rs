//! The payments slice's fields of `Customer`: its payment methods.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::customer;

use super::types::PaymentMethod;
use crate::graphql::context::ContextExt;

/// The organisation's payment methods.
pub struct CustomerPayments(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerPayments {
    /// The organisation's cards and bank accounts, the default first: brand, last four and
    /// expiry only. At most 20: adding one more answers `CONFLICT`
    /// (`TOO_MANY_PAYMENT_METHODS`).
    async fn payment_methods(&self, ctx: &Context<'_>) -> Result<Vec<PaymentMethod>> {
        let rows = ctx
            .services()
            .payments
            .methods(ctx.actor(), self.0.id)
            .await?;
        Ok(rows.into_iter().map(PaymentMethod).collect())
    }
}
