//! The invoices slice's fields of `Customer`.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::customer;

use super::types::UpcomingInvoice;
use crate::graphql::context::ContextExt;

/// What the organisation will be invoiced.
pub struct CustomerInvoices(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerInvoices {
    /// The next invoice of each active subscription, as the billing run would build it today.
    async fn upcoming_charges(&self, ctx: &Context<'_>) -> Result<Vec<UpcomingInvoice>> {
        let invoices = ctx
            .services()
            .upcoming
            .for_customer(ctx.actor(), &self.0)
            .await?;
        Ok(invoices.into_iter().map(UpcomingInvoice).collect())
    }
}
