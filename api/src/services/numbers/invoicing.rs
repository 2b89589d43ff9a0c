//! Calls on invoices: the rated calls of a subscription's numbers not yet invoiced, from before
//! the end of its current period, summed per number and service period — one line per number
//! ("Calls from +33184880000: 42 calls, 97 min billed"), billed in arrears on the period
//! invoice beside the numbers' rental. Each call was rated and rounded at ingestion; a line is
//! the exact sum of its calls ([`billing::CallSummary`]).
//!
//! This mirrors metered usage ([`crate::services::usage::invoicing`]): upcoming charges read the
//! calls ([`unbilled`]); the billing run takes them ([`take_unbilled`]) with one
//! `UPDATE … RETURNING` in the finalising transaction, so a call that arrives meanwhile is on
//! this invoice or left for the next, never both and never neither. A call that arrives for a
//! period already invoiced goes on the next invoice as a line with its own service period.
//!
//! Unrated calls (no prefix of the tariff matched) are not billed: they wait, listed for staff,
//! until a re-rating prices them; the next invoice then bills them in their own period.

use std::collections::{BTreeMap, HashMap};

use billing::{CallSummary, Currency, Money, Period};
use chrono::{DateTime, Utc};
use entity::{call_record, phone_number};
use ids::{CustomerId, InvoiceId, PhoneNumberId, SubscriptionItemId};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::error::{ServiceError, ServiceResult};
use crate::services::catalog;
use crate::services::usage::invoicing::ServicePeriods;

/// Ids per `IN (…)` list.
const IDS_PER_QUERY: usize = 1_000;

/// One rated call as billing needs it.
#[derive(Clone, Debug)]
pub struct CallRow {
    /// The number.
    pub number: PhoneNumberId,
    /// When it started: it belongs to the period holding this instant.
    pub started_at: DateTime<Utc>,
    /// Seconds billed after the increment.
    pub billed_seconds: i64,
    /// Its cost in minor units, rounded when it was rated.
    pub amount_minor: i64,
    /// ISO 4217 code of `amount_minor`.
    pub currency: String,
}

/// The calls of one number over one service period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallTotal {
    /// The number.
    pub number: PhoneNumberId,
    /// Its E.164 text, for the line.
    pub e164: String,
    /// The item billing the number's rental: its product and tax rate are the line's.
    pub item: SubscriptionItemId,
    /// The period the calls were made in.
    pub period: Period,
    /// The calls, summed call by call.
    pub summary: CallSummary,
}

/// The numbers sold to a customer.
pub async fn numbers_of<C: ConnectionTrait>(
    conn: &C,
    customer: CustomerId,
) -> ServiceResult<Vec<phone_number::Model>> {
    Ok(phone_number::Entity::find()
        .filter(phone_number::Column::CustomerId.eq(customer))
        .all(conn)
        .await?)
}

/// A call's columns as [`COLUMNS`] reads them: number, start, billed seconds, amount, currency.
type StoredCall = (
    PhoneNumberId,
    DateTime<Utc>,
    Option<i64>,
    Option<i64>,
    String,
);

const COLUMNS: [call_record::Column; 5] = [
    call_record::Column::PhoneNumberId,
    call_record::Column::StartedAt,
    call_record::Column::BilledSeconds,
    call_record::Column::AmountMinor,
    call_record::Column::Currency,
];

/// The rated calls of `numbers` not yet invoiced, from before `cutoff`.
pub async fn unbilled<C: ConnectionTrait>(
    conn: &C,
    numbers: &[PhoneNumberId],
    cutoff: DateTime<Utc>,
) -> ServiceResult<Vec<CallRow>> {
    let mut rows = Vec::new();
    for chunk in numbers.chunks(IDS_PER_QUERY) {
        let found: Vec<StoredCall> = call_record::Entity::find()
            .select_only()
            .columns(COLUMNS)
            .filter(call_record::Column::PhoneNumberId.is_in(chunk.iter().copied()))
            .filter(call_record::Column::InvoiceId.is_null())
            .filter(call_record::Column::TariffVersionId.is_not_null())
            .filter(call_record::Column::StartedAt.lt(cutoff))
            .into_tuple()
            .all(conn)
            .await?;
        for (number, started_at, billed, amount, currency) in found {
            rows.push(row(number, started_at, billed, amount, currency)?);
        }
    }
    Ok(rows)
}

/// Marks the rated calls of `numbers` not yet invoiced, from before `cutoff`, as billed by
/// `invoice`, and returns exactly those calls.
pub async fn take_unbilled<C: ConnectionTrait>(
    txn: &C,
    numbers: &[PhoneNumberId],
    cutoff: DateTime<Utc>,
    invoice: InvoiceId,
) -> ServiceResult<Vec<CallRow>> {
    let mut rows = Vec::new();
    for chunk in numbers.chunks(IDS_PER_QUERY) {
        let update = Query::update()
            .table(call_record::Entity)
            .value(call_record::Column::InvoiceId, invoice)
            .and_where(call_record::Column::PhoneNumberId.is_in(chunk.iter().copied()))
            .and_where(call_record::Column::InvoiceId.is_null())
            .and_where(call_record::Column::TariffVersionId.is_not_null())
            .and_where(call_record::Column::StartedAt.lt(cutoff))
            .returning(Query::returning().columns(COLUMNS))
            .to_owned();
        for found in txn.query_all(&update).await? {
            rows.push(row(
                found.try_get("", "phone_number_id")?,
                found.try_get("", "started_at")?,
                found.try_get("", "billed_seconds")?,
                found.try_get("", "amount_minor")?,
                found.try_get("", "currency")?,
            )?);
        }
    }
    Ok(rows)
}

/// Gives back the calls `invoice` took, when its invoice is not written after all.
pub async fn release<C: ConnectionTrait>(txn: &C, invoice: InvoiceId) -> ServiceResult<()> {
    call_record::Entity::update_many()
        .col_expr(
            call_record::Column::InvoiceId,
            Expr::value(Option::<InvoiceId>::None),
        )
        .filter(call_record::Column::InvoiceId.eq(invoice))
        .exec(txn)
        .await?;
    Ok(())
}

fn row(
    number: PhoneNumberId,
    started_at: DateTime<Utc>,
    billed_seconds: Option<i64>,
    amount_minor: Option<i64>,
    currency: String,
) -> ServiceResult<CallRow> {
    // Only rated calls are selected: a rated call without its rating is a corrupt row.
    let (Some(billed_seconds), Some(amount_minor)) = (billed_seconds, amount_minor) else {
        return Err(ServiceError::corrupt(
            "call rating",
            "a rated call without billed seconds or amount",
        ));
    };
    Ok(CallRow {
        number,
        started_at,
        billed_seconds,
        amount_minor,
        currency,
    })
}

/// Sums `rows` per number and service period, in `currency` (the invoice's: a call in another
/// currency is refused, as adding a number refuses a tariff in another currency). Ordered by
/// period, then number.
pub fn totals(
    periods: &ServicePeriods,
    numbers: &[phone_number::Model],
    rows: &[CallRow],
    currency: Currency,
) -> ServiceResult<Vec<CallTotal>> {
    let by_id: HashMap<PhoneNumberId, &phone_number::Model> =
        numbers.iter().map(|n| (n.id, n)).collect();
    let mut sums: BTreeMap<(chrono::NaiveDate, String), CallTotal> = BTreeMap::new();
    for call in rows {
        let number = by_id
            .get(&call.number)
            .ok_or_else(|| ServiceError::internal("a call of a number not on the subscription"))?;
        let period = periods.containing(call.started_at)?;
        let cost = Money::from_minor(call.amount_minor, catalog::rows::currency(&call.currency)?);
        let billed = u64::try_from(call.billed_seconds)
            .map_err(|_| ServiceError::corrupt("billed seconds", call.billed_seconds))?;
        let total = sums
            .entry((period.start(), number.e164.clone()))
            .or_insert_with(|| CallTotal {
                number: number.id,
                e164: number.e164.clone(),
                item: number.subscription_item_id,
                period,
                summary: CallSummary::new(currency),
            });
        total
            .summary
            .add(billed, cost)
            .map_err(|e| ServiceError::internal(format!("calls of {}: {e}", number.e164)))?;
    }
    Ok(sums.into_values().collect())
}
