//! The selection's sums, read from the running daily totals (`usage_days`, see
//! [`crate::services::usage::days`]): one query grouping the selection's rows by local day and
//! item, a few rows per day and member whatever the number of records. The days are the
//! customer's days (the totals are kept by the local date of each record's `from`), so a
//! selection's range is a range of `day`, and every filter (team, member, number, item) is a
//! column of the totals.
//!
//! Quantities are exact: the database adds whole parts and 10⁻¹² fractions as integers, and
//! totals and the series are added up from the day groups with `Decimal`, never a float.

use std::collections::BTreeMap;

use billing::{Decimal, Money};
use chrono::NaiveDate;
use entity::usage_day;
use ids::SubscriptionItemId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{Selection, amount_of};
use crate::error::{ServiceError, ServiceResult};
use crate::services::usage::days::Units;

/// One item's total over the selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemTotal {
    /// The metered item.
    pub item: SubscriptionItemId,
    /// Its product's name.
    pub product: String,
    /// Records summed.
    pub records: u64,
    /// The exact sum of their quantities.
    pub quantity: Decimal,
    /// What that quantity costs at the item's price, rounded like an invoice line; `None` when
    /// the price gives a part of a period no amount of its own (see
    /// [`billing::selection_amount`]).
    pub amount: Option<Money>,
}

/// One item's quantity per day of the selection, every day present (zero when unused).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemSeries {
    /// The metered item.
    pub item: SubscriptionItemId,
    /// Its product's name.
    pub product: String,
    /// `(day, quantity)` for every day of the range, in order.
    pub points: Vec<(NaiveDate, Decimal)>,
}

/// Totals and series of a selection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// One per item with records in the selection, in the order of the customer's items.
    pub totals: Vec<ItemTotal>,
    /// One per item of `totals`, same order.
    pub series: Vec<ItemSeries>,
    /// The calls' totals and series; `None` when the selection holds no calls by its filters
    /// (see [`super::calls`]).
    pub calls: Option<super::CallTotals>,
}

impl Summary {
    /// Usage records in the selection, all items together.
    pub fn records(&self) -> u64 {
        self.totals.iter().map(|t| t.records).sum()
    }

    /// Calls in the selection, rated or not.
    pub fn calls(&self) -> u64 {
        self.calls.as_ref().map_or(0, |c| c.calls)
    }

    /// Rows an export of the selection holds: its records, then its calls.
    pub fn rows(&self) -> u64 {
        self.records() + self.calls()
    }
}

/// Sums `selection` in the database: see the module.
pub async fn summary<C: ConnectionTrait>(db: &C, selection: &Selection) -> ServiceResult<Summary> {
    use usage_day::Column as C;
    let mut query = usage_day::Entity::find()
        .select_only()
        .columns([C::Day, C::SubscriptionItemId])
        .expr(Expr::cust("CAST(SUM(records) AS BIGINT)"))
        .expr(Expr::cust("CAST(SUM(whole) AS BIGINT)"))
        .expr(Expr::cust("CAST(SUM(fraction) AS BIGINT)"))
        .filter(C::CustomerId.eq(selection.customer))
        .filter(C::Day.gte(selection.from))
        .filter(C::Day.lte(selection.to))
        .group_by(C::Day)
        .group_by(C::SubscriptionItemId);
    if let Some((team, _)) = &selection.team {
        query = query.filter(C::TeamId.eq(*team));
    }
    if let Some((member, _)) = &selection.member {
        query = query.filter(C::MemberId.eq(*member));
    }
    if let Some(item) = selection.item {
        query = query.filter(C::SubscriptionItemId.eq(item));
    }
    if let Some(number) = &selection.number {
        query = query.filter(C::Number.eq(number.clone()));
    }
    let rows: Vec<(NaiveDate, SubscriptionItemId, i64, i64, i64)> =
        query.into_tuple().all(db).await?;
    let days: Vec<NaiveDate> = selection.days().collect();
    // (item, day index) -> (records, quantity)
    let mut groups: BTreeMap<(SubscriptionItemId, usize), (u64, Decimal)> = BTreeMap::new();
    for (day, item, records, whole, fraction) in rows {
        let quantity = Units::summed(whole, fraction)?.to_decimal()?;
        let index = usize::try_from((day - selection.from).num_days())
            .map_err(|e| ServiceError::corrupt("day index", e))?;
        groups.insert(
            (item, index),
            (u64::try_from(records).unwrap_or(0), quantity),
        );
    }
    let mut summary = Summary::default();
    for item in &selection.items {
        let mut records = 0;
        let mut quantity = Decimal::ZERO;
        let mut points: Vec<(NaiveDate, Decimal)> =
            days.iter().map(|d| (*d, Decimal::ZERO)).collect();
        for ((_, day), (n, q)) in groups.range((item.id, 0)..=(item.id, usize::MAX)) {
            records += n;
            quantity = quantity
                .checked_add(*q)
                .ok_or_else(|| ServiceError::internal("usage total overflow"))?;
            if let Some(point) = points.get_mut(*day) {
                point.1 = *q;
            }
        }
        if records == 0 {
            continue;
        }
        summary.totals.push(ItemTotal {
            item: item.id,
            product: item.product.clone(),
            records,
            quantity: quantity.normalize(),
            amount: amount_of(item, quantity)?,
        });
        summary.series.push(ItemSeries {
            item: item.id,
            product: item.product.clone(),
            points,
        });
    }
    Ok(summary)
}
