//! Licenses: the seats of a customer's license items, changed only through binding quotes
//! ([`change`]) and assigned to members ([`seats`]).

pub mod change;
mod error;
mod immediate;
mod overdue;

pub use error::LicenseError;
pub mod quote_book;
pub mod seats;

use std::collections::HashMap;

use billing::LicenseItem;
use entity::product::ProductKind;
use entity::{customer, license, member, price, product, subscription, subscription_item};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::page::{
    Direction, KeyKind, Keyset, Page, PageRequest, fetch_page_also_related, time_key,
};
use super::tenant_state::{TenantState, TenantStates};
use crate::auth::{Actor, TenantScope};
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::{accounts, catalog, subscriptions};
use ids::SubscriptionItemId;

/// A license item with what the pages show about it.
#[derive(Clone, Debug)]
pub struct LicenseItemView {
    /// The item.
    pub item: subscription_item::Model,
    /// Its subscription.
    pub subscription: subscription::Model,
    /// The price version it is billed at.
    pub price: price::Model,
    /// The license product.
    pub product: product::Model,
    /// Seats with a member.
    pub assigned: u32,
}

impl LicenseItemView {
    /// Seats without a member.
    pub fn unassigned(&self) -> u32 {
        u32::try_from(self.item.quantity)
            .unwrap_or(0)
            .saturating_sub(self.assigned)
    }
}

/// The seats of a license item, oldest first. The seats added by one change share their
/// `created_at`, so the id breaks the tie.
const SEATS: Keyset<license::Entity> = Keyset {
    list: "seats",
    columns: &[
        (license::Column::CreatedAt, KeyKind::Time),
        (license::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |s| time_key(s.created_at, s.id),
};

/// License items and seats.
#[derive(Clone)]
pub struct LicensesService {
    db: Db,
    states: TenantStates,
}

impl LicensesService {
    /// A service over `db`, reading tenant states through `states`.
    pub fn new(db: Db, states: TenantStates) -> Self {
        Self { db, states }
    }

    /// A customer's license items, oldest first, from the customer's state at the revision of
    /// `customer` (a row read in this request). Another tenant answers `NOT_FOUND`.
    pub async fn items(
        &self,
        actor: &Actor,
        customer: &customer::Model,
    ) -> ServiceResult<Vec<LicenseItemView>> {
        let state = self
            .states
            .of(actor.authenticated()?, customer, "customer")
            .await?;
        Ok(views_of(&state))
    }

    /// One license item of `customer` (a row read in this request), from its state. An item
    /// of another customer, or one that is not a license, answers `NOT_FOUND`.
    pub async fn item_of(
        &self,
        actor: &Actor,
        customer: &customer::Model,
        id: SubscriptionItemId,
    ) -> ServiceResult<LicenseItemView> {
        let state = self
            .states
            .of(actor.authenticated()?, customer, "license item")
            .await?;
        views_of(&state)
            .into_iter()
            .find(|view| view.item.id == id)
            .ok_or(LicenseError::ItemNotFound.into())
    }

    /// One license item. Another tenant's id, or an item that is not a license, answers
    /// `NOT_FOUND`.
    pub async fn item(
        &self,
        actor: &Actor,
        id: SubscriptionItemId,
    ) -> ServiceResult<LicenseItemView> {
        let scope = actor.authenticated()?.scope();
        load_view(self.db.reads(), scope, id).await
    }

    /// One page of the seats of a license item, oldest first, with their assignees. Paged by
    /// key in SQL: an item may hold thousands of seats, and a cursor whose seat was removed
    /// meanwhile still finds the seats after it.
    pub async fn seats(
        &self,
        actor: &Actor,
        id: SubscriptionItemId,
        request: PageRequest,
    ) -> ServiceResult<Page<(license::Model, Option<member::Model>)>> {
        let scope = actor.authenticated()?.scope();
        let select = license::Entity::find()
            .filter(scope.condition(license::Column::CustomerId))
            .filter(license::Column::ItemId.eq(id));
        Ok(
            fetch_page_also_related(self.db.reads(), select, &SEATS, &request, member::Entity)
                .await?,
        )
    }
}

/// The license items of a tenant's state, oldest first.
pub(crate) fn views_of(state: &TenantState) -> Vec<LicenseItemView> {
    state
        .items
        .iter()
        .filter(|i| i.product.kind == ProductKind::License)
        .filter_map(|i| {
            Some(LicenseItemView {
                subscription: state.subscription(i.item.subscription_id)?.clone(),
                item: i.item.clone(),
                price: i.price.clone(),
                product: i.product.clone(),
                assigned: i.assigned,
            })
        })
        .collect()
}

/// Loads one license item in `scope`, with its subscription, price, product and counts.
pub(crate) async fn load_view<C: ConnectionTrait>(
    db: &C,
    scope: TenantScope,
    id: SubscriptionItemId,
) -> ServiceResult<LicenseItemView> {
    let not_found = LicenseError::ItemNotFound;
    let row = subscription_item::Entity::find_by_id(id)
        .filter(scope.condition(subscription_item::Column::CustomerId))
        .find_also_related(price::Entity)
        .one_by_key(db)
        .await?
        .ok_or(not_found)?;
    let rows = with_products(db, vec![row]).await?;
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|(_, _, p)| p.kind == ProductKind::License)
        .collect();
    views(db, rows)
        .await?
        .pop()
        .ok_or(LicenseError::ItemNotFound.into())
}

/// The billing view of a license item as it is now, for quoting.
pub(crate) async fn billing_item<C: ConnectionTrait>(
    db: &C,
    view: &LicenseItemView,
) -> ServiceResult<LicenseItem> {
    let customer = customer::Entity::find_by_id(view.item.customer_id)
        .one_by_key(db)
        .await?
        .ok_or_else(|| ServiceError::internal("license item without customer"))?;
    let tax = crate::services::tax::resolve(db, &customer).await?;
    billing_item_of(&customer, tax.as_ref(), view)
}

/// The billing view of a license item of `customer`.
pub(crate) fn billing_item_of(
    customer: &customer::Model,
    tax: Option<&crate::services::tax::CustomerTax>,
    view: &LicenseItemView,
) -> ServiceResult<LicenseItem> {
    let mut price = catalog::rows::license_price(&view.price, &view.product)?;
    // The item's own unit price, when it has one, is what its seats cost.
    if let billing::PricingModel::PerUnit { unit_price } =
        subscriptions::rows::item_model(&view.item, &view.price)?
    {
        price.unit_price = unit_price;
    }
    let item = LicenseItem::new(
        price,
        u32::try_from(view.item.quantity).map_err(ServiceError::internal)?,
        subscriptions::rows::current_period(&view.subscription)?,
        accounts::rows::time_zone(customer)?,
        accounts::rows::tax_rate(tax, &view.price)?,
    )
    .map_err(|e| ServiceError::internal(e.to_string()))?;
    // A trial's current period is the trial itself: seats changed in it cost nothing.
    Ok(if subscriptions::rows::in_trial(&view.subscription) {
        item.in_trial()
    } else {
        item
    })
}

/// Attaches each item's product (one query for all).
pub(crate) async fn with_products<C: ConnectionTrait>(
    db: &C,
    rows: Vec<(subscription_item::Model, Option<price::Model>)>,
) -> ServiceResult<Vec<(subscription_item::Model, price::Model, product::Model)>> {
    let product_ids: Vec<_> = rows
        .iter()
        .filter_map(|(_, p)| p.as_ref().map(|p| p.product_id))
        .collect();
    let products: HashMap<_, _> = product::Entity::find()
        .filter(product::Column::Id.is_in(product_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    rows.into_iter()
        .map(|(item, price)| {
            let price = price.ok_or_else(|| ServiceError::internal("item without price"))?;
            let product = products
                .get(&price.product_id)
                .cloned()
                .ok_or_else(|| ServiceError::internal("price without product"))?;
            Ok((item, price, product))
        })
        .collect()
}

/// Attaches subscriptions and assigned-seat counts (two queries for all).
async fn views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<(subscription_item::Model, price::Model, product::Model)>,
) -> ServiceResult<Vec<LicenseItemView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let item_ids: Vec<_> = rows.iter().map(|(i, _, _)| i.id).collect();
    let subscription_ids: Vec<_> = rows.iter().map(|(i, _, _)| i.subscription_id).collect();
    let subscriptions: HashMap<_, _> = subscription::Entity::find()
        .filter(subscription::Column::Id.is_in(subscription_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let assigned: HashMap<SubscriptionItemId, i64> = license::Entity::find()
        .select_only()
        .column(license::Column::ItemId)
        .column_as(license::Column::Id.count(), "assigned")
        .filter(license::Column::ItemId.is_in(item_ids))
        .filter(license::Column::MemberId.is_not_null())
        .group_by(license::Column::ItemId)
        .into_tuple::<(SubscriptionItemId, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(|(item, price, product)| {
            let subscription = subscriptions
                .get(&item.subscription_id)
                .cloned()
                .ok_or_else(|| ServiceError::internal("item without subscription"))?;
            let assigned = assigned.get(&item.id).copied().unwrap_or(0);
            Ok(LicenseItemView {
                assigned: u32::try_from(assigned).unwrap_or(0),
                item,
                subscription,
                price,
                product,
            })
        })
        .collect()
}
