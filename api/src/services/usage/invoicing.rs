//! Usage on invoices: a subscription's metered items' records not yet invoiced, from before the
//! end of its current period, summed exactly per item and service period. Usage is billed in
//! arrears: the invoice built at the end of a period bills that period's usage; records that
//! arrive for a period already invoiced go on the next invoice, as a line of their own with
//! their own service period — never lost, never twice.
//!
//! The billing run takes the records ([`take_unbilled`]): one `UPDATE … RETURNING` marks
//! exactly the records it then sums ([`totals`]), in the finalising transaction, so a record
//! that arrives meanwhile is either on this invoice or left for the next, never both and never
//! neither. Upcoming charges read the running daily totals instead ([`upcoming`], see
//! [`days`]), which count the same records by the same local days, so the preview and the
//! invoice agree without a request reading every record of the period.

use std::collections::BTreeMap;

use billing::{BillingCycle, Decimal, Period, Tz, local_date, local_midnight};
use chrono::{DateTime, Utc};
use entity::{subscription, usage_record};
use ids::{InvoiceId, SubscriptionItemId};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::error::{ServiceError, ServiceResult};
use crate::services::usage::days::{self, Counted, DayTotals, Units};
use crate::services::{catalog, subscriptions};

/// Ids per `IN (…)` list.
const IDS_PER_QUERY: usize = 1_000;

/// The usage of one item over one service period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageTotal {
    /// The metered item.
    pub item: SubscriptionItemId,
    /// The period the usage was recorded in (by the local date of each record's `from`).
    pub period: Period,
    /// The exact sum of the records' quantities.
    pub quantity: Decimal,
    /// For a period already invoiced (late usage), the usage of the item in that period that
    /// invoices already billed ([`add_billed`]); zero for the current period.
    pub already_billed: Decimal,
}

/// One record as billing needs it.
#[derive(Clone, Debug)]
pub struct UsageRow {
    /// The item.
    pub item: SubscriptionItemId,
    /// Exact decimal text.
    pub quantity: String,
    /// Start of the span.
    pub from: DateTime<Utc>,
}

/// The instant before which a subscription's next invoice bills usage: the end of its current
/// period, at midnight in the customer's time zone.
pub fn cutoff(subscription: &subscription::Model, tz: Tz) -> DateTime<Utc> {
    local_midnight(subscription.current_period_end, tz)
}

/// What upcoming charges show of `items`: their usage not yet invoiced, from before the end of
/// the subscription's current period, summed per item and service period, with what invoices
/// already billed of a late period. Read from the running daily totals ([`days`]), a few rows
/// per item and day, never the records; the billing run sums the records it takes
/// ([`take_unbilled`], [`totals`]) and agrees with this by construction of the totals.
pub async fn upcoming<C: ConnectionTrait>(
    conn: &C,
    subscription: &subscription::Model,
    tz: Tz,
    items: &[SubscriptionItemId],
) -> ServiceResult<Vec<UsageTotal>> {
    let periods = ServicePeriods::of(subscription, tz)?;
    let mut sums: BTreeMap<(chrono::NaiveDate, SubscriptionItemId), (Period, Units)> =
        BTreeMap::new();
    for ((item, day), left) in days::unbilled(conn, items, subscription.current_period_end).await? {
        let period = periods.containing_day(day)?;
        let entry = sums
            .entry((period.start(), item))
            .or_insert((period, Units::default()));
        entry.1 = entry.1.plus(left)?;
    }
    let current = subscriptions::rows::current_period(subscription)?;
    let mut totals = Vec::with_capacity(sums.len());
    for ((_, item), (period, units)) in sums {
        let quantity = units.to_decimal()?;
        let already_billed = if period.start() < current.start() {
            let (from, until) = period_days(subscription, period);
            days::billed_between(conn, item, from, until).await?
        } else {
            Decimal::ZERO
        };
        totals.push(UsageTotal {
            item,
            period,
            quantity,
            already_billed,
        });
    }
    Ok(totals)
}

/// The local days of a service period, `from..until`: no lower bound for the first period,
/// which also holds records dated before the subscription started.
fn period_days(
    subscription: &subscription::Model,
    period: Period,
) -> (Option<chrono::NaiveDate>, chrono::NaiveDate) {
    let from = (period.start() > subscription.anchor_date).then(|| period.start());
    (from, period.end())
}

/// Marks the records of `items` not yet invoiced, from before `cutoff`, as billed by `invoice`,
/// and returns exactly those records; the running daily totals count them billed in the same
/// transaction (`tz`: the customer's zone, whose days they are kept by).
pub async fn take_unbilled<C: ConnectionTrait>(
    txn: &C,
    items: &[SubscriptionItemId],
    cutoff: DateTime<Utc>,
    invoice: InvoiceId,
    tz: Tz,
) -> ServiceResult<Vec<UsageRow>> {
    let mut rows = Vec::new();
    let mut billed = DayTotals::default();
    for chunk in items.chunks(IDS_PER_QUERY) {
        let update = Query::update()
            .table(usage_record::Entity)
            .value(usage_record::Column::InvoiceId, invoice)
            .and_where(usage_record::Column::SubscriptionItemId.is_in(chunk.iter().copied()))
            .and_where(usage_record::Column::InvoiceId.is_null())
            .and_where(usage_record::Column::FromAt.lt(cutoff))
            .returning(Query::returning().columns(COUNTED))
            .to_owned();
        rows.extend(counted_rows(
            txn.query_all(&update).await?,
            &mut billed,
            tz,
        )?);
    }
    days::bill(txn, &billed).await?;
    Ok(rows)
}

/// Gives back the records `invoice` took, when its invoice is not written after all, and takes
/// them off the billed daily totals.
pub async fn release<C: ConnectionTrait>(txn: &C, invoice: InvoiceId, tz: Tz) -> ServiceResult<()> {
    let update = Query::update()
        .table(usage_record::Entity)
        .value(
            usage_record::Column::InvoiceId,
            Expr::value(Option::<InvoiceId>::None),
        )
        .and_where(usage_record::Column::InvoiceId.eq(invoice))
        .returning(Query::returning().columns(COUNTED))
        .to_owned();
    let mut given_back = DayTotals::default();
    counted_rows(txn.query_all(&update).await?, &mut given_back, tz)?;
    days::bill(txn, &given_back.negated()?).await
}

/// The columns a taken or released record is read back with.
const COUNTED: [usage_record::Column; 7] = [
    usage_record::Column::CustomerId,
    usage_record::Column::SubscriptionItemId,
    usage_record::Column::Quantity,
    usage_record::Column::FromAt,
    usage_record::Column::TeamId,
    usage_record::Column::MemberId,
    usage_record::Column::Number,
];

/// The rows of a `RETURNING` [`COUNTED`], counted into `totals`.
fn counted_rows(
    found: Vec<sea_orm::QueryResult>,
    totals: &mut DayTotals,
    tz: Tz,
) -> ServiceResult<Vec<UsageRow>> {
    let mut rows = Vec::with_capacity(found.len());
    for row in found {
        let number: Option<String> = row.try_get("", "number")?;
        let usage = UsageRow {
            item: row.try_get("", "subscription_item_id")?,
            quantity: row.try_get("", "quantity")?,
            from: row.try_get("", "from_at")?,
        };
        totals.add(
            Counted {
                customer: row.try_get("", "customer_id")?,
                item: usage.item,
                from: usage.from,
                team: row.try_get("", "team_id")?,
                member: row.try_get("", "member_id")?,
                number: number.as_deref(),
                quantity: &usage.quantity,
            },
            tz,
        )?;
        rows.push(usage);
    }
    Ok(rows)
}

/// Which billing period a record belongs to, by the local date of its instant: records from the
/// subscription's current period are that period's; earlier ones (arrived after their period was
/// invoiced) are the billing period holding their local date.
pub struct ServicePeriods {
    current: Period,
    cycle: BillingCycle,
    anchor: chrono::NaiveDate,
    tz: Tz,
}

impl ServicePeriods {
    /// The periods of `subscription`, dates read in the customer's zone `tz`.
    pub fn of(subscription: &subscription::Model, tz: Tz) -> ServiceResult<Self> {
        let interval =
            catalog::rows::interval(subscription.interval_unit, subscription.interval_count)?;
        Ok(Self {
            current: subscriptions::rows::current_period(subscription)?,
            cycle: BillingCycle::new(subscription.anchor_date, interval),
            anchor: subscription.anchor_date,
            tz,
        })
    }

    /// The service period of a record from `at`.
    pub fn containing(&self, at: DateTime<Utc>) -> ServiceResult<Period> {
        self.containing_day(local_date(at, self.tz))
    }

    /// The service period of a record from the local day `date`.
    pub fn containing_day(&self, date: chrono::NaiveDate) -> ServiceResult<Period> {
        if date >= self.current.start() {
            return Ok(self.current);
        }
        // Records dated before the subscription started count in its first period.
        let period = self
            .cycle
            .period_containing(date.max(self.anchor))
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        // A period of the cycle that overlaps the current one (a trial) is the current one.
        Ok(if period.end() > self.current.start() {
            self.current
        } else {
            period
        })
    }
}

/// Sums `rows` per item and service period ([`ServicePeriods`]). Ordered by period, then item.
pub fn totals(
    subscription: &subscription::Model,
    tz: Tz,
    rows: &[UsageRow],
) -> ServiceResult<Vec<UsageTotal>> {
    let periods = ServicePeriods::of(subscription, tz)?;
    let mut sums: BTreeMap<(chrono::NaiveDate, SubscriptionItemId), (Period, Decimal)> =
        BTreeMap::new();
    for row in rows {
        let period = periods.containing(row.from)?;
        let quantity: Decimal = row
            .quantity
            .parse()
            .map_err(|e| ServiceError::corrupt("usage quantity", e))?;
        let entry = sums
            .entry((period.start(), row.item))
            .or_insert((period, Decimal::ZERO));
        entry.1 = entry
            .1
            .checked_add(quantity)
            .ok_or_else(|| ServiceError::internal("usage total overflow"))?;
    }
    Ok(sums
        .into_iter()
        .map(|((_, item), (period, quantity))| UsageTotal {
            item,
            period,
            quantity,
            already_billed: Decimal::ZERO,
        })
        .collect())
}

/// Fills in [`UsageTotal::already_billed`] for the totals of periods before the current one
/// (late usage) that invoice `taking` is billing: the exact sum of the item's records in that
/// period (by the local date of `from`, as [`totals`] assigns them) that other invoices billed
/// (the just-taken records are the late ones themselves). Billing then prices the period's
/// whole total less what was billed, so tiers, steps and packs apply to the period as a whole
/// however late its usage arrives.
pub async fn add_billed<C: ConnectionTrait>(
    conn: &C,
    subscription: &subscription::Model,
    tz: Tz,
    totals: &mut [UsageTotal],
    taking: InvoiceId,
) -> ServiceResult<()> {
    let current = subscriptions::rows::current_period(subscription)?;
    for total in totals
        .iter_mut()
        .filter(|t| t.period.start() < current.start())
    {
        let (from, until) = period_days(subscription, total.period);
        let mut query = usage_record::Entity::find()
            .select_only()
            .column(usage_record::Column::Quantity)
            .filter(usage_record::Column::SubscriptionItemId.eq(total.item))
            .filter(usage_record::Column::InvoiceId.is_not_null())
            .filter(usage_record::Column::InvoiceId.ne(taking))
            .filter(usage_record::Column::FromAt.lt(local_midnight(until, tz)));
        if let Some(from) = from {
            query = query.filter(usage_record::Column::FromAt.gte(local_midnight(from, tz)));
        }
        let quantities: Vec<String> = query.into_tuple().all(conn).await?;
        let mut billed = Decimal::ZERO;
        for q in quantities {
            let q: Decimal = q
                .parse()
                .map_err(|e| ServiceError::corrupt("usage quantity", e))?;
            billed = billed
                .checked_add(q)
                .ok_or_else(|| ServiceError::internal("usage total overflow"))?;
        }
        total.already_billed = billed;
    }
    Ok(())
}
