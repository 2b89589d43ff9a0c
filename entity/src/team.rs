//! `teams`: groups of members inside a customer organisation (consumption is filtered by team).

use ids::{CustomerId, TeamId};
use sea_orm::entity::prelude::*;

/// A team of a customer organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teams")]
pub struct Model {
    /// UUIDv7, exposed as `team_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: TeamId,
    /// The organisation the team belongs to.
    pub customer_id: CustomerId,
    /// Team name, unique within the organisation.
    pub name: String,
    /// When the row was created.
    pub created_at: DateTimeUtc,
}

/// Relations of a team.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The owning organisation.
    #[sea_orm(
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::Id"
    )]
    Customer,
    /// The members of the team.
    #[sea_orm(has_many = "super::member::Entity")]
    Members,
}

impl Related<super::customer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl Related<super::member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Members.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
