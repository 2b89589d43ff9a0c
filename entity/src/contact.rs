//! `contacts`: the people a customer organisation wants the operator to reach, by role
//! (technical, accounting, operational, other). A contact need not sign in or use the service;
//! those marked `receives_invoices` get the invoice e-mails.

use ids::{ContactId, CustomerId};
use sea_orm::entity::prelude::*;

/// What a contact is the person to talk to about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ContactRole {
    /// Lines, numbers, the service itself.
    #[sea_orm(string_value = "technical")]
    Technical,
    /// Invoices and payments.
    #[sea_orm(string_value = "accounting")]
    Accounting,
    /// Day-to-day operations.
    #[sea_orm(string_value = "operational")]
    Operational,
    /// Anything else.
    #[sea_orm(string_value = "other")]
    Other,
}

/// A contact of a customer organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    /// UUIDv7, exposed as `ctc_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: ContactId,
    /// The organisation.
    pub customer_id: CustomerId,
    /// What the contact is the person to talk to about.
    pub role: ContactRole,
    /// Full name.
    pub name: String,
    /// E-mail address, trimmed and lower-cased.
    pub email: String,
    /// Phone number in international form (`+33123456789`), if given.
    pub phone: Option<String>,
    /// Whether invoice e-mails go to this contact too.
    pub receives_invoices: bool,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of a contact.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The organisation.
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
