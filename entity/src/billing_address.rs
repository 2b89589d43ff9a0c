//! `billing_addresses`: a customer organisation's postal addresses, exactly one of them the
//! default (a partial unique index on `customer_id` where `is_default`), which invoices carry:
//! finalising an invoice copies it into the invoice's billing snapshot. Values were validated
//! per country when written (`api::services::accounts::addresses::rules`).

use ids::{BillingAddressId, CustomerId, UserId};
use sea_orm::entity::prelude::*;

/// A billing address of a customer organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_addresses")]
pub struct Model {
    /// UUIDv7, exposed as `addr_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: BillingAddressId,
    /// The organisation.
    pub customer_id: CustomerId,
    /// Street and number.
    pub line1: String,
    /// Building, floor, c/o…, if any.
    pub line2: Option<String>,
    /// City or town.
    pub city: String,
    /// Postal code in its country's canonical form (`75002`, `SW1A 1AA`), if the country
    /// uses one.
    pub postal_code: Option<String>,
    /// State, province or region: a code where the country has a fixed list (US, CA), else
    /// free text; `None` where the country uses none.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: String,
    /// Whether this is the organisation's default billing address (exactly one is).
    pub is_default: bool,
    /// When operator staff verified it (an address abroad needs it); cleared when the address
    /// changes.
    pub verified_at: Option<DateTimeUtc>,
    /// The staff user who verified it.
    pub verified_by: Option<UserId>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of a billing address.
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
