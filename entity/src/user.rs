//! `users`: everyone who can sign in, operator staff and customer users alike.

use ids::{CustomerId, UserId};
use sea_orm::entity::prelude::*;

/// What a user may do. Staff roles have no tenant; customer roles always have one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum UserRole {
    /// Operator administrator: everything, including staff management.
    #[sea_orm(string_value = "admin")]
    Admin,
    /// Operator staff, the billing role: catalog, customers, billing and money; no staff
    /// management.
    #[sea_orm(string_value = "staff")]
    Staff,
    /// Operator support: reads every organisation and reviews documents; changes nothing else.
    #[sea_orm(string_value = "support")]
    Support,
    /// Customer owner: everything within the organisation.
    #[sea_orm(string_value = "owner")]
    Owner,
    /// Customer billing administrator: licenses, payment methods, contacts.
    #[sea_orm(string_value = "billing_admin")]
    BillingAdmin,
    /// Customer viewer: reads, never changes.
    #[sea_orm(string_value = "viewer")]
    Viewer,
}

/// A user account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// UUIDv7, exposed as `usr_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: UserId,
    /// Sign-in address, stored lower-cased; unique.
    #[sea_orm(unique)]
    pub email: String,
    /// Display name.
    pub name: String,
    /// Argon2id PHC string. Never leaves the server.
    pub password_hash: String,
    /// Role, which decides what the user may do.
    pub role: UserRole,
    /// The organisation of a customer user; `None` for staff.
    pub customer_id: Option<CustomerId>,
    /// A disabled user cannot sign in, and its tokens stop working at the next request.
    pub disabled: bool,
    /// Which of the user's sessions are valid: tokens carry the version they were issued at,
    /// and a change of password bumps it, so every token issued before stops working.
    pub session_version: i64,
    /// When the row was created.
    pub created_at: DateTimeUtc,
}

/// Relations of a user.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The organisation of a customer user.
    #[sea_orm(
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::Id"
    )]
    Customer,
}

impl Related<super::customer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
