//! `call_records`: calls of customers' numbers, keyed by (customer, idempotency key), rated at
//! ingestion; the rating columns are null for a call no prefix of its tariff matched.

use ids::{CallRecordId, CustomerId, InvoiceId, PhoneNumberId, TariffVersionId};
use sea_orm::entity::prelude::*;

/// Which way a call went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum CallDirection {
    /// Placed from the customer's number.
    #[sea_orm(string_value = "outbound")]
    Outbound,
    /// Received on the customer's number.
    #[sea_orm(string_value = "inbound")]
    Inbound,
}

/// One call.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_records")]
pub struct Model {
    /// UUIDv7, exposed as `call_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: CallRecordId,
    /// The customer (tenant) whose number it is.
    pub customer_id: CustomerId,
    /// The number.
    pub phone_number_id: PhoneNumberId,
    /// When the call started; it is billed in the period holding this instant.
    pub started_at: DateTimeUtc,
    /// Connected seconds (0: not answered).
    pub duration_seconds: i32,
    /// Which way it went.
    pub direction: CallDirection,
    /// The other party, E.164.
    pub destination: String,
    /// The client's key: unique per customer, so a retry is a duplicate, never a second call.
    pub idempotency_key: String,
    /// The tariff version it was rated with; `None`: unrated (no prefix matched).
    pub tariff_version_id: Option<TariffVersionId>,
    /// Seconds billed after the increment; `None` while unrated.
    pub billed_seconds: Option<i64>,
    /// The per-minute rate applied, exact decimal text; `None` while unrated.
    pub rate_per_minute: Option<String>,
    /// The call's cost in minor units, rounded on its own; `None` while unrated.
    pub amount_minor: Option<i64>,
    /// ISO 4217 code of `amount_minor` (the tariff's).
    pub currency: String,
    /// The invoice that billed it; `None` until billed.
    pub invoice_id: Option<InvoiceId>,
    /// When it was received.
    pub recorded_at: DateTimeUtc,
}

/// Call records have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
