//! Moving subscriptions from one price version to another. A new version is sold to new
//! subscriptions only (see [`CatalogService::create_price`]); existing ones keep theirs until
//! staff move them here, the way ChargeOver changes a line item's price: the next invoice
//! bills the new version. Charges already invoiced stay as they are (no proration of the
//! current period), usage not yet invoiced is rated at the new version when the period is
//! invoiced, and an item's own unit price, if it has one, stays.

use chrono::Utc;
use entity::subscription::SubscriptionStatus;
use entity::{price, subscription, subscription_item};
use ids::{CustomerId, PriceId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait};
use serde_json::json;

use super::{CatalogError, CatalogService};
use crate::auth::Actor;
use crate::db::UniqueLookup;
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};

/// What a move did.
#[derive(Clone, Debug)]
pub struct PriceMove {
    /// How many subscription items now bill the target version.
    pub moved: u64,
    /// The target version.
    pub target: price::Model,
}

impl CatalogService {
    /// Moves every item of a subscription that is not cancelled from version `from` to version
    /// `to` of the same product, in one transaction, each move audited on its customer.
    /// The two versions must share currency and billing interval: a subscription bills all its
    /// items in its customer's currency, once per its interval.
    pub async fn move_subscriptions(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        from: PriceId,
        to: PriceId,
    ) -> ServiceResult<PriceMove> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        if from == to {
            return Err(CatalogError::MoveToSameVersion.into());
        }
        let txn = self.db.begin_tenant_write().await?;
        let source = price::Entity::find_by_id(from)
            .one_by_key(&txn)
            .await?
            .ok_or(CatalogError::PriceNotFound)?;
        let target = price::Entity::find_by_id(to)
            .one_by_key(&txn)
            .await?
            .ok_or(CatalogError::PriceNotFound)?;
        if source.product_id != target.product_id {
            return Err(CatalogError::MoveAcrossProducts.into());
        }
        if source.currency != target.currency
            || source.interval_unit != target.interval_unit
            || source.interval_count != target.interval_count
        {
            return Err(CatalogError::MoveAcrossTerms.into());
        }
        let live = subscription::Entity::find()
            .select_only()
            .column(subscription::Column::Id)
            .filter(subscription::Column::Status.ne(SubscriptionStatus::Cancelled));
        let items = subscription_item::Entity::find()
            .filter(subscription_item::Column::PriceId.eq(from))
            .filter(subscription_item::Column::SubscriptionId.in_subquery(live.into_query()))
            .all(&txn)
            .await?;
        if items.is_empty() {
            txn.commit_tenants(&[]).await?;
            return Ok(PriceMove { moved: 0, target });
        }
        let ids: Vec<_> = items.iter().map(|i| i.id).collect();
        let now = Utc::now();
        // The version bump makes a license quote given on the old price stale: it is refused
        // when applied instead of billing seats at a price no longer the item's.
        let moved = subscription_item::Entity::update_many()
            .col_expr(subscription_item::Column::PriceId, Expr::value(to))
            .col_expr(
                subscription_item::Column::Version,
                Expr::col(subscription_item::Column::Version).add(1),
            )
            .col_expr(subscription_item::Column::UpdatedAt, Expr::value(now))
            .filter(subscription_item::Column::Id.is_in(ids))
            .exec(&txn)
            .await?
            .rows_affected;
        for item in &items {
            audit::record(
                &txn,
                Some(staff),
                request_id,
                AuditEntry {
                    customer: Some(item.customer_id),
                    action: "subscription_item.move_price",
                    subject_type: "subscription_item",
                    subject_id: item.id.to_string(),
                    before: Some(
                        json!({ "price": source.id.to_string(), "version": source.version }),
                    ),
                    after: Some(
                        json!({ "price": target.id.to_string(), "version": target.version }),
                    ),
                },
            )
            .await?;
        }
        let tenants: Vec<CustomerId> = items.iter().map(|i| i.customer_id).collect();
        txn.commit_tenants(&tenants).await?;
        Ok(PriceMove { moved, target })
    }

    /// How many items of subscriptions that are not cancelled bill version `price` (operator
    /// staff, support included): what a move from it would move.
    pub async fn items_on(&self, actor: &Actor, price: PriceId) -> ServiceResult<u64> {
        actor.authenticated()?.require_staff_reader()?;
        let live = subscription::Entity::find()
            .select_only()
            .column(subscription::Column::Id)
            .filter(subscription::Column::Status.ne(SubscriptionStatus::Cancelled));
        Ok(subscription_item::Entity::find()
            .filter(subscription_item::Column::PriceId.eq(price))
            .filter(subscription_item::Column::SubscriptionId.in_subquery(live.into_query()))
            .count(self.db.reads())
            .await?)
    }
}
