//! Charges queries.

use async_graphql::{Context, Object, Result};

use super::types::{ChargesInput, ChargesPreview};
use crate::graphql::context::ContextExt;

/// Charges queries.
#[derive(Default)]
pub struct ChargesQuery;

#[Object]
impl ChargesQuery {
    /// The invoice `createCharges` with `INVOICE_NOW` would create for these charges, line by
    /// line and to the cent; nothing is written (operator staff).
    async fn preview_charges(
        &self,
        ctx: &Context<'_>,
        input: ChargesInput,
    ) -> Result<ChargesPreview> {
        let entry = input.entry()?;
        let services = ctx.services();
        let preview = services
            .charges
            .preview(ctx.actor(), &entry, services.clock.now())
            .await?;
        Ok(ChargesPreview(preview))
    }
}
