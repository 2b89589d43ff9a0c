//! `members`: the people of a customer organisation who use the service (licenses are assigned
//! to members; consumption is filtered by member). A member need not have a portal login.

use ids::{CustomerId, MemberId, TeamId};
use sea_orm::entity::prelude::*;

/// A member of a customer organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "members")]
pub struct Model {
    /// UUIDv7, exposed as `mem_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: MemberId,
    /// The organisation the member belongs to.
    pub customer_id: CustomerId,
    /// The member's team, if any (same organisation).
    pub team_id: Option<TeamId>,
    /// Full name.
    pub name: String,
    /// E-mail address, if known.
    pub email: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
}

/// Relations of a member.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The owning organisation.
    #[sea_orm(
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::Id"
    )]
    Customer,
    /// The member's team.
    #[sea_orm(
        belongs_to = "super::team::Entity",
        from = "Column::TeamId",
        to = "super::team::Column::Id"
    )]
    Team,
}

impl Related<super::customer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl Related<super::team::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Team.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
