//! What a subscription's next invoice bills in arrears: its metered items' usage
//! ([`usage::invoicing`]) and its numbers' rated calls ([`numbers::invoicing`]), not yet
//! invoiced, from before the end of its current period.
//!
//! One place for the three readers: upcoming charges [`read_all`] them; the billing run and an
//! immediate cancellation [`take`] them for the invoice they build (marked with its id in the
//! finalising transaction) and [`release`] them when no invoice is written after all. So the
//! preview, the period invoice and the last invoice bill the same records by construction.

use std::collections::HashMap;

use entity::product::ProductKind;
use entity::{phone_number, subscription};
use ids::{InvoiceId, PhoneNumberId, SubscriptionId, SubscriptionItemId};
use sea_orm::ConnectionTrait;

use crate::error::ServiceResult;
use crate::services::numbers::invoicing::{self as calls, CallTotal};
use crate::services::tenant_state::TenantState;
use crate::services::usage::invoicing::{self as usage, ServicePeriods, UsageTotal};
use crate::services::{accounts, catalog, subscriptions};

/// A subscription's usage and calls for its next invoice.
#[derive(Clone, Debug, Default)]
pub struct Arrears {
    /// Metered usage summed per item and service period.
    pub metered: Vec<UsageTotal>,
    /// Rated calls summed per number and service period.
    pub calls: Vec<CallTotal>,
}

/// The metered items of a subscription in a tenant's state.
pub(crate) fn metered_items(
    state: &TenantState,
    subscription: ids::SubscriptionId,
) -> Vec<SubscriptionItemId> {
    items_where(state, subscription, |kind| kind == ProductKind::Metered)
}

fn items_where(
    state: &TenantState,
    subscription: ids::SubscriptionId,
    kind: impl Fn(ProductKind) -> bool,
) -> Vec<SubscriptionItemId> {
    state
        .items
        .iter()
        .filter(|i| i.item.subscription_id == subscription && kind(i.product.kind))
        .map(|i| i.item.id)
        .collect()
}

/// How the records are gathered: read for a preview, or taken for invoice `id`.
#[derive(Clone, Copy)]
enum Gather {
    Read,
    Take(InvoiceId),
}

/// The arrears of each billed subscription of a tenant, as upcoming charges show them (nothing
/// is marked). The customer's numbers are read once for all of them.
pub async fn read_all<C: ConnectionTrait>(
    conn: &C,
    state: &TenantState,
) -> ServiceResult<HashMap<SubscriptionId, Arrears>> {
    let numbers = calls::numbers_of(conn, state.customer.id).await?;
    let mut all = HashMap::new();
    for subscription in state
        .subscriptions
        .iter()
        .filter(|s| subscriptions::rows::is_billed(s))
    {
        let arrears = gather(conn, state, subscription, &numbers, Gather::Read).await?;
        all.insert(subscription.id, arrears);
    }
    Ok(all)
}

/// Takes the arrears of `subscription` for invoice `invoice`: every record summed is marked
/// with it in this transaction.
pub async fn take<C: ConnectionTrait>(
    txn: &C,
    state: &TenantState,
    subscription: &subscription::Model,
    invoice: InvoiceId,
) -> ServiceResult<Arrears> {
    let numbers = calls::numbers_of(txn, state.customer.id).await?;
    gather(txn, state, subscription, &numbers, Gather::Take(invoice)).await
}

/// Gives back what invoice `invoice` of a customer of `state` took, when it is not written
/// after all.
pub async fn release<C: ConnectionTrait>(
    txn: &C,
    state: &TenantState,
    invoice: InvoiceId,
) -> ServiceResult<()> {
    let tz = accounts::rows::time_zone(&state.customer)?;
    usage::release(txn, invoice, tz).await?;
    calls::release(txn, invoice).await
}

async fn gather<C: ConnectionTrait>(
    conn: &C,
    state: &TenantState,
    subscription: &subscription::Model,
    numbers: &[phone_number::Model],
    how: Gather,
) -> ServiceResult<Arrears> {
    let tz = accounts::rows::time_zone(&state.customer)?;
    let cutoff = usage::cutoff(subscription, tz);
    let mut arrears = Arrears::default();

    let metered = metered_items(state, subscription.id);
    if !metered.is_empty() {
        arrears.metered = match how {
            Gather::Read => usage::upcoming(conn, subscription, tz, &metered).await?,
            Gather::Take(id) => {
                let rows = usage::take_unbilled(conn, &metered, cutoff, id, tz).await?;
                let mut totals = usage::totals(subscription, tz, &rows)?;
                usage::add_billed(conn, subscription, tz, &mut totals, id).await?;
                totals
            }
        };
    }

    // Numbers are rented through recurring items; their calls are billed beside the rental.
    let rented = items_where(state, subscription.id, |kind| kind != ProductKind::Metered);
    let numbers: Vec<phone_number::Model> = numbers
        .iter()
        .filter(|n| rented.contains(&n.subscription_item_id))
        .cloned()
        .collect();
    if !numbers.is_empty() {
        let ids: Vec<PhoneNumberId> = numbers.iter().map(|n| n.id).collect();
        let rows = match how {
            Gather::Read => calls::unbilled(conn, &ids, cutoff).await?,
            Gather::Take(id) => calls::take_unbilled(conn, &ids, cutoff, id).await?,
        };
        let periods = ServicePeriods::of(subscription, tz)?;
        let currency = catalog::rows::currency(&state.customer.currency)?;
        arrears.calls = calls::totals(&periods, &numbers, &rows, currency)?;
    }
    Ok(arrears)
}
