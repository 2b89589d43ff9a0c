//! The invoices slice's fields of `Customer`.

use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use entity::customer;

use crate::services::invoices::HistoryFilter;

use super::types::{Invoice, InvoiceStatus, UpcomingInvoice};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::graphql::pagination::{complexity, connection, page_request};

/// What the organisation has been and will be invoiced.
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

    /// The organisation's finalised invoices, newest first, optionally of one status and issued
    /// within some days.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many invoices (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last invoice of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only invoices in this status.")] status: Option<InvoiceStatus>,
        #[graphql(desc = "Only invoices issued on or after this day.")] issued_from: Option<
            NaiveDate,
        >,
        #[graphql(desc = "Only invoices issued on or before this day.")] issued_to: Option<
            NaiveDate,
        >,
    ) -> Result<Connection<String, Invoice>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .invoices
            .history(
                ctx.actor(),
                self.0.id,
                &HistoryFilter {
                    status: status.map(Into::into),
                    issued_from,
                    issued_to,
                },
                &request,
            )
            .await?;
        Ok(connection(page, Invoice))
    }

    /// One of the organisation's invoices (`inv_…`). Another organisation's answers
    /// `NOT_FOUND`, as one that does not exist.
    async fn invoice(&self, ctx: &Context<'_>, id: ID) -> Result<Invoice> {
        let id = parse_id(&id, "id")?;
        let invoice = ctx
            .services()
            .invoices
            .get(ctx.actor(), self.0.id, id)
            .await?;
        Ok(Invoice(invoice))
    }
}
