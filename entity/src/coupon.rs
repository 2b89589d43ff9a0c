//! `coupons`: the operator's discount codes. A percent coupon keeps its rate as exact decimal
//! text; a fixed coupon keeps one amount per currency it can be used in, in minor units.

use chrono::NaiveDate;
use ids::CouponId;
use sea_orm::entity::prelude::*;

/// For how many invoices a coupon discounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CouponDuration {
    /// The first invoice only.
    #[sea_orm(string_value = "once")]
    Once,
    /// The first `duration_periods` invoices.
    #[sea_orm(string_value = "repeating")]
    Repeating,
    /// Every invoice.
    #[sea_orm(string_value = "forever")]
    Forever,
}

/// A coupon.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coupons")]
pub struct Model {
    /// UUIDv7, exposed as `cpn_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: CouponId,
    /// The code as staff typed it, shown on discount lines.
    pub code: String,
    /// The code lower-cased: unique, so codes are unique whatever their case.
    pub code_key: String,
    /// Name for staff ("Spring 2026 launch").
    pub name: String,
    /// Percent off as exact decimal text (e.g. `12.5`); `None` for a fixed-amount coupon.
    pub percent_off: Option<String>,
    /// Fixed amounts off, `{"EUR": 500, "GBP": 400}` (minor units); `None` for a percent coupon.
    pub amounts_off_minor: Option<Json>,
    /// How long it lasts.
    pub duration: CouponDuration,
    /// Invoices discounted, for a repeating coupon.
    pub duration_periods: Option<i32>,
    /// Product ids (`prod_…`) it is limited to, as a JSON array; `None`: the whole invoice.
    pub product_ids: Option<Json>,
    /// How many times it may be used in all, if limited.
    pub max_redemptions: Option<i32>,
    /// How many times it has been used: applied to a customer (removals do not give a
    /// redemption back) or on an invoice of one-time charges.
    pub redemptions: i32,
    /// Last day it may be applied, if limited (applications made before keep discounting).
    pub expires_on: Option<NaiveDate>,
    /// When staff archived it: it can no longer be applied.
    pub archived_at: Option<DateTimeUtc>,
    /// When it was created.
    pub created_at: DateTimeUtc,
}

/// Coupons have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
