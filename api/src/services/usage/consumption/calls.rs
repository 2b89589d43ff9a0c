//! The calls of a selection: the call records of the customer's numbers (rated at ingestion,
//! [`crate::services::numbers::calls`]) in the selection's days, with its totals, a per-day
//! series and a page of calls.
//!
//! A call carries a number but no team, member or metered item: a selection filtered by one of
//! those holds no calls, and a number filter selects the calls of that number only when it is
//! one of the customer's (a number of another customer, or none, selects no calls — exactly as
//! for a number nothing was recorded from: no answer tells whose a number is).
//!
//! Totals and the series are summed in SQL (one query grouping the calls by quarter of an hour
//! of their start — every time zone's offset is a whole number of quarters, so each group lies
//! within one local day), then added up by [`billing::CallSummary`] in the selection's
//! currency: amounts are the sum of each call's rounded cost, as the invoice's calls lines.

use std::collections::HashMap;

use billing::{CallSummary, local_date};
use chrono::{DateTime, NaiveDate, Utc};
use entity::call_record;
use ids::{PhoneNumberId, SubscriptionItemId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect};

use super::Selection;
use crate::error::{ServiceError, ServiceResult};
use crate::services::catalog;
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};

/// Calls in order of their start: `(started_at, id)`, oldest first. The table and every
/// export read it.
pub(super) const CALLS: Keyset<call_record::Entity> = Keyset {
    list: "consumptionCalls",
    columns: &[
        (call_record::Column::StartedAt, KeyKind::Time),
        (call_record::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |c| time_key(c.started_at, c.id),
};

/// Seconds per group of the totals query: a quarter of an hour.
const BUCKET_SECONDS: i64 = 900;

/// One of the customer's numbers, as consumption names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerNumber {
    /// The number.
    pub id: PhoneNumberId,
    /// E.164.
    pub e164: String,
    /// The item billing its rental (its calls are billed beside it).
    pub item: SubscriptionItemId,
}

/// The calls of a selection, summed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallTotals {
    /// Every call, rated or not.
    pub calls: u64,
    /// Calls no rate of their tariff matched yet (no cost; staff re-rate them).
    pub unrated: u64,
    /// The rated calls: how many, their billed seconds, their summed cost.
    pub rated: CallSummary,
    /// Every day of the selection, in order, with its rated calls (zero when none).
    pub days: Vec<(NaiveDate, CallSummary)>,
}

/// One call as the table and the exports show it.
#[derive(Clone, Debug)]
pub struct CallLine {
    /// The row.
    pub row: call_record::Model,
    /// Its number, E.164.
    pub number: String,
}

impl CallLine {
    /// Its cost, when rated.
    pub fn amount(&self) -> ServiceResult<Option<billing::Money>> {
        let currency = catalog::rows::currency(&self.row.currency)?;
        Ok(self
            .row
            .amount_minor
            .map(|minor| billing::Money::from_minor(minor, currency)))
    }
}

/// The SQL of a call's quarter of an hour since the epoch, per database.
fn bucket(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "CAST(FLOOR(EXTRACT(EPOCH FROM started_at) / 900) AS BIGINT)",
        _ => "CAST(strftime('%s', started_at) AS INTEGER) / 900",
    }
}

/// Sums the selection's calls (see the module); `None` when the selection holds no calls by
/// its filters.
pub async fn totals<C: ConnectionTrait>(
    db: &C,
    selection: &Selection,
) -> ServiceResult<Option<CallTotals>> {
    if !selection.includes_calls() {
        return Ok(None);
    }
    let bucket = bucket(db.get_database_backend());
    let rows: Vec<(i64, String, i64, i64, i64, i64)> = selection
        .calls()
        .select_only()
        .expr(Expr::cust(bucket))
        .column(call_record::Column::Currency)
        .expr(Expr::cust("CAST(COUNT(*) AS BIGINT)"))
        .expr(Expr::cust("CAST(COUNT(amount_minor) AS BIGINT)"))
        // An unrated call has no billed seconds (null, like its amount).
        .expr(Expr::cust(
            "CAST(COALESCE(SUM(billed_seconds), 0) AS BIGINT)",
        ))
        .expr(Expr::cust("CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT)"))
        .group_by(Expr::cust(bucket))
        .group_by(call_record::Column::Currency)
        .into_tuple()
        .all(db)
        .await?;
    let zero = CallSummary::new(selection.currency);
    let mut totals = CallTotals {
        calls: 0,
        unrated: 0,
        rated: zero,
        days: selection.days().map(|d| (d, zero)).collect(),
    };
    for (quarter, currency, calls, rated, billed_seconds, amount) in rows {
        let start = DateTime::<Utc>::from_timestamp(quarter * BUCKET_SECONDS, 0)
            .ok_or_else(|| ServiceError::corrupt("call start", quarter))?;
        let index = usize::try_from((local_date(start, selection.tz) - selection.from).num_days())
            .map_err(|e| ServiceError::corrupt("call day", e))?;
        let count = |n: i64| u64::try_from(n).map_err(|e| ServiceError::corrupt("call count", e));
        let cost = billing::Money::from_minor(amount, catalog::rows::currency(&currency)?);
        let (calls, rated, billed) = (count(calls)?, count(rated)?, count(billed_seconds)?);
        totals.calls += calls;
        totals.unrated += calls - rated;
        let summed = |summary: &mut CallSummary| {
            summary
                .add_summed(rated, billed, cost)
                .map_err(|e| ServiceError::internal(format!("the selection's calls: {e}")))
        };
        summed(&mut totals.rated)?;
        if let Some((_, day)) = totals.days.get_mut(index) {
            summed(day)?;
        }
    }
    Ok(Some(totals))
}

/// One page of the selection's calls, oldest first (an empty page when the selection holds no
/// calls by its filters).
pub async fn page<C: ConnectionTrait>(
    db: &C,
    selection: &Selection,
    request: &PageRequest,
) -> ServiceResult<Page<CallLine>> {
    let rows = fetch_page(db, selection.calls(), &CALLS, request).await?;
    let numbers: HashMap<PhoneNumberId, &str> = selection
        .numbers
        .iter()
        .map(|n| (n.id, n.e164.as_str()))
        .collect();
    Ok(rows.map(|row| CallLine {
        number: numbers
            .get(&row.phone_number_id)
            .map_or_else(String::new, |n| (*n).to_owned()),
        row,
    }))
}

/// The customer's numbers, oldest first.
pub(super) async fn numbers_of<C: ConnectionTrait>(
    db: &C,
    customer: ids::CustomerId,
) -> ServiceResult<Vec<CustomerNumber>> {
    use entity::phone_number;
    use sea_orm::QueryOrder;
    let rows: Vec<(PhoneNumberId, String, SubscriptionItemId)> = phone_number::Entity::find()
        .select_only()
        .columns([
            phone_number::Column::Id,
            phone_number::Column::E164,
            phone_number::Column::SubscriptionItemId,
        ])
        .filter(phone_number::Column::CustomerId.eq(customer))
        .order_by_asc(phone_number::Column::CreatedAt)
        .order_by_asc(phone_number::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, e164, item)| CustomerNumber { id, e164, item })
        .collect())
}
