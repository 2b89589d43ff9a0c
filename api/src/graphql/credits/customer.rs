//! The credits slice's fields of `Customer`.

use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};
use entity::customer;

use super::types::{CreditEntry, CreditEntryKind, CreditNote};
use crate::graphql::context::ContextExt;
use crate::graphql::money::{Money, parse_id};
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::credits::CreditsService;

/// The organisation's credit balance, its ledger and its credit notes.
pub struct CustomerCredits(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerCredits {
    /// Credit held, applied automatically to the next invoices before payment; never negative.
    async fn credit_balance(&self) -> Result<Money> {
        Ok(Money(CreditsService::balance(&self.0)?))
    }

    /// Every change of the credit balance, newest first, optionally only one kind of change.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn credit_ledger(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many entries (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last entry of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only changes of this kind.")] kind: Option<CreditEntryKind>,
    ) -> Result<Connection<String, CreditEntry>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .credits
            .ledger(ctx.actor(), self.0.id, kind.map(Into::into), &request)
            .await?;
        Ok(connection(page, CreditEntry))
    }

    /// The organisation's credit notes, newest first.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn credit_notes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many credit notes (at most the maximum page size).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last credit note of the previous page.")] after: Option<
            String,
        >,
    ) -> Result<Connection<String, CreditNote>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .credits
            .notes(ctx.actor(), self.0.id, &request)
            .await?;
        Ok(connection(page, CreditNote))
    }

    /// One of the organisation's credit notes (`cn_…`). Another organisation's answers
    /// `NOT_FOUND`, as one that does not exist.
    async fn credit_note(&self, ctx: &Context<'_>, id: ID) -> Result<CreditNote> {
        let id = parse_id(&id, "id")?;
        let note = ctx
            .services()
            .credits
            .note(ctx.actor(), self.0.id, id)
            .await?;
        Ok(CreditNote(note))
    }
}
