//! `quotes`: binding license change quotes, stored until applied or expired.

use ids::{CustomerId, QuoteId, SubscriptionItemId, UserId};
use sea_orm::entity::prelude::*;

/// A stored quote.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quotes")]
pub struct Model {
    /// UUIDv7, exposed as `quo_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: QuoteId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// The license item quoted.
    pub item_id: SubscriptionItemId,
    /// Seats added (positive) or removed (negative).
    pub delta: i32,
    /// The full quote as computed by `billing`, JSON text.
    pub quote: String,
    /// ISO 4217 currency of the amounts.
    pub currency: String,
    /// Charged now, tax included, in minor units.
    pub amount_due_now_minor: i64,
    /// Added to the next invoice, tax included, in minor units.
    pub amount_next_invoice_minor: i64,
    /// When the quote stops being applicable.
    pub expires_at: DateTimeUtc,
    /// Who asked for it.
    pub created_by: UserId,
    /// When it was computed.
    pub created_at: DateTimeUtc,
    /// When it was applied, if it was.
    pub applied_at: Option<DateTimeUtc>,
    /// The result of applying it, JSON text, replayed on a repeat.
    pub result: Option<String>,
}

/// Quotes have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
