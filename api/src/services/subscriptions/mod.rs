//! Subscriptions: created by operator staff, read by the customer they belong to.

mod automatic_payment;
mod cancel;
mod cancel_now;
mod details;
mod error;
mod items;
mod last_invoice;
mod pause;
pub mod rental;
pub mod rows;
pub mod unit_price;

pub use cancel_now::CancelledNow;
pub use details::InvoiceDetailsChange;
pub use error::{ItemAt, SubscriptionError};
pub use items::ItemChanged;

use billing::{BillingCycle, Interval, Period, UnitPrice, local_date};
use chrono::{DateTime, NaiveDate, Utc};
use entity::product::ProductKind;
use entity::subscription::SubscriptionStatus;
use entity::{customer, invoice, price, product, subscription, subscription_item};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::auth::Actor;
use crate::db::{Db, TenantWrite, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::accounts::profile::commit_priced;
use crate::services::audit::{self, AuditEntry};
use crate::services::charges::input::{parse_notes, parse_po_number};
use crate::services::page::{Direction, KeyKind, KeyValue, Keyset, Page, PageRequest, fetch_page};
use crate::services::{accounts, catalog, licenses};
use ids::{CustomerId, PriceId, SubscriptionId, SubscriptionItemId};

/// Most seats or units one item may hold: a guard against typos that would write millions of
/// license rows.
pub const MAX_ITEM_QUANTITY: u32 = 10_000;

// `billing`'s largest unit price is computed for quantities up to `billing::MAX_QUANTITY`:
// an item may not hold more, or pricing it could overflow.
const _: () = assert!(MAX_ITEM_QUANTITY as i64 <= billing::MAX_QUANTITY);

/// A customer's subscriptions, oldest first (ids are UUIDv7, in creation order).
const SUBSCRIPTIONS: Keyset<subscription::Entity> = Keyset {
    list: "subscriptions",
    columns: &[(subscription::Column::Id, KeyKind::Id)],
    direction: Direction::Ascending,
    key: |s| vec![KeyValue::Id(s.id.into())],
};

/// A subscription to create.
#[derive(Clone, Debug)]
pub struct NewSubscription {
    /// The customer.
    pub customer: CustomerId,
    /// First day of the first period; periods repeat from it.
    pub anchor: NaiveDate,
    /// The billing interval (every item's price must have it).
    pub interval: Interval,
    /// Its lines, in order.
    pub items: Vec<NewItem>,
    /// The end of a free trial (after `anchor`): the subscription is `trialing` until then,
    /// billed nothing, and its first period starts that day.
    pub trial_end: Option<NaiveDate>,
    /// The PO number its invoices carry instead of the customer's (at most 100 characters).
    pub po_number: Option<String>,
    /// Notes its invoices carry after the customer's (at most 2,000 characters).
    pub invoice_notes: Option<String>,
    /// Whether automatic collection charges its invoices to the customer's default payment
    /// method (otherwise they wait to be paid another way).
    pub automatic_payment: bool,
}

/// A line of a new subscription (ChargeOver's billing package: a price, how many, and the
/// rate this customer pays when it is not the catalog's).
#[derive(Clone, Debug)]
pub struct NewItem {
    /// The price version.
    pub price: PriceId,
    /// Seats or units.
    pub quantity: u32,
    /// The customer's own unit price (as `setSubscriptionItemUnitPrice` sets it); `None`: the
    /// price version's.
    pub unit_price: Option<UnitPrice>,
}

impl NewItem {
    /// A line at the catalog's price.
    pub fn at_catalog_price(price: PriceId, quantity: u32) -> Self {
        Self {
            price,
            quantity,
            unit_price: None,
        }
    }
}

/// Subscriptions.
#[derive(Clone)]
pub struct SubscriptionsService {
    db: Db,
    /// The configured number prefixes, for the last invoice of a subscription cancelled now.
    numbering: crate::services::invoices::numbering::Numbering,
}

impl SubscriptionsService {
    /// A service over `db`, numbering invoices with `numbering`.
    pub fn new(db: Db, numbering: crate::services::invoices::numbering::Numbering) -> Self {
        Self { db, numbering }
    }

    /// Creates a subscription in its current period, with one unassigned license row per
    /// seat of its license items.
    pub async fn create(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        new: NewSubscription,
        now: DateTime<Utc>,
    ) -> ServiceResult<subscription::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        if new.items.is_empty() {
            return Err(SubscriptionError::NoItems.into());
        }
        let po_number = parse_po_number("input.poNumber", new.po_number.as_deref())?;
        let invoice_notes = parse_notes("input.invoiceNotes", new.invoice_notes.as_deref())?;
        let txn = self.db.begin_tenant_write().await?;
        let customer = customer::Entity::find_by_id(new.customer)
            .one_by_key(&txn)
            .await?
            .ok_or(SubscriptionError::CustomerNotFound)?;
        let today = local_date(now, accounts::rows::time_zone(&customer)?);
        if new.anchor > today {
            return Err(SubscriptionError::AnchorInFuture.into());
        }
        // A trial is the subscription's first span, billed nothing; the first period starts
        // when it ends, and periods repeat from that day (the anchor).
        let (status, anchor, period) = match new.trial_end {
            Some(end) if end <= new.anchor => {
                return Err(SubscriptionError::TrialEndNotAfterStart.into());
            }
            Some(end) => (
                SubscriptionStatus::Trialing,
                end,
                Period::new(new.anchor, end)
                    .map_err(|e| ServiceError::from_billing(e, "input.trialEnd"))?,
            ),
            None => (
                SubscriptionStatus::Active,
                new.anchor,
                BillingCycle::new(new.anchor, new.interval)
                    .period_containing(today)
                    .map_err(|e| ServiceError::from_billing(e, "input.anchorDate"))?,
            ),
        };
        let row = subscription::Model {
            id: SubscriptionId::new(),
            customer_id: customer.id,
            status,
            interval_unit: catalog::rows::stored_interval_unit(new.interval.unit()),
            interval_count: i32::try_from(new.interval.count())
                .map_err(|_| SubscriptionError::IntervalTooLarge)?,
            anchor_date: anchor,
            current_period_start: period.start(),
            current_period_end: period.end(),
            next_invoice_date: period.end(),
            cancel_at: None,
            created_at: now,
            po_number,
            invoice_notes,
            automatic_payment: new.automatic_payment,
        };
        subscription::Entity::insert(subscription::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await?;
        for (index, item) in new.items.iter().enumerate() {
            let (price, product) = sellable_price(
                &txn,
                &customer,
                item.price,
                item.quantity,
                new.interval,
                ItemAt::Index(index),
            )
            .await?;
            if let Some(amount) = item.unit_price {
                let field = format!("input.items.{index}.unitPrice");
                unit_price::check_replaceable(&price, amount, &field)?;
            }
            let line = (item.quantity, item.unit_price);
            insert_item(&txn, &row, &price, &product, line, now).await?;
        }
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(customer.id),
                action: "subscription.create",
                subject_type: "subscription",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(json!({
                    "status": cancel_now::status_text(row.status),
                    "trial_end": new.trial_end,
                    "period_start": row.current_period_start,
                    "period_end": row.current_period_end,
                    "items": new.items.iter().map(|i| json!({
                        "price": i.price.to_string(),
                        "quantity": i.quantity,
                        "unit_price": i.unit_price.map(|p| p.value().to_string()),
                    })).collect::<Vec<_>>(),
                    "po_number": row.po_number,
                    "invoice_notes": row.invoice_notes,
                    "automatic_payment": row.automatic_payment,
                })),
            },
        )
        .await?;
        commit_priced(txn, &customer).await?;
        Ok(row)
    }

    /// A customer's subscriptions, oldest first; only those in `statuses` when given.
    pub async fn of_customer(
        &self,
        actor: &Actor,
        customer: CustomerId,
        statuses: Option<&[SubscriptionStatus]>,
        request: PageRequest,
    ) -> ServiceResult<Page<subscription::Model>> {
        let scope = actor.authenticated()?.scope();
        let mut select = subscription::Entity::find()
            .filter(scope.condition(subscription::Column::CustomerId))
            .filter(subscription::Column::CustomerId.eq(customer));
        if let Some(statuses) = statuses {
            select = select.filter(subscription::Column::Status.is_in(statuses.iter().copied()));
        }
        Ok(fetch_page(self.db.reads(), select, &SUBSCRIPTIONS, &request).await?)
    }

    /// One of `customer`'s subscriptions. Another customer's id answers `NOT_FOUND`, as one
    /// that does not exist (and so does any id of a tenant the actor may not read).
    pub async fn get(
        &self,
        actor: &Actor,
        customer: CustomerId,
        id: SubscriptionId,
    ) -> ServiceResult<subscription::Model> {
        let scope = actor.authenticated()?.scope();
        subscription::Entity::find_by_id(id)
            .filter(scope.condition(subscription::Column::CustomerId))
            .filter(subscription::Column::CustomerId.eq(customer))
            .one_by_key(self.db.reads())
            .await?
            .ok_or(SubscriptionError::NotFound.into())
    }

    /// The items of a subscription with their price and product.
    pub async fn items(
        &self,
        actor: &Actor,
        subscription: SubscriptionId,
    ) -> ServiceResult<Vec<(subscription_item::Model, price::Model, product::Model)>> {
        let scope = actor.authenticated()?.scope();
        let rows = subscription_item::Entity::find()
            .filter(scope.condition(subscription_item::Column::CustomerId))
            .filter(subscription_item::Column::SubscriptionId.eq(subscription))
            .order_by_asc(subscription_item::Column::Id)
            .find_also_related(price::Entity)
            .all(self.db.reads())
            .await?;
        licenses::with_products(self.db.reads(), rows).await
    }
}

/// Locks a subscription's row in `txn` (a no-op update) and reads it: a billing run claiming it
/// waits for this change, then sees it; two changes of one subscription queue.
pub(super) async fn lock(
    txn: &TenantWrite,
    id: SubscriptionId,
) -> ServiceResult<subscription::Model> {
    let touched = subscription::Entity::update_many()
        .col_expr(
            subscription::Column::NextInvoiceDate,
            Expr::col(subscription::Column::NextInvoiceDate),
        )
        .filter(subscription::Column::Id.eq(id))
        .exec(txn)
        .await?;
    if touched.rows_affected == 0 {
        return Err(SubscriptionError::NotFound.into());
    }
    Ok(subscription::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(SubscriptionError::NotFound)?)
}

/// Whether an invoice billed the subscription's current period in advance: only then is there
/// unused time to credit. A subscription's first period (the one it was created in) and the
/// period before a resume are never billed.
pub(super) async fn period_billed(
    txn: &TenantWrite,
    row: &subscription::Model,
) -> ServiceResult<bool> {
    let count = invoice::Entity::find()
        .filter(invoice::Column::SubscriptionId.eq(row.id))
        .filter(invoice::Column::PeriodStart.eq(row.current_period_start))
        .count(txn)
        .await?;
    Ok(count > 0)
}

/// The price version `price_id` and its product, when a new item of `quantity` may be billed at
/// it for `customer` on a subscription of `interval`; the refusal names the item `at`.
async fn sellable_price(
    txn: &TenantWrite,
    customer: &customer::Model,
    price_id: PriceId,
    quantity: u32,
    interval: Interval,
    at: ItemAt,
) -> ServiceResult<(price::Model, product::Model)> {
    let (price, product) = price::Entity::find_by_id(price_id)
        .find_also_related(product::Entity)
        .one_by_key(txn)
        .await?
        .and_then(|(p, prod)| prod.map(|prod| (p, prod)))
        .ok_or(SubscriptionError::PriceNotFound)?;
    if !price.active {
        return Err(SubscriptionError::PriceRetired(at).into());
    }
    if price.currency != customer.currency {
        return Err(SubscriptionError::CurrencyDiffers {
            at,
            price: price.currency,
            customer: customer.currency.clone(),
        }
        .into());
    }
    if catalog::rows::interval(price.interval_unit, price.interval_count)? != interval {
        return Err(SubscriptionError::IntervalDiffers(at).into());
    }
    if quantity == 0 || quantity > MAX_ITEM_QUANTITY {
        return Err(SubscriptionError::QuantityOutOfRange(at).into());
    }
    if product.kind == ProductKind::License {
        let policy = catalog::rows::license_policy(&price)?;
        if quantity < policy.min_quantity || policy.max_quantity.is_some_and(|max| quantity > max) {
            return Err(SubscriptionError::OutsideLicenseLimits(at).into());
        }
    }
    Ok((price, product))
}

/// Inserts an item of `(quantity, own unit price)` at `price`, with one unassigned license row
/// per seat when it is a license; returns it.
async fn insert_item(
    txn: &TenantWrite,
    subscription: &subscription::Model,
    price: &price::Model,
    product: &product::Model,
    (quantity, unit_price): (u32, Option<UnitPrice>),
    now: DateTime<Utc>,
) -> ServiceResult<subscription_item::Model> {
    let unit_price_override = unit_price.map(|p| p.value().to_string());
    let item = subscription_item::Model {
        id: SubscriptionItemId::new(),
        subscription_id: subscription.id,
        customer_id: subscription.customer_id,
        price_id: price.id,
        quantity: i32::try_from(quantity).unwrap_or(i32::MAX),
        unit_price_override: unit_price_override.clone(),
        version: 0,
        created_at: now,
        updated_at: now,
    };
    subscription_item::Entity::insert(subscription_item::ActiveModel {
        id: Set(item.id),
        subscription_id: Set(item.subscription_id),
        customer_id: Set(item.customer_id),
        price_id: Set(item.price_id),
        quantity: Set(item.quantity),
        unit_price_override: Set(unit_price_override),
        version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(txn)
    .await?;
    if product.kind == ProductKind::License {
        licenses::seats::insert_unassigned(txn, item.id, item.customer_id, quantity, now).await?;
    }
    Ok(item)
}
