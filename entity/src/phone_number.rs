//! `phone_numbers`: telephone numbers (E.164, unique) sold to customers, each on the
//! subscription item that bills its monthly rental, rated with a tariff.

use ids::{CustomerId, PhoneNumberId, SubscriptionItemId, TariffId};
use sea_orm::entity::prelude::*;

/// What kind of number it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum NumberType {
    /// A landline number tied to an area (`+33 1 …`).
    #[sea_orm(string_value = "geographic")]
    Geographic,
    /// A national number with no area (`+33 9 …`).
    #[sea_orm(string_value = "national")]
    National,
    /// A mobile number.
    #[sea_orm(string_value = "mobile")]
    Mobile,
    /// A number free for callers (`+33 800 …`).
    #[sea_orm(string_value = "toll_free")]
    TollFree,
}

/// A telephone number.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "phone_numbers")]
pub struct Model {
    /// UUIDv7, exposed as `num_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: PhoneNumberId,
    /// The customer (tenant) it is sold to.
    pub customer_id: CustomerId,
    /// The recurring item whose price is the monthly rental of one number.
    pub subscription_item_id: SubscriptionItemId,
    /// `+` and 2 to 15 digits; unique.
    #[sea_orm(unique)]
    pub e164: String,
    /// Its type.
    pub number_type: NumberType,
    /// The tariff its calls are rated with (the tariff's latest version at each call's
    /// ingestion).
    pub tariff_id: TariffId,
    /// The day it was sold.
    pub sold_on: Date,
    /// The day it was released, in the customer's time zone: from its start the number takes
    /// no calls and its rental item bills one unit fewer. `None` while the customer holds it.
    pub released_on: Option<Date>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
}

/// Phone numbers have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
