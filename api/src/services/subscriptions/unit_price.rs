//! Staff give one subscription item its own unit price (ChargeOver's per-customer pricing), or
//! take it back to the price version's. It applies to what is billed from now on: the next
//! period's recurring line and any license quote after it; prorations already waiting keep the
//! amount their quote computed, and a quote made before goes stale.

use billing::UnitPrice;
use chrono::Utc;
use entity::{price, product, subscription_item};
use ids::SubscriptionItemId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{SubscriptionsService, rows};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::catalog;

/// The field a refused unit price names.
const FIELD: &str = "input.unitPrice";

/// An item's own unit price as typed: exact decimal text (see [`UnitPrice`]); refused on
/// `field`. The one parse for a later change and for a line of a new subscription.
pub fn parse(field: &str, text: &str) -> ServiceResult<UnitPrice> {
    text.trim()
        .parse::<UnitPrice>()
        .map_err(|e| ServiceError::bad_input(field, e.to_string()))
}

/// `Ok` when `price` has a single unit price that `amount` can replace (flat, per-unit and
/// package prices), else refused on `field`.
pub(super) fn check_replaceable(
    price: &price::Model,
    amount: UnitPrice,
    field: &str,
) -> ServiceResult<()> {
    match rows::with_unit_price(catalog::rows::pricing_model(price)?, amount) {
        Some(_) => Ok(()),
        None => Err(ServiceError::bad_input(
            field,
            "a tiered price has no single unit price to replace",
        )),
    }
}

impl SubscriptionsService {
    /// Sets (`Some`, exact decimal text) or clears (`None`) an item's own unit price (operator
    /// staff); returns the item with its price and product. Tiered prices have no single unit
    /// price to replace: `BAD_USER_INPUT`.
    pub async fn set_unit_price(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        item_id: SubscriptionItemId,
        unit_price: Option<&str>,
    ) -> ServiceResult<(subscription_item::Model, price::Model, product::Model)> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let parsed = unit_price.map(|text| parse(FIELD, text)).transpose()?;
        let txn = self.db.begin_tenant_write().await?;
        // Touch the item first: a concurrent license change queues behind this one and then
        // re-checks its quote against the new price.
        let now = Utc::now();
        let touched = subscription_item::Entity::update_many()
            .col_expr(
                subscription_item::Column::Version,
                Expr::col(subscription_item::Column::Version).add(1),
            )
            .col_expr(subscription_item::Column::UpdatedAt, Expr::value(now))
            .filter(subscription_item::Column::Id.eq(item_id))
            .exec(&txn)
            .await?;
        if touched.rows_affected == 0 {
            return Err(ServiceError::NotFound {
                entity: "subscription item",
            });
        }
        let (item, price) = subscription_item::Entity::find_by_id(item_id)
            .find_also_related(price::Entity)
            .one(&txn)
            .await?
            .and_then(|(item, price)| price.map(|p| (item, p)))
            .ok_or_else(|| ServiceError::internal("item without price"))?;
        let product = product::Entity::find_by_id(price.product_id)
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::internal("price without product"))?;
        if let Some(amount) = parsed {
            check_replaceable(&price, amount, FIELD)?;
        }
        let stored = parsed.map(|p| p.value().to_string());
        subscription_item::Entity::update_many()
            .col_expr(
                subscription_item::Column::UnitPriceOverride,
                Expr::value(stored.clone()),
            )
            .filter(subscription_item::Column::Id.eq(item_id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(item.customer_id),
                action: "subscription_item.unit_price",
                subject_type: "subscription_item",
                subject_id: item_id.to_string(),
                before: Some(json!({ "unit_price_override": item.unit_price_override })),
                after: Some(json!({ "unit_price_override": stored })),
            },
        )
        .await?;
        txn.commit(item.customer_id).await?;
        let item = subscription_item::Model {
            unit_price_override: stored,
            ..item
        };
        Ok((item, price, product))
    }
}
