//! The licenses slice's fields of `Customer`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};
use entity::customer;

use super::types::LicenseItem;
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;

/// The organisation's license items and their seats.
pub struct CustomerLicenses(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerLicenses {
    /// The organisation's license items (one per license product and subscription).
    async fn licenses(&self, ctx: &Context<'_>) -> Result<Vec<LicenseItem>> {
        let items = ctx.services().licenses.items(ctx.actor(), &self.0).await?;
        Ok(items.into_iter().map(LicenseItem).collect())
    }

    /// One of the organisation's license items (`si_…`), e.g. to page through its seats.
    /// Another organisation's item answers `NOT_FOUND`, as one that does not exist.
    async fn license_item(&self, ctx: &Context<'_>, id: ID) -> Result<LicenseItem> {
        let id = parse_id(&id, "id")?;
        let item = ctx
            .services()
            .licenses
            .item_of(ctx.actor(), &self.0, id)
            .await?;
        Ok(LicenseItem(item))
    }
}
