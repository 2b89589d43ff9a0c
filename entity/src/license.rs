//! `licenses`: one row per seat of a license item, with its assignee.

use ids::{CustomerId, LicenseId, MemberId, SubscriptionItemId};
use sea_orm::entity::prelude::*;

/// A seat.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "licenses")]
pub struct Model {
    /// UUIDv7, exposed as `lic_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: LicenseId,
    /// The license item the seat belongs to.
    pub item_id: SubscriptionItemId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// The member using the seat, if assigned (same customer).
    pub member_id: Option<MemberId>,
    /// When the seat was added.
    pub created_at: DateTimeUtc,
}

/// Relations of a seat.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The item.
    #[sea_orm(
        belongs_to = "super::subscription_item::Entity",
        from = "Column::ItemId",
        to = "super::subscription_item::Column::Id"
    )]
    Item,
    /// The assignee.
    #[sea_orm(
        belongs_to = "super::member::Entity",
        from = "Column::MemberId",
        to = "super::member::Column::Id"
    )]
    Member,
}

impl Related<super::member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Member.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
