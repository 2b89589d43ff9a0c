//! Tariffs and unrated calls (operator staff); one number (its customer's users, or staff).

use async_graphql::{Context, ID, Object, Result};

use super::types::{CallRecord, PhoneNumber, Tariff};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;

/// Numbers queries.
#[derive(Default)]
pub struct NumbersQuery;

#[Object]
impl NumbersQuery {
    /// Tariffs, newest first, at most 500, each with its current version (operator staff).
    async fn tariffs(&self, ctx: &Context<'_>) -> Result<Vec<Tariff>> {
        let rows = ctx.services().numbers.tariffs(ctx.actor()).await?;
        Ok(rows.into_iter().map(Tariff::from).collect())
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

    /// Calls no prefix of their tariff matched and not yet invoiced, oldest first, at most
    /// 1,000 (operator staff): fix the tariff with a new version, then `rerateCalls`.
    async fn unrated_calls(&self, ctx: &Context<'_>) -> Result<Vec<CallRecord>> {
        let rows = ctx.services().numbers.unrated_calls(ctx.actor()).await?;
        Ok(rows.into_iter().map(CallRecord).collect())
    }
}
