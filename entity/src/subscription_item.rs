//! `subscription_items`: the lines of a subscription (ChargeOver's line items).

use ids::{CustomerId, PriceId, SubscriptionId, SubscriptionItemId};
use sea_orm::entity::prelude::*;

/// A subscription item.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscription_items")]
pub struct Model {
    /// UUIDv7, exposed as `si_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: SubscriptionItemId,
    /// The subscription.
    pub subscription_id: SubscriptionId,
    /// The customer, repeated here so every tenant query filters on one column.
    pub customer_id: CustomerId,
    /// The price version billed.
    pub price_id: PriceId,
    /// Seats or units.
    pub quantity: i32,
    /// This customer's unit price, exact decimal text (up to 12 decimals), instead of the
    /// price version's amount (flat, per-unit and package prices only); `None`: the price's.
    pub unit_price_override: Option<String>,
    /// Bumped by every change; the first statement of a change, so that concurrent changes
    /// to one item queue up on its row lock.
    pub version: i32,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of a subscription item.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The subscription.
    #[sea_orm(
        belongs_to = "super::subscription::Entity",
        from = "Column::SubscriptionId",
        to = "super::subscription::Column::Id"
    )]
    Subscription,
    /// The price version.
    #[sea_orm(
        belongs_to = "super::price::Entity",
        from = "Column::PriceId",
        to = "super::price::Column::Id"
    )]
    Price,
}

impl Related<super::subscription::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscription.def()
    }
}

impl Related<super::price::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Price.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
