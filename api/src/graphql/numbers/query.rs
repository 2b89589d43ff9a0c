//! Tariffs and unrated calls (operator staff); one number (its customer's users, or staff).

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};

use super::types::{CallRecord, PhoneNumber, Tariff};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::numbers::{TariffFilter, UnratedCallFilter};

/// Numbers queries.
#[derive(Default)]
pub struct NumbersQuery;

#[Object]
impl NumbersQuery {
    /// Tariffs, newest first, each with its current version (operator staff).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn tariffs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many tariffs (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last tariff of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Only tariffs whose name contains this, in any case (at most 200 \
                    characters; blank: every tariff)."
        )]
        search: Option<String>,
        #[graphql(
            desc = "Only tariffs in this currency (ISO 4217, e.g. `EUR`; blank: every \
                          currency)."
        )]
        currency: Option<String>,
    ) -> Result<Connection<String, Tariff>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = TariffFilter::new(search.as_deref(), currency.as_deref())?;
        let page = ctx
            .services()
            .numbers
            .tariffs(ctx.actor(), &filter, &request)
            .await?;
        Ok(connection(page, Tariff::from))
    }

    /// One tariff with its versions (operator staff). `NOT_FOUND` when there is none with
    /// that id.
    async fn tariff(&self, ctx: &Context<'_>, id: ID) -> Result<Tariff> {
        let id = parse_id(&id, "id")?;
        let row = ctx.services().numbers.tariff(ctx.actor(), id).await?;
        Ok(Tariff::from(row))
    }

    /// A telephone number: the caller's organisation's (another's answers `NOT_FOUND`), or
    /// any for operator staff.
    async fn phone_number(&self, ctx: &Context<'_>, id: ID) -> Result<PhoneNumber> {
        let id = parse_id(&id, "id")?;
        let row = ctx.services().numbers.number(ctx.actor(), id).await?;
        Ok(PhoneNumber(row))
    }

    /// Calls no prefix of their tariff matched and not yet invoiced, oldest first (operator
    /// staff): fix the tariff with a new version, then `rerateCalls`.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn unrated_calls(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many calls (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last call of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only this organisation's calls (`cus_…`).")] customer_id: Option<ID>,
        #[graphql(
            desc = "Only the calls of numbers using this tariff (`trf_…`): those `rerateCalls` \
                    with it would rate."
        )]
        tariff_id: Option<ID>,
    ) -> Result<Connection<String, CallRecord>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = UnratedCallFilter {
            customer: customer_id
                .map(|id| parse_id(&id, "customerId"))
                .transpose()?,
            tariff: tariff_id.map(|id| parse_id(&id, "tariffId")).transpose()?,
        };
        let page = ctx
            .services()
            .numbers
            .unrated_calls(ctx.actor(), &filter, &request)
            .await?;
        Ok(connection(page, CallRecord))
    }
}
