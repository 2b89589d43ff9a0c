//! License mutations: preview and apply a binding change, assign and unassign seats.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::quote::LicenseQuote;
use super::types::{License, LicenseItem};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::accounts::session::SignedIn;

/// Input of `previewLicenseChange`.
#[derive(InputObject)]
pub struct PreviewLicenseChangeInput {
    /// The license item (`si_…`).
    pub item_id: ID,
    /// Seats to add (positive) or remove (negative); not zero.
    pub delta: i32,
}

/// Result of `previewLicenseChange`.
#[derive(SimpleObject)]
pub struct PreviewLicenseChangePayload {
    /// The stored quote: show it, then apply it with its id.
    pub quote: LicenseQuote,
}

/// Input of `applyLicenseChange`.
#[derive(InputObject)]
pub struct ApplyLicenseChangeInput {
    /// The quote (`quo_…`).
    pub quote_id: ID,
    /// A key of your choice, the same on retries: the change happens once.
    pub idempotency_key: String,
}

/// Result of `applyLicenseChange`.
#[derive(SimpleObject)]
pub struct ApplyLicenseChangePayload {
    /// The quote applied.
    pub quote: LicenseQuote,
    /// Seats just before the change was applied.
    pub quantity_before: u32,
    /// Seats after it.
    pub quantity_after: u32,
    /// The item as it is now.
    pub item: LicenseItem,
    /// The invoice finalised for licenses charged immediately (`inv_…`); null when they are
    /// charged on the next invoice, and for removals.
    pub invoice_id: Option<async_graphql::ID>,
}

/// Input of `assignLicense`.
#[derive(InputObject)]
pub struct AssignLicenseInput {
    /// The seat (`lic_…`).
    pub seat_id: ID,
    /// The member (`mem_…`) of the same organisation.
    pub member_id: ID,
}

/// Input of `unassignLicense`.
#[derive(InputObject)]
pub struct UnassignLicenseInput {
    /// The seat (`lic_…`).
    pub seat_id: ID,
}

/// Result of `assignLicense` and `unassignLicense`.
#[derive(SimpleObject)]
pub struct LicensePayload {
    /// The seat as it is now.
    pub license: License,
}

/// License mutations.
#[derive(Default)]
pub struct LicensesMutation;

#[Object]
impl LicensesMutation {
    /// Quotes adding or removing seats and stores the quote for 15 minutes. Owners and billing
    /// admins only; removals take unassigned seats.
    async fn preview_license_change(
        &self,
        ctx: &Context<'_>,
        input: PreviewLicenseChangeInput,
    ) -> Result<PreviewLicenseChangePayload> {
        let item = parse_id(&input.item_id, "input.itemId")?;
        let quote = ctx
            .services()
            .license_changes
            .preview(
                ctx.actor(),
                ctx.data_opt::<SignedIn>()
                    .and_then(|s| s.organisation.as_ref()),
                item,
                input.delta,
                ctx.services().clock.now(),
            )
            .await?;
        Ok(PreviewLicenseChangePayload {
            quote: LicenseQuote(quote),
        })
    }

    /// Applies exactly a stored quote, once: `QUOTE_EXPIRED` after 15 minutes, `QUOTE_STALE`
    /// when the change would now cost something else; the same quote or key again returns the
    /// first result.
    async fn apply_license_change(
        &self,
        ctx: &Context<'_>,
        input: ApplyLicenseChangeInput,
    ) -> Result<ApplyLicenseChangePayload> {
        let quote_id = parse_id(&input.quote_id, "input.quoteId")?;
        let services = ctx.services();
        let (quote, applied) = services
            .license_changes
            .apply(
                ctx.actor(),
                ctx.request_id(),
                quote_id,
                &input.idempotency_key,
                ctx.services().clock.now(),
            )
            .await?;
        let item = services.licenses.item(ctx.actor(), applied.item_id).await?;
        Ok(ApplyLicenseChangePayload {
            quote: LicenseQuote(quote),
            quantity_before: applied.quantity_before,
            quantity_after: applied.quantity_after,
            item: LicenseItem(item),
            invoice_id: applied.invoice.map(async_graphql::ID::from),
        })
    }

    /// Gives a free seat to a member of the organisation.
    async fn assign_license(
        &self,
        ctx: &Context<'_>,
        input: AssignLicenseInput,
    ) -> Result<LicensePayload> {
        let seat = parse_id(&input.seat_id, "input.seatId")?;
        let member = parse_id(&input.member_id, "input.memberId")?;
        let (seat, member) = ctx
            .services()
            .license_seats
            .assign(ctx.actor(), ctx.request_id(), seat, member)
            .await?;
        Ok(LicensePayload {
            license: License { seat, member },
        })
    }

    /// Frees a seat (it can then be removed or given to someone else).
    async fn unassign_license(
        &self,
        ctx: &Context<'_>,
        input: UnassignLicenseInput,
    ) -> Result<LicensePayload> {
        let seat = parse_id(&input.seat_id, "input.seatId")?;
        let seat = ctx
            .services()
            .license_seats
            .unassign(ctx.actor(), ctx.request_id(), seat)
            .await?;
        Ok(LicensePayload {
            license: License { seat, member: None },
        })
    }
}
