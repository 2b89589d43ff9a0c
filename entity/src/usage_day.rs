//! `usage_days`: running totals of usage per metered item, local day, team, member and number,
//! kept with the records (see the migration `m20261202_000086_create_usage_days`). Quantities
//! are a whole part and a fraction in 10⁻¹² units, exact.

use ids::{CustomerId, MemberId, SubscriptionItemId, TeamId};
use sea_orm::entity::prelude::*;

/// The totals of one item, day, team, member and number.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_days")]
pub struct Model {
    /// The metered item.
    #[sea_orm(primary_key, auto_increment = false)]
    pub subscription_item_id: SubscriptionItemId,
    /// The local day (customer's time zone) of the records' `from`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    /// Team, member and number as one key (`team|member|number`, empty when absent).
    #[sea_orm(primary_key, auto_increment = false)]
    pub dims: String,
    /// The customer (tenant).
    pub customer_id: CustomerId,
    /// The records' team, if any.
    pub team_id: Option<TeamId>,
    /// The records' member, if any.
    pub member_id: Option<MemberId>,
    /// The records' number, if any.
    pub number: Option<String>,
    /// Records counted.
    pub records: i64,
    /// Whole part of their quantities' sum.
    pub whole: i64,
    /// Fraction of that sum in 10⁻¹² units, below 10¹².
    pub fraction: i64,
    /// Records an invoice billed.
    pub billed_records: i64,
    /// Whole part of the billed records' sum.
    pub billed_whole: i64,
    /// Fraction of the billed sum in 10⁻¹² units, below 10¹².
    pub billed_fraction: i64,
}

/// Usage days have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
