//! The selection's sums, computed by the database in one query: records grouped by local day
//! and item. The days are a `VALUES` list of `[local midnight, next local midnight)` ranges
//! joined to the records, so each day is an index range scan and a day is the customer's day
//! whatever the time zone (DST days have 23 or 25 hours); neither database needs a time zone
//! table.
//!
//! Quantities are exact decimal text, summed exactly: PostgreSQL casts to `NUMERIC`; SQLite
//! (whose `SUM` of text is a float) sums the whole part and the fractional part in
//! 10⁻¹² units as two integers, the most decimals a quantity has
//! ([`crate::services::usage::ingest::MAX_QUANTITY_DECIMALS`]). Totals and the series are then
//! added up from the day groups with `Decimal`, never a float.

use std::collections::BTreeMap;

use billing::{Decimal, Money, local_midnight};
use chrono::NaiveDate;
use ids::SubscriptionItemId;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use super::{Selection, amount_of};
use crate::error::{ServiceError, ServiceResult};
use crate::services::usage::ingest::MAX_QUANTITY_DECIMALS;

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
}

impl Summary {
    /// Records in the selection, all items together.
    pub fn records(&self) -> u64 {
        self.totals.iter().map(|t| t.records).sum()
    }
}

/// Sums `selection` in the database: see the module.
pub async fn summary<C: ConnectionTrait>(db: &C, selection: &Selection) -> ServiceResult<Summary> {
    let backend = db.get_database_backend();
    let (sql, values) = statement(backend, selection);
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let days: Vec<NaiveDate> = selection.days().collect();
    // (item, day index) -> (records, quantity)
    let mut groups: BTreeMap<(SubscriptionItemId, usize), (u64, Decimal)> = BTreeMap::new();
    for row in rows {
        let day: i32 = row.try_get("", "day")?;
        let item: SubscriptionItemId = row.try_get("", "item")?;
        let records: i64 = row.try_get("", "records")?;
        let quantity = match backend {
            DbBackend::Postgres => {
                let text: String = row.try_get("", "total")?;
                text.parse::<Decimal>()
                    .map_err(|e| ServiceError::corrupt("usage total", e))?
            }
            _ => {
                let whole: i64 = row.try_get("", "whole")?;
                let fraction: i64 = row.try_get("", "fraction")?;
                Decimal::from(whole)
                    .checked_add(Decimal::new(fraction, MAX_QUANTITY_DECIMALS))
                    .ok_or_else(|| ServiceError::internal("usage total overflow"))?
            }
        };
        let day = usize::try_from(day).map_err(|e| ServiceError::corrupt("day index", e))?;
        groups.insert(
            (item, day),
            (u64::try_from(records).unwrap_or(0), quantity.normalize()),
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

/// The aggregate statement and its values for `backend`.
fn statement(backend: DbBackend, selection: &Selection) -> (String, Vec<Value>) {
    let mut values: Vec<Value> = Vec::new();
    let mut bind = |value: Value| {
        values.push(value);
        match backend {
            DbBackend::Postgres => format!("${}", values.len()),
            _ => "?".to_owned(),
        }
    };
    let mut days = Vec::new();
    for (index, day) in selection.days().enumerate() {
        let index = i32::try_from(index).unwrap_or(i32::MAX);
        let start = local_midnight(day, selection.tz);
        let end = local_midnight(day + chrono::Duration::days(1), selection.tz);
        days.push(format!(
            "({}, {}, {})",
            bind(index.into()),
            bind(start.into()),
            bind(end.into())
        ));
    }
    let mut filters = vec![format!(
        "r.customer_id = {}",
        bind(selection.customer.into())
    )];
    if let Some((team, _)) = &selection.team {
        filters.push(format!("r.team_id = {}", bind((*team).into())));
    }
    if let Some((member, _)) = &selection.member {
        filters.push(format!("r.member_id = {}", bind((*member).into())));
    }
    if let Some(item) = selection.item {
        filters.push(format!("r.subscription_item_id = {}", bind(item.into())));
    }
    if let Some(number) = &selection.number {
        filters.push(format!("r.number = {}", bind(number.clone().into())));
    }
    let sums = match backend {
        DbBackend::Postgres => "CAST(SUM(CAST(r.quantity AS NUMERIC)) AS TEXT) AS total".to_owned(),
        _ => format!(
            "SUM(CAST(r.quantity AS INTEGER)) AS whole, \
             SUM(CASE WHEN instr(r.quantity, '.') > 0 \
                 THEN CAST(substr(substr(r.quantity, instr(r.quantity, '.') + 1) || '{zeros}', 1, {n}) AS INTEGER) \
                 ELSE 0 END) AS fraction",
            zeros = "0".repeat(MAX_QUANTITY_DECIMALS as usize),
            n = MAX_QUANTITY_DECIMALS,
        ),
    };
    let sql = format!(
        "WITH d(day, lo, hi) AS (VALUES {days}) \
         SELECT d.day AS day, r.subscription_item_id AS item, COUNT(*) AS records, {sums} \
         FROM d JOIN usage_records r ON r.from_at >= d.lo AND r.from_at < d.hi \
         WHERE {filters} \
         GROUP BY d.day, r.subscription_item_id",
        days = days.join(", "),
        filters = filters.join(" AND "),
    );
    (sql, values)
}
