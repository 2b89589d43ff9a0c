//! A tenant's billing state: what the license and upcoming-charge reads are computed from, read
//! in one consistent transaction and kept in memory, tagged with the customer's revision.
//!
//! Every write to a tenant's data bumps `customers.revision` in the same transaction
//! ([`crate::db::TenantWrite::commit`]). A reader that holds a customer row read in its own
//! request asks for the state at that row's revision: the copy in memory answers when it is at
//! least as new, otherwise the state is read again. The revision lives in the database, so a
//! write by another process is seen as surely as one by this process; the memory only saves the
//! reads. Products and prices are not updated in place: a change is a new price version. The one
//! exception, `createPrice` marking older versions no longer `active` (not sold to new
//! subscriptions), touches nothing the state is used for, and it is not bumped for: nothing may
//! read `price.active` from a tenant state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use entity::{
    billing_address, customer, license, one_off_charge, price, product, subscription,
    subscription_item, unbilled_charge,
};
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IsolationLevel, QueryFilter,
    QueryOrder, QuerySelect, TransactionOptions, TransactionTrait,
};

use crate::auth::AuthenticatedActor;
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use ids::{CustomerId, SubscriptionId, SubscriptionItemId};

/// Tenants whose state is kept in memory at once. Past it, an arbitrary tenant's copy is
/// dropped: it is read again when next needed.
const CAPACITY: usize = 4096;

/// One subscription item with its price version, product and assigned-seat count.
#[derive(Clone, Debug)]
pub struct ItemState {
    /// The item.
    pub item: subscription_item::Model,
    /// The price version it is billed at.
    pub price: price::Model,
    /// The product of that price.
    pub product: product::Model,
    /// Seats (licenses) of the item with a member.
    pub assigned: u32,
}

/// What a tenant buys, as of one revision.
#[derive(Clone, Debug)]
pub struct TenantState {
    /// The customer row the state was read with; its `revision` tags the state.
    pub customer: customer::Model,
    /// Every subscription, oldest first.
    pub subscriptions: Vec<subscription::Model>,
    /// Every subscription item, oldest first.
    pub items: Vec<ItemState>,
    /// Charges waiting for the next invoice, oldest first.
    pub unbilled: Vec<unbilled_charge::Model>,
    /// One-time charges and addons waiting for the next invoice of their subscription, oldest
    /// first.
    pub one_offs: Vec<one_off_charge::Model>,
    /// Coupons applied to the customer or its subscriptions, oldest first.
    pub coupons: Vec<crate::services::coupons::AppliedCouponState>,
    /// The tax the customer pays on taxable prices, resolved once here
    /// ([`crate::services::tax::resolve`]); `None`: untaxed.
    pub tax: Option<crate::services::tax::CustomerTax>,
    /// The customer's default billing address, which an invoice finalised from this state
    /// snapshots; `None` while it has none.
    pub billing_address: Option<billing_address::Model>,
}

impl TenantState {
    /// The revision this state was read at.
    pub fn revision(&self) -> i64 {
        self.customer.revision
    }

    /// The subscription with this id.
    pub fn subscription(&self, id: SubscriptionId) -> Option<&subscription::Model> {
        self.subscriptions.iter().find(|s| s.id == id)
    }
}

/// Tenant states in memory, read from the database when missing or older than asked.
#[derive(Clone)]
pub struct TenantStates {
    db: Db,
    held: Arc<Mutex<HashMap<CustomerId, Arc<TenantState>>>>,
}

impl TenantStates {
    /// An empty set over `db`.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            held: Arc::default(),
        }
    }

    /// The state of the customer of `row` (a row read in this request), at least as new as
    /// `row.revision`. A customer outside the actor's scope answers `NOT_FOUND` with `entity`,
    /// whatever the caller was looking for there.
    pub async fn of(
        &self,
        actor: &AuthenticatedActor,
        row: &customer::Model,
        entity: &'static str,
    ) -> ServiceResult<Arc<TenantState>> {
        if !actor.scope().allows(row.id) {
            return Err(ServiceError::NotFound { entity });
        }
        if let Some(state) = self.held(row.id)
            && state.revision() >= row.revision
        {
            return Ok(state);
        }
        let state = Arc::new(self.read(row.id).await?);
        self.keep(&state);
        Ok(state)
    }

    /// The copy in memory, whatever its revision.
    fn held(&self, customer: CustomerId) -> Option<Arc<TenantState>> {
        self.lock().get(&customer).cloned()
    }

    /// Keeps `state` unless a newer one is already held.
    fn keep(&self, state: &Arc<TenantState>) {
        let mut held = self.lock();
        let id = state.customer.id;
        if held
            .get(&id)
            .is_some_and(|h| h.revision() >= state.revision())
        {
            return;
        }
        if held.len() >= CAPACITY
            && !held.contains_key(&id)
            && let Some(victim) = held.keys().next().copied()
        {
            held.remove(&victim);
        }
        held.insert(id, Arc::clone(state));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<CustomerId, Arc<TenantState>>> {
        // The map is only read and replaced whole-entry: a panic elsewhere cannot leave it
        // half-written, so a poisoned lock is still sound to use.
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads the state in one read-only transaction, so that its parts agree with each other
    /// and with the revision read first.
    async fn read(&self, customer: CustomerId) -> ServiceResult<TenantState> {
        let options = match self.db.backend() {
            DbBackend::Postgres => TransactionOptions {
                isolation_level: Some(IsolationLevel::RepeatableRead),
                access_mode: Some(AccessMode::ReadOnly),
                ..TransactionOptions::default()
            },
            // A SQLite transaction reads one snapshot of the WAL from its first read on.
            _ => TransactionOptions::default(),
        };
        let txn = self.db.reads().begin_with_options(options).await?;
        let state = load(&txn, customer).await?;
        txn.commit().await?;
        Ok(state)
    }
}

/// Reads a tenant's state through `db`, which should be one transaction so that the parts agree
/// (a read-only snapshot for the cache, a write transaction that bills or charges from it).
pub(crate) async fn load<C: ConnectionTrait>(
    db: &C,
    customer: CustomerId,
) -> ServiceResult<TenantState> {
    load_many(db, &[customer])
        .await?
        .remove(&customer)
        .ok_or(ServiceError::NotFound { entity: "customer" })
}

/// Reads the states of several tenants through `db` with one query per table, whatever their
/// number: the billing run reads a whole batch of customers this way. Each state is exactly
/// what [`load`] reads for that customer alone (which is this with one id), so an invoice
/// built from either agrees with upcoming charges. A customer that does not exist is absent.
pub(crate) async fn load_many<C: ConnectionTrait>(
    db: &C,
    customers: &[CustomerId],
) -> ServiceResult<HashMap<CustomerId, TenantState>> {
    let mut ids = customers.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let customers = customer::Entity::find()
        .filter(customer::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut subscriptions = group(
        subscription::Entity::find()
            .filter(subscription::Column::CustomerId.is_in(ids.iter().copied()))
            .order_by_asc(subscription::Column::Id)
            .all(db)
            .await?,
        |s| s.customer_id,
    );
    let rows = subscription_item::Entity::find()
        .filter(subscription_item::Column::CustomerId.is_in(ids.iter().copied()))
        .order_by_asc(subscription_item::Column::Id)
        .find_also_related(price::Entity)
        .and_also_related(product::Entity)
        .all(db)
        .await?;
    let assigned: HashMap<SubscriptionItemId, i64> = license::Entity::find()
        .select_only()
        .column(license::Column::ItemId)
        .column_as(license::Column::Id.count(), "assigned")
        .filter(license::Column::CustomerId.is_in(ids.iter().copied()))
        .filter(license::Column::MemberId.is_not_null())
        .group_by(license::Column::ItemId)
        .into_tuple::<(SubscriptionItemId, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut unbilled = group(
        unbilled_charge::Entity::find()
            .filter(unbilled_charge::Column::CustomerId.is_in(ids.iter().copied()))
            .filter(unbilled_charge::Column::InvoicedAt.is_null())
            .order_by_asc(unbilled_charge::Column::Id)
            .all(db)
            .await?,
        |c| c.customer_id,
    );
    let mut one_offs = group(
        one_off_charge::Entity::find()
            .filter(one_off_charge::Column::CustomerId.is_in(ids.iter().copied()))
            .filter(one_off_charge::Column::InvoicedAt.is_null())
            .order_by_asc(one_off_charge::Column::Id)
            .all(db)
            .await?,
        |c| c.customer_id,
    );
    let mut items: HashMap<CustomerId, Vec<ItemState>> = HashMap::new();
    for (item, price, product) in rows {
        let price = price.ok_or_else(|| ServiceError::internal("item without price"))?;
        let product = product.ok_or_else(|| ServiceError::internal("price without product"))?;
        let assigned = assigned.get(&item.id).copied().unwrap_or(0);
        items.entry(item.customer_id).or_default().push(ItemState {
            assigned: u32::try_from(assigned).map_err(ServiceError::internal)?,
            item,
            price,
            product,
        });
    }
    let mut coupons = crate::services::coupons::load_applied_many(db, &ids).await?;
    let taxes = crate::services::tax::resolve_many(db, &customers).await?;
    let mut addresses = crate::services::accounts::addresses::defaults_of(db, &ids).await?;
    customers
        .into_iter()
        .zip(taxes)
        .map(|(customer, tax)| {
            let id = customer.id;
            let state = TenantState {
                subscriptions: subscriptions.remove(&id).unwrap_or_default(),
                items: items.remove(&id).unwrap_or_default(),
                unbilled: unbilled.remove(&id).unwrap_or_default(),
                one_offs: one_offs.remove(&id).unwrap_or_default(),
                coupons: coupons.remove(&id).unwrap_or_default(),
                tax,
                billing_address: addresses.remove(&id),
                customer,
            };
            Ok((id, state))
        })
        .collect()
}

/// `rows` by customer, each customer's in the order they came.
fn group<T>(rows: Vec<T>, customer: impl Fn(&T) -> CustomerId) -> HashMap<CustomerId, Vec<T>> {
    let mut grouped: HashMap<CustomerId, Vec<T>> = HashMap::new();
    for row in rows {
        grouped.entry(customer(&row)).or_default().push(row);
    }
    grouped
}
