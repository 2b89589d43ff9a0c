//! Subscriptions: created by operator staff, read by the customer they belong to.

mod cancel;
mod error;
pub mod rows;
mod unit_price;

pub use error::SubscriptionError;

use billing::{BillingCycle, Interval, local_date};
use chrono::{DateTime, NaiveDate, Utc};
use entity::product::ProductKind;
use entity::{customer, price, product, subscription, subscription_item};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::auth::Actor;
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::{accounts, catalog, licenses};
use ids::{CustomerId, PriceId, SubscriptionId, SubscriptionItemId};

/// Most seats or units one item may hold: a guard against typos that would write millions of
/// license rows.
pub const MAX_ITEM_QUANTITY: u32 = 10_000;

// `billing`'s largest unit price is computed for quantities up to `billing::MAX_QUANTITY`:
// an item may not hold more, or pricing it could overflow.
const _: () = assert!(MAX_ITEM_QUANTITY as i64 <= billing::MAX_QUANTITY);

/// A subscription to create.
#[derive(Clone, Debug)]
pub struct NewSubscription {
    /// The customer.
    pub customer: CustomerId,
    /// First day of the first period; periods repeat from it.
    pub anchor: NaiveDate,
    /// The billing interval (every item's price must have it).
    pub interval: Interval,
    /// Price versions and quantities.
    pub items: Vec<(PriceId, u32)>,
}

/// Subscriptions.
#[derive(Clone)]
pub struct SubscriptionsService {
    db: Db,
}

impl SubscriptionsService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
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
        let txn = self.db.begin_tenant_write().await?;
        let customer = customer::Entity::find_by_id(new.customer)
            .one_by_key(&txn)
            .await?
            .ok_or(SubscriptionError::CustomerNotFound)?;
        let today = local_date(now, accounts::rows::time_zone(&customer)?);
        if new.anchor > today {
            return Err(SubscriptionError::AnchorInFuture.into());
        }
        let period = BillingCycle::new(new.anchor, new.interval)
            .period_containing(today)
            .map_err(|e| ServiceError::from_billing(e, "input.anchorDate"))?;
        let row = subscription::Model {
            id: SubscriptionId::new(),
            customer_id: customer.id,
            status: subscription::SubscriptionStatus::Active,
            interval_unit: catalog::rows::stored_interval_unit(new.interval.unit()),
            interval_count: i32::try_from(new.interval.count())
                .map_err(|_| SubscriptionError::IntervalTooLarge)?,
            anchor_date: new.anchor,
            current_period_start: period.start(),
            current_period_end: period.end(),
            next_invoice_date: period.end(),
            cancel_at: None,
            created_at: now,
        };
        subscription::Entity::insert(subscription::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await?;
        for (index, (price_id, quantity)) in new.items.iter().enumerate() {
            let (price, product) = price::Entity::find_by_id(*price_id)
                .find_also_related(product::Entity)
                .one_by_key(&txn)
                .await?
                .and_then(|(p, prod)| prod.map(|prod| (p, prod)))
                .ok_or(SubscriptionError::PriceNotFound)?;
            if !price.active {
                return Err(SubscriptionError::PriceRetired(index).into());
            }
            if price.currency != customer.currency {
                return Err(SubscriptionError::CurrencyDiffers {
                    index,
                    price: price.currency,
                    customer: customer.currency,
                }
                .into());
            }
            if catalog::rows::interval(price.interval_unit, price.interval_count)? != new.interval {
                return Err(SubscriptionError::IntervalDiffers(index).into());
            }
            if *quantity == 0 || *quantity > MAX_ITEM_QUANTITY {
                return Err(SubscriptionError::QuantityOutOfRange(index).into());
            }
            if product.kind == ProductKind::License {
                let policy = catalog::rows::license_policy(&price)?;
                if *quantity < policy.min_quantity
                    || policy.max_quantity.is_some_and(|max| *quantity > max)
                {
                    return Err(SubscriptionError::OutsideLicenseLimits(index).into());
                }
            }
            let item_id = SubscriptionItemId::new();
            subscription_item::Entity::insert(subscription_item::ActiveModel {
                id: Set(item_id),
                subscription_id: Set(row.id),
                customer_id: Set(customer.id),
                price_id: Set(price.id),
                quantity: Set(i32::try_from(*quantity).unwrap_or(i32::MAX)),
                unit_price_override: Set(None),
                version: Set(0),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_without_returning(&txn)
            .await?;
            if product.kind == ProductKind::License {
                licenses::seats::insert_unassigned(&txn, item_id, customer.id, *quantity, now)
                    .await?;
            }
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
                    "period_start": row.current_period_start,
                    "period_end": row.current_period_end,
                    "items": new.items.iter().map(|(p, q)| json!({ "price": p.to_string(), "quantity": q })).collect::<Vec<_>>(),
                })),
            },
        )
        .await?;
        txn.commit(customer.id).await?;
        Ok(row)
    }

    /// A customer's subscriptions, oldest first.
    pub async fn of_customer(
        &self,
        actor: &Actor,
        customer: CustomerId,
    ) -> ServiceResult<Vec<subscription::Model>> {
        let scope = actor.authenticated()?.scope();
        Ok(subscription::Entity::find()
            .filter(scope.condition(subscription::Column::CustomerId))
            .filter(subscription::Column::CustomerId.eq(customer))
            .order_by_asc(subscription::Column::Id)
            .all(self.db.reads())
            .await?)
    }

    /// One subscription. Another tenant's id answers `NOT_FOUND`.
    pub async fn get(
        &self,
        actor: &Actor,
        id: SubscriptionId,
    ) -> ServiceResult<subscription::Model> {
        let scope = actor.authenticated()?.scope();
        subscription::Entity::find_by_id(id)
            .filter(scope.condition(subscription::Column::CustomerId))
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
