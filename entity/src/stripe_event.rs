//! `stripe_events`: each Stripe webhook event applied, by its id, written in the transaction
//! that applied it: a second delivery of the same event finds it and changes nothing.

use sea_orm::entity::prelude::*;

/// An applied Stripe event.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stripe_events")]
pub struct Model {
    /// Stripe's `evt_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Its type (`payment_intent.succeeded`…).
    pub kind: String,
    /// The id of the object it was about (`pi_…`, `seti_…`, `ch_…`, `pm_…`, `mandate_…`).
    pub object: String,
    /// When we applied it.
    pub received_at: DateTimeUtc,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
