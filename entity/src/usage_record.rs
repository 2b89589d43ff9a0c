//! `usage_records`: append-only usage against a metered subscription item (ChargeOver's
//! `POST /usage`), keyed by (customer, idempotency key). The quantity is exact decimal text.

use ids::{CustomerId, InvoiceId, MemberId, SubscriptionItemId, TeamId, UsageRecordId};
use sea_orm::entity::prelude::*;

/// One usage record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_records")]
pub struct Model {
    /// UUIDv7, exposed as `usg_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: UsageRecordId,
    /// The customer (tenant) whose item it is.
    pub customer_id: CustomerId,
    /// The metered subscription item.
    pub subscription_item_id: SubscriptionItemId,
    /// Exact decimal text, ≥ 0 (minutes, messages, gigabytes).
    pub quantity: String,
    /// Start of the span the usage was measured over.
    pub from_at: DateTimeUtc,
    /// End of that span (≥ `from_at`).
    pub to_at: DateTimeUtc,
    /// The client's key: unique per customer, so a retry is a duplicate, never a second record.
    pub idempotency_key: String,
    /// The member who used it, if known.
    pub member_id: Option<MemberId>,
    /// The team it is counted against, if known.
    pub team_id: Option<TeamId>,
    /// The telephone number it came from, if any.
    pub number: Option<String>,
    /// Free-form properties as JSON text.
    pub properties: Option<String>,
    /// The invoice that billed it; `None` until billed.
    pub invoice_id: Option<InvoiceId>,
    /// When it was received.
    pub recorded_at: DateTimeUtc,
}

/// Usage records have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
