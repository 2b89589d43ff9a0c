//! A released telephone number gives back its unit of the recurring item billing its rental
//! ("3 phone numbers at €5.00 each" becomes 2), in the release's transaction: the item's
//! quantity drops by one from the release day, prorated exactly like a quantity lowered with
//! `setSubscriptionItemQuantity` — the current period was billed in advance with the unit (its
//! unused days are credited when the price credits removals), and every later period bills
//! one number fewer.
//!
//! A number is released within the current period (its last day's end included: released on
//! the first day of the next period, that period does not bill it). A later day would need the
//! next period billed with the unit and then without: refused. So is the item's last unit: an
//! item bills at least one unit, so the last number goes with its subscription's cancellation.

use billing::{Money, local_date, local_midnight};
use chrono::{DateTime, NaiveDate, Utc};
use entity::customer;
use ids::SubscriptionItemId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::items::{audit_change, lock_item, quantity_of, settle};
use super::rows;
use crate::auth::AuthenticatedActor;
use crate::db::TenantWrite;
use crate::error::{ServiceError, ServiceResult};
use crate::services::accounts;
use entity::subscription_item;

/// What a number's release did to its rental item.
#[derive(Clone, Debug)]
pub struct RentalReleased {
    /// The customer renting it (its time zone reads `on`).
    pub customer: customer::Model,
    /// The day the number is released: the customer's from its start.
    pub on: NaiveDate,
    /// The instant it is released: the start of `on`, or now when `on` is today.
    pub at: DateTime<Utc>,
    /// The item's quantity before.
    pub before: u32,
    /// And after: one fewer.
    pub after: u32,
    /// The unused days credited to the balance, tax included (zero when the price does not
    /// credit removals, or nothing billed the current period).
    pub credited: Money,
}

/// Lowers the rental `item` by the unit of a number released on `on` (default: the customer's
/// today), in `txn`; see the module. `BAD_USER_INPUT` on `input.on` for a day before today or
/// after the current period; `CONFLICT` for the item's last unit or a paused or cancelled
/// subscription.
pub async fn release_rental_unit(
    txn: &TenantWrite,
    staff: &AuthenticatedActor,
    request_id: Option<&str>,
    item: SubscriptionItemId,
    on: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> ServiceResult<RentalReleased> {
    let locked = lock_item(txn, item).await?;
    let tz = accounts::rows::time_zone(&locked.customer)?;
    let today = local_date(now, tz);
    let on = on.unwrap_or(today);
    if on < today {
        return Err(ServiceError::bad_input(
            "input.on",
            format!(
                "a number is released today ({today}) or later: calls of the days before may \
                 already be recorded and billed"
            ),
        ));
    }
    let period = rows::current_period(&locked.subscription)?;
    if on > period.end() {
        return Err(ServiceError::bad_input(
            "input.on",
            format!(
                "a number is released by {} (the current period's end): the next period's \
                 rental is billed in advance with the number",
                period.end()
            ),
        ));
    }
    let before = quantity_of(&locked.item)?;
    if before <= 1 {
        return Err(ServiceError::Conflict {
            message: "this number is the last unit its rental item bills: an item bills at \
                      least one, so cancel the subscription to end it"
                .to_owned(),
        });
    }
    let after = before - 1;
    let at = if on == today {
        now
    } else {
        local_midnight(on, tz)
    };
    subscription_item::Entity::update_many()
        .col_expr(
            subscription_item::Column::Quantity,
            Expr::value(i32::try_from(after).map_err(ServiceError::internal)?),
        )
        .col_expr(subscription_item::Column::UpdatedAt, Expr::value(now))
        .filter(subscription_item::Column::Id.eq(item))
        .exec(txn)
        .await?;
    let (next_invoice, credited) = settle(txn, staff, &locked, before, after, at).await?;
    audit_change(
        txn,
        staff,
        request_id,
        &locked,
        "subscription_item.quantity",
        Some(before),
        Some(after),
        next_invoice,
        credited,
    )
    .await?;
    Ok(RentalReleased {
        customer: locked.customer,
        on,
        at,
        before,
        after,
        credited,
    })
}
