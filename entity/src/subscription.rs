//! `subscriptions`: a customer's billing package with its current period.

use ids::{CustomerId, SubscriptionId};
use sea_orm::entity::prelude::*;

/// Lifecycle of a subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SubscriptionStatus {
    /// In a free trial.
    #[sea_orm(string_value = "trialing")]
    Trialing,
    /// Billed every period.
    #[sea_orm(string_value = "active")]
    Active,
    /// Not billed for now.
    #[sea_orm(string_value = "paused")]
    Paused,
    /// Ended; kept for history.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// A subscription.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    /// UUIDv7, exposed as `sub_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: SubscriptionId,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// Lifecycle status.
    pub status: SubscriptionStatus,
    /// Unit of the billing interval.
    pub interval_unit: super::price::IntervalUnit,
    /// Interval units per period.
    pub interval_count: i32,
    /// The date periods are counted from (day 29–31 clamps in short months).
    pub anchor_date: Date,
    /// First day of the current period.
    pub current_period_start: Date,
    /// First day after the current period.
    pub current_period_end: Date,
    /// When the next invoice is due to be built.
    pub next_invoice_date: Date,
    /// The day billing stops (the end of a period), when a cancellation is scheduled: the run
    /// then bills only what is pending and cancels the subscription.
    pub cancel_at: Option<Date>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// The purchase order number printed on this subscription's invoices, instead of the
    /// customer's (an "invoice now" charge's own wins over it).
    pub po_number: Option<String>,
    /// Notes printed on this subscription's invoices, after the customer's.
    pub invoice_notes: Option<String>,
    /// Whether automatic collection charges the customer's default payment method for this
    /// subscription's invoices; when false they wait to be paid another way.
    pub automatic_payment: bool,
}

/// Relations of a subscription.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Its items.
    #[sea_orm(has_many = "super::subscription_item::Entity")]
    Items,
}

impl Related<super::subscription_item::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Items.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
