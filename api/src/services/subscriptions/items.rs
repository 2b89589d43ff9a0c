//! Staff add an item to a subscription, remove one, or change a non-license item's quantity,
//! within the current period, prorated like license seats ([`billing::prorate_item_change`]):
//!
//! - what costs more from today (an item added, more units) becomes an unbilled proration for
//!   the rest of the period, taken by the next invoice, exactly like seats added with
//!   `NEXT_INVOICE`; from the next period the item is billed in advance like every item;
//! - what costs less (an item removed, fewer units) credits its unused days, tax included, to
//!   the credit balance when the price credits removals, and only when an invoice billed the
//!   current period (there is no unused time of a period nobody paid for).
//!
//! Changes are prorated only while the subscription is active and today is in its current
//! period; a trialing subscription's changes cost nothing before its first period. A paused or
//! cancelled subscription's items do not change (`CONFLICT`). License seats change through
//! license quotes, never here; a license item is removed whole, and only when none of its seats
//! is assigned (`CONFLICT` naming how many are: unassigning is the customer's decision).

use billing::{Money, local_date};
use chrono::{DateTime, Utc};
use entity::credit_entry::CreditEntryKind;
use entity::product::ProductKind;
use entity::{
    customer, license, phone_number, price, product, subscription, subscription_item,
    unbilled_charge, usage_record,
};
use ids::{ChargeId, PriceId, SubscriptionId, SubscriptionItemId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use serde_json::json;

use super::{
    ItemAt, MAX_ITEM_QUANTITY, SubscriptionError, SubscriptionsService, insert_item, lock,
    period_billed, rows, sellable_price,
};
use crate::auth::{Actor, AuthenticatedActor};
use crate::db::{TenantWrite, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::accounts::profile::commit_priced;
use crate::services::audit::{self, AuditEntry};
use crate::services::credits::ledger::{self, BalanceChange};
use crate::services::{accounts, catalog, tax};

/// What an item change did.
#[derive(Clone, Debug)]
pub struct ItemChanged {
    /// The item with its price and product as it is now; `None` once removed.
    pub item: Option<(subscription_item::Model, price::Model, product::Model)>,
    /// Its subscription.
    pub subscription: subscription::Model,
    /// The proration the next invoice takes for the change, before tax (zero when none).
    pub next_invoice: Money,
    /// Unused time credited to the balance, tax included (zero when none).
    pub credited: Money,
}

/// An item locked for a change, with everything its proration needs.
pub(super) struct Locked {
    pub(super) subscription: subscription::Model,
    pub(super) customer: customer::Model,
    pub(super) tax: Option<tax::CustomerTax>,
    pub(super) item: subscription_item::Model,
    pub(super) price: price::Model,
    pub(super) product: product::Model,
}

impl SubscriptionsService {
    /// Adds an item of `quantity` at `price` to a subscription (operator staff), billed from
    /// today: see the module. The price must be sold, in the customer's currency and the
    /// subscription's interval (`BAD_USER_INPUT` naming `input.priceId` or `input.quantity`).
    pub async fn add_item(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        subscription: SubscriptionId,
        price: PriceId,
        quantity: u32,
        now: DateTime<Utc>,
    ) -> ServiceResult<ItemChanged> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        let row = lock(&txn, subscription).await?;
        changeable(&row)?;
        let customer = customer::Entity::find_by_id(row.customer_id)
            .one_by_key(&txn)
            .await?
            .ok_or(SubscriptionError::CustomerNotFound)?;
        let interval = catalog::rows::interval(row.interval_unit, row.interval_count)?;
        let (price, product) =
            sellable_price(&txn, &customer, price, quantity, interval, ItemAt::Input).await?;
        let item = insert_item(&txn, &row, &price, &product, (quantity, None), now).await?;
        let tax = tax::resolve(&txn, &customer).await?;
        let locked = Locked {
            subscription: row,
            customer,
            tax,
            item,
            price,
            product,
        };
        let (next_invoice, credited) = settle(&txn, staff, &locked, 0, quantity, now).await?;
        audit_change(
            &txn,
            staff,
            request_id,
            &locked,
            "subscription_item.add",
            None,
            Some(quantity),
            next_invoice,
            credited,
        )
        .await?;
        commit_priced(txn, &locked.customer).await?;
        Ok(ItemChanged {
            item: Some((locked.item, locked.price, locked.product)),
            subscription: locked.subscription,
            next_invoice,
            credited,
        })
    }

    /// Removes an item from its subscription (operator staff): it is no longer billed; its
    /// unused days are credited when its price says so. `CONFLICT` for the last item (cancel the
    /// subscription instead), for a license item with assigned seats, and for a metered item
    /// with usage records: usage is never deleted with its item (the unbilled records would
    /// go unbilled, the billed ones are what past invoices charged); cancelling the
    /// subscription bills its usage and ends it.
    pub async fn remove_item(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        item: SubscriptionItemId,
        now: DateTime<Utc>,
    ) -> ServiceResult<ItemChanged> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        let locked = lock_item(&txn, item).await?;
        let items = subscription_item::Entity::find()
            .filter(subscription_item::Column::SubscriptionId.eq(locked.subscription.id))
            .count(&txn)
            .await?;
        if items <= 1 {
            return Err(SubscriptionError::LastItem.into());
        }
        if locked.product.kind == ProductKind::License {
            let assigned = license::Entity::find()
                .filter(license::Column::ItemId.eq(item))
                .filter(license::Column::MemberId.is_not_null())
                .count(&txn)
                .await?;
            if assigned > 0 {
                return Err(SubscriptionError::SeatsAssigned(
                    u32::try_from(assigned).unwrap_or(u32::MAX),
                )
                .into());
            }
        }
        if locked.product.kind == ProductKind::Metered {
            refuse_if_used(&txn, item).await?;
        }
        refuse_below_numbers(&txn, item, 0).await?;
        let before = quantity_of(&locked.item)?;
        let (next_invoice, credited) = settle(&txn, staff, &locked, before, 0, now).await?;
        license::Entity::delete_many()
            .filter(license::Column::ItemId.eq(item))
            .exec(&txn)
            .await?;
        subscription_item::Entity::delete_by_id(item)
            .exec(&txn)
            .await?;
        audit_change(
            &txn,
            staff,
            request_id,
            &locked,
            "subscription_item.remove",
            Some(before),
            None,
            next_invoice,
            credited,
        )
        .await?;
        commit_priced(txn, &locked.customer).await?;
        Ok(ItemChanged {
            item: None,
            subscription: locked.subscription,
            next_invoice,
            credited,
        })
    }

    /// Changes a non-license item's quantity (operator staff), the difference prorated for the
    /// rest of the period: see the module. A license item answers `BAD_USER_INPUT` on
    /// `input.itemId` (its seats change through license quotes); the same quantity, or one
    /// outside 1 to [`MAX_ITEM_QUANTITY`], on `input.quantity`.
    pub async fn set_item_quantity(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        item: SubscriptionItemId,
        quantity: u32,
        now: DateTime<Utc>,
    ) -> ServiceResult<ItemChanged> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        if quantity == 0 || quantity > MAX_ITEM_QUANTITY {
            return Err(SubscriptionError::QuantityOutOfRange(ItemAt::Input).into());
        }
        let txn = self.db.begin_tenant_write().await?;
        let mut locked = lock_item(&txn, item).await?;
        if locked.product.kind == ProductKind::License {
            return Err(SubscriptionError::LicenseQuantity.into());
        }
        let before = quantity_of(&locked.item)?;
        if before == quantity {
            return Err(SubscriptionError::SameQuantity.into());
        }
        refuse_below_numbers(&txn, item, quantity).await?;
        let stored = i32::try_from(quantity).map_err(ServiceError::internal)?;
        subscription_item::Entity::update_many()
            .col_expr(subscription_item::Column::Quantity, Expr::value(stored))
            .col_expr(subscription_item::Column::UpdatedAt, Expr::value(now))
            .filter(subscription_item::Column::Id.eq(item))
            .exec(&txn)
            .await?;
        let (next_invoice, credited) = settle(&txn, staff, &locked, before, quantity, now).await?;
        audit_change(
            &txn,
            staff,
            request_id,
            &locked,
            "subscription_item.quantity",
            Some(before),
            Some(quantity),
            next_invoice,
            credited,
        )
        .await?;
        commit_priced(txn, &locked.customer).await?;
        locked.item.quantity = stored;
        locked.item.updated_at = now;
        Ok(ItemChanged {
            item: Some((locked.item, locked.price, locked.product)),
            subscription: locked.subscription,
            next_invoice,
            credited,
        })
    }
}

/// Refuses changes to a paused or cancelled subscription's items.
fn changeable(row: &subscription::Model) -> ServiceResult<()> {
    match row.status {
        subscription::SubscriptionStatus::Cancelled => {
            Err(SubscriptionError::AlreadyCancelled.into())
        }
        subscription::SubscriptionStatus::Paused => Err(SubscriptionError::Paused.into()),
        subscription::SubscriptionStatus::Active | subscription::SubscriptionStatus::Trialing => {
            Ok(())
        }
    }
}

/// Locks an item's subscription, then its row (bumping its version, so a license quote made
/// before goes stale), and reads what a change needs.
pub(super) async fn lock_item(txn: &TenantWrite, id: SubscriptionItemId) -> ServiceResult<Locked> {
    let subscription_id: SubscriptionId = subscription_item::Entity::find_by_id(id)
        .select_only()
        .column(subscription_item::Column::SubscriptionId)
        .into_tuple()
        .one(txn)
        .await?
        .ok_or(SubscriptionError::ItemNotFound)?;
    let subscription = lock(txn, subscription_id).await?;
    changeable(&subscription)?;
    let touched = subscription_item::Entity::update_many()
        .col_expr(
            subscription_item::Column::Version,
            Expr::col(subscription_item::Column::Version).add(1),
        )
        .filter(subscription_item::Column::Id.eq(id))
        .exec(txn)
        .await?;
    if touched.rows_affected == 0 {
        return Err(SubscriptionError::ItemNotFound.into());
    }
    let (item, price) = subscription_item::Entity::find_by_id(id)
        .find_also_related(price::Entity)
        .one(txn)
        .await?
        .and_then(|(item, price)| price.map(|p| (item, p)))
        .ok_or(SubscriptionError::ItemNotFound)?;
    let product = product::Entity::find_by_id(price.product_id)
        .one(txn)
        .await?
        .ok_or_else(|| ServiceError::internal("price without product"))?;
    let customer = customer::Entity::find_by_id(item.customer_id)
        .one_by_key(txn)
        .await?
        .ok_or(SubscriptionError::CustomerNotFound)?;
    let tax = tax::resolve(txn, &customer).await?;
    Ok(Locked {
        subscription,
        customer,
        tax,
        item,
        price,
        product,
    })
}

/// Prorates a change of `locked`'s item from `before` to `after` units (0: no item) and writes
/// what it costs: an unbilled proration for the next invoice, or a credit to the balance.
/// Returns (the proration before tax, the credit), zeros when the change is not prorated.
pub(super) async fn settle(
    txn: &TenantWrite,
    staff: &AuthenticatedActor,
    locked: &Locked,
    before: u32,
    after: u32,
    now: DateTime<Utc>,
) -> ServiceResult<(Money, Money)> {
    let currency = catalog::rows::currency(&locked.customer.currency)?;
    let zero = Money::zero(currency);
    let tz = accounts::rows::time_zone(&locked.customer)?;
    let period = rows::current_period(&locked.subscription)?;
    if !rows::prorates_changes(&locked.subscription) || !period.contains(local_date(now, tz)) {
        return Ok((zero, zero));
    }
    let terms = rows::item_terms(
        &locked.item,
        &locked.price,
        &locked.product,
        locked.tax.as_ref(),
    )?;
    let change = billing::prorate_item_change(&terms, before, after, &period, now, tz, currency)
        .map_err(|e| ServiceError::internal(e.to_string()))?;
    let mut charged = zero;
    if let Some(proration) = &change.proration_item {
        charged = proration
            .line(false)
            .map_err(|e| ServiceError::internal(e.to_string()))?
            .amount;
        unbilled_charge::Entity::insert(unbilled_charge::ActiveModel {
            id: Set(ChargeId::new()),
            customer_id: Set(locked.customer.id),
            subscription_id: Set(locked.subscription.id),
            item_id: Set(Some(locked.item.id)),
            quote_id: Set(None),
            kind: Set(unbilled_charge::ChargeKind::Proration),
            product_name: Set(proration.product_name.clone()),
            quantity: Set(proration.quantity),
            unit_amount_minor: Set(proration
                .prorated_unit_amount
                .to_minor()
                .map_err(|e| ServiceError::internal(e.to_string()))?),
            days: Set(Some(
                i32::try_from(proration.remaining_days).map_err(ServiceError::internal)?,
            )),
            currency: Set(currency.code().to_owned()),
            tax_rate: Set(proration.tax_rate.map(|r| r.0.value().to_string())),
            period_start: Set(proration.service_period.start()),
            period_end: Set(proration.service_period.end()),
            created_at: Set(now),
            invoiced_at: Set(None),
            invoice_id: Set(None),
            licenses: Set(proration.licenses),
        })
        .exec_without_returning(txn)
        .await?;
    }
    let credited =
        if change.credit_to_balance.is_zero() || !period_billed(txn, &locked.subscription).await? {
            zero
        } else {
            let units = before.abs_diff(after);
            ledger::change_balance(
                txn,
                BalanceChange {
                    customer: locked.customer.id,
                    delta: change.credit_to_balance,
                    kind: CreditEntryKind::UnusedTime,
                    description: format!(
                        "Unused time of {units} {} removed, {} to {}",
                        locked.product.name,
                        local_date(now, tz),
                        period.end()
                    ),
                    invoice: None,
                    credit_note: None,
                    quote: None,
                    by: Some(staff.user_id),
                    field: "input.itemId",
                },
                now,
            )
            .await?;
            change.credit_to_balance
        };
    Ok((charged, credited))
}

/// An item's stored quantity.
pub(super) fn quantity_of(item: &subscription_item::Model) -> ServiceResult<u32> {
    u32::try_from(item.quantity).map_err(ServiceError::internal)
}

/// Records an item change in the audit log.
#[allow(clippy::too_many_arguments)]
pub(super) async fn audit_change(
    txn: &TenantWrite,
    staff: &AuthenticatedActor,
    request_id: Option<&str>,
    locked: &Locked,
    action: &'static str,
    before: Option<u32>,
    after: Option<u32>,
    next_invoice: Money,
    credited: Money,
) -> ServiceResult<()> {
    audit::record(
        txn,
        Some(staff),
        request_id,
        AuditEntry {
            customer: Some(locked.customer.id),
            action,
            subject_type: "subscription_item",
            subject_id: locked.item.id.to_string(),
            before: before.map(|q| json!({ "quantity": q })),
            after: Some(json!({
                "subscription": locked.subscription.id.to_string(),
                "price": locked.price.id.to_string(),
                "quantity": after,
                "next_invoice": next_invoice.to_string(),
                "credited": credited.to_string(),
            })),
        },
    )
    .await?;
    Ok(())
}

/// `CONFLICT` when a metered item has usage records (see `remove_item`), naming how many are
/// not yet billed.
/// Refuses `quantity` units for an item that rents more telephone numbers than that (a number
/// is added only while the item has a unit for it; a released number no longer holds one).
async fn refuse_below_numbers(
    txn: &TenantWrite,
    item: SubscriptionItemId,
    quantity: u32,
) -> ServiceResult<()> {
    let numbers = phone_number::Entity::find()
        .filter(phone_number::Column::SubscriptionItemId.eq(item))
        .filter(phone_number::Column::ReleasedOn.is_null())
        .count(txn)
        .await?;
    if numbers > u64::from(quantity) {
        return Err(SubscriptionError::RentsNumbers(numbers).into());
    }
    Ok(())
}

async fn refuse_if_used(txn: &TenantWrite, item: SubscriptionItemId) -> ServiceResult<()> {
    let any = usage_record::Entity::find()
        .filter(usage_record::Column::SubscriptionItemId.eq(item))
        .count(txn)
        .await?;
    if any == 0 {
        return Ok(());
    }
    let unbilled = usage_record::Entity::find()
        .filter(usage_record::Column::SubscriptionItemId.eq(item))
        .filter(usage_record::Column::InvoiceId.is_null())
        .count(txn)
        .await?;
    Err(SubscriptionError::HasUsage { unbilled }.into())
}
