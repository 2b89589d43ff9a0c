//! Usage on invoices: a subscription's metered items' records not yet invoiced, from before the
//! end of its current period, summed exactly per item and service period. Usage is billed in
//! arrears: the invoice built at the end of a period bills that period's usage; records that
//! arrive for a period already invoiced go on the next invoice, as a line of their own with
//! their own service period — never lost, never twice.
//!
//! Upcoming charges read the records ([`unbilled`]); the billing run takes them
//! ([`take_unbilled`]): one `UPDATE … RETURNING` marks exactly the records it then sums, in
//! the finalising transaction, so a record that arrives meanwhile is either on this invoice or
//! left for the next, never both and never neither. Both turn rows into totals with
//! [`totals`], so the preview and the invoice agree.

use std::collections::BTreeMap;

use billing::{BillingCycle, Decimal, Period, Tz, local_date, local_midnight};
use chrono::{DateTime, Utc};
use entity::{subscription, usage_record};
use ids::{InvoiceId, SubscriptionItemId};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::error::{ServiceError, ServiceResult};
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

/// The records of `items` not yet invoiced, from before `cutoff`.
pub async fn unbilled<C: ConnectionTrait>(
    conn: &C,
    items: &[SubscriptionItemId],
    cutoff: DateTime<Utc>,
) -> ServiceResult<Vec<UsageRow>> {
    let mut rows = Vec::new();
    for chunk in items.chunks(IDS_PER_QUERY) {
        let found: Vec<(SubscriptionItemId, String, DateTime<Utc>)> = usage_record::Entity::find()
            .select_only()
            .column(usage_record::Column::SubscriptionItemId)
            .column(usage_record::Column::Quantity)
            .column(usage_record::Column::FromAt)
            .filter(usage_record::Column::SubscriptionItemId.is_in(chunk.iter().copied()))
            .filter(usage_record::Column::InvoiceId.is_null())
            .filter(usage_record::Column::FromAt.lt(cutoff))
            .into_tuple()
            .all(conn)
            .await?;
        rows.extend(found.into_iter().map(|(item, quantity, from)| UsageRow {
            item,
            quantity,
            from,
        }));
    }
    Ok(rows)
}

/// Marks the records of `items` not yet invoiced, from before `cutoff`, as billed by `invoice`,
/// and returns exactly those records.
pub async fn take_unbilled<C: ConnectionTrait>(
    txn: &C,
    items: &[SubscriptionItemId],
    cutoff: DateTime<Utc>,
    invoice: InvoiceId,
) -> ServiceResult<Vec<UsageRow>> {
    let mut rows = Vec::new();
    for chunk in items.chunks(IDS_PER_QUERY) {
        let update = Query::update()
            .table(usage_record::Entity)
            .value(usage_record::Column::InvoiceId, invoice)
            .and_where(usage_record::Column::SubscriptionItemId.is_in(chunk.iter().copied()))
            .and_where(usage_record::Column::InvoiceId.is_null())
            .and_where(usage_record::Column::FromAt.lt(cutoff))
            .returning(Query::returning().columns([
                usage_record::Column::SubscriptionItemId,
                usage_record::Column::Quantity,
                usage_record::Column::FromAt,
            ]))
            .to_owned();
        for row in txn.query_all(&update).await? {
            rows.push(UsageRow {
                item: row.try_get("", "subscription_item_id")?,
                quantity: row.try_get("", "quantity")?,
                from: row.try_get("", "from_at")?,
            });
        }
    }
    Ok(rows)
}

/// Gives back the records `invoice` took, when its invoice is not written after all.
pub async fn release<C: ConnectionTrait>(txn: &C, invoice: InvoiceId) -> ServiceResult<()> {
    usage_record::Entity::update_many()
        .col_expr(
            usage_record::Column::InvoiceId,
            Expr::value(Option::<InvoiceId>::None),
        )
        .filter(usage_record::Column::InvoiceId.eq(invoice))
        .exec(txn)
        .await?;
    Ok(())
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
        let date = local_date(at, self.tz);
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
/// (late usage): the exact sum of the item's records in that period (by the local date of
/// `from`, as [`totals`] assigns them) that an invoice other than `taking` billed. `taking` is
/// the invoice being built, whose just-taken records are the late ones themselves. Billing then
/// prices the period's whole total less what was billed, so tiers, steps and packs apply to
/// the period as a whole however late its usage arrives.
pub async fn add_billed<C: ConnectionTrait>(
    conn: &C,
    subscription: &subscription::Model,
    tz: Tz,
    totals: &mut [UsageTotal],
    taking: Option<InvoiceId>,
) -> ServiceResult<()> {
    let current = subscriptions::rows::current_period(subscription)?;
    for total in totals
        .iter_mut()
        .filter(|t| t.period.start() < current.start())
    {
        let mut query = usage_record::Entity::find()
            .select_only()
            .column(usage_record::Column::Quantity)
            .filter(usage_record::Column::SubscriptionItemId.eq(total.item))
            .filter(usage_record::Column::InvoiceId.is_not_null())
            .filter(usage_record::Column::FromAt.lt(local_midnight(total.period.end(), tz)));
        // Records dated before the subscription started count in its first period.
        if total.period.start() > subscription.anchor_date {
            query = query
                .filter(usage_record::Column::FromAt.gte(local_midnight(total.period.start(), tz)));
        }
        if let Some(taking) = taking {
            query = query.filter(usage_record::Column::InvoiceId.ne(taking));
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
