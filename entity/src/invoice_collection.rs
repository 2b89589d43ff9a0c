//! `invoice_collections`: the dunning state of an open invoice that automatic collection failed
//! to charge: how many automatic attempts failed and when the next one is due, or that retries
//! are exhausted.

use ids::{CustomerId, InvoiceId};
use sea_orm::entity::prelude::*;

/// Where collection of an invoice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CollectionState {
    /// Another automatic attempt is due at `next_attempt_at`.
    #[sea_orm(string_value = "scheduled")]
    Scheduled,
    /// Every retry failed; no automatic attempt any more (staff may retry).
    #[sea_orm(string_value = "exhausted")]
    Exhausted,
}

/// An invoice's collection state.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_collections")]
pub struct Model {
    /// The invoice.
    #[sea_orm(primary_key, auto_increment = false)]
    pub invoice_id: InvoiceId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// Automatic attempts that failed.
    pub failures: i32,
    /// Scheduled or exhausted.
    pub state: CollectionState,
    /// When the next automatic attempt is due (when it gave up, once exhausted).
    pub next_attempt_at: DateTimeUtc,
    /// The last refusal, for people.
    pub last_failure: Option<String>,
    /// When it last changed.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
