//! Running daily totals of usage (`usage_days`): per metered item, local day, team, member and
//! number, everything recorded and what invoices took of it. Kept in the transaction that
//! writes or bills the records, so they always equal a sum over the records:
//!
//! - ingestion adds what it inserted ([`record`]);
//! - the billing run adds what it took to the billed counters, and takes it off again when the
//!   invoice is not written ([`bill`], [`DayTotals::negated`]).
//!
//! Upcoming charges ([`unbilled`], [`billed_between`]) and the consumption totals and chart
//! (`consumption::aggregate`) read these rows, a few per item and day, instead of summing every
//! record of a period on each request: a period's usage no longer makes the overview slower as
//! it grows. The invoice itself still bills the records it marks.
//!
//! A day is the local date of a record's `from` in its customer's time zone, which is fixed
//! when the customer is created. Quantities are [`Units`]: exact integers both databases add
//! in SQL, so concurrent batches add to the same row without reading it first.

use std::collections::BTreeMap;

use billing::{Decimal, Tz, local_date};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{customer, usage_day, usage_record};
use ids::{CustomerId, MemberId, SubscriptionItemId, TeamId, UsageRecordId};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::error::{ServiceError, ServiceResult};
use crate::services::accounts;

/// 10⁻¹² units per unit: a quantity has at most 12 decimals
/// ([`super::ingest::MAX_QUANTITY_DECIMALS`]).
pub const FRACTION_UNITS: i64 = 1_000_000_000_000;

/// Rows per insert statement (13 columns).
const ROWS_PER_STATEMENT: usize = 2_000;
/// Ids per `IN (…)` list.
const IDS_PER_QUERY: usize = 1_000;
/// Records read per query when rebuilding.
const REBUILD_CHUNK: u64 = 10_000;

/// An exact quantity as a whole part and a fraction in 10⁻¹² units, `0 ≤ fraction < 10¹²`
/// (the whole part is negative only for a negated total).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Units {
    /// The whole part (floor).
    pub whole: i64,
    /// The fraction, in 10⁻¹² units.
    pub fraction: i64,
}

impl Units {
    /// `quantity` in units; refused (internal error) beyond 12 decimals or `i64`.
    pub fn of(quantity: Decimal) -> ServiceResult<Self> {
        let scaled = quantity
            .checked_mul(Decimal::from(FRACTION_UNITS))
            .filter(|s| s.fract().is_zero())
            .ok_or_else(|| ServiceError::internal(format!("quantity {quantity} out of range")))?;
        let scaled = i128::try_from(scaled)
            .map_err(|_| ServiceError::internal(format!("quantity {quantity} out of range")))?;
        Self::from_scaled(scaled)
    }

    fn from_scaled(scaled: i128) -> ServiceResult<Self> {
        let units = i128::from(FRACTION_UNITS);
        let whole = i64::try_from(scaled.div_euclid(units))
            .map_err(|_| ServiceError::internal("usage total overflow"))?;
        let fraction = i64::try_from(scaled.rem_euclid(units))
            .map_err(|_| ServiceError::internal("usage total overflow"))?;
        Ok(Self { whole, fraction })
    }

    fn scaled(self) -> i128 {
        i128::from(self.whole) * i128::from(FRACTION_UNITS) + i128::from(self.fraction)
    }

    /// The sum, exact.
    pub fn plus(self, other: Units) -> ServiceResult<Units> {
        Self::from_scaled(self.scaled() + other.scaled())
    }

    /// The difference, exact.
    pub fn minus(self, other: Units) -> ServiceResult<Units> {
        Self::from_scaled(self.scaled() - other.scaled())
    }

    /// A whole part and a fraction as the database summed them (the fraction may exceed 10¹²
    /// once several rows are added).
    pub fn summed(whole: i64, fraction: i64) -> ServiceResult<Units> {
        Self::from_scaled(i128::from(whole) * i128::from(FRACTION_UNITS) + i128::from(fraction))
    }

    /// As a decimal, normalised.
    pub fn to_decimal(self) -> ServiceResult<Decimal> {
        let scaled = i64::try_from(self.scaled()).ok();
        let value = match scaled {
            Some(s) => Decimal::new(s, 12),
            None => Decimal::from(self.whole)
                .checked_add(Decimal::new(self.fraction, 12))
                .ok_or_else(|| ServiceError::internal("usage total overflow"))?,
        };
        Ok(value.normalize())
    }
}

/// What one row of `usage_days` is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct DayKey {
    item: SubscriptionItemId,
    day: NaiveDate,
    team: Option<TeamId>,
    member: Option<MemberId>,
    number: Option<String>,
}

impl DayKey {
    /// Team, member and number as the row's key column.
    fn dims(&self) -> String {
        format!(
            "{}|{}|{}",
            self.team.map(|t| t.to_string()).unwrap_or_default(),
            self.member.map(|m| m.to_string()).unwrap_or_default(),
            self.number.as_deref().unwrap_or_default()
        )
    }
}

/// A usage record as the daily totals count it.
#[derive(Clone, Copy, Debug)]
pub struct Counted<'a> {
    /// Its customer.
    pub customer: CustomerId,
    /// Its item.
    pub item: SubscriptionItemId,
    /// Its `from`, whose local date is its day.
    pub from: DateTime<Utc>,
    /// Its team, if any.
    pub team: Option<TeamId>,
    /// Its member, if any.
    pub member: Option<MemberId>,
    /// Its number, if any.
    pub number: Option<&'a str>,
    /// Its quantity, exact decimal text.
    pub quantity: &'a str,
}

impl<'a> From<&'a usage_record::Model> for Counted<'a> {
    fn from(r: &'a usage_record::Model) -> Self {
        Counted {
            customer: r.customer_id,
            item: r.subscription_item_id,
            from: r.from_at,
            team: r.team_id,
            member: r.member_id,
            number: r.number.as_deref(),
            quantity: &r.quantity,
        }
    }
}

/// Records summed per row of `usage_days`, in memory, before they are added to the table.
/// Ordered by key, so that concurrent writers lock rows in the same order.
#[derive(Clone, Debug, Default)]
pub struct DayTotals {
    rows: BTreeMap<DayKey, (CustomerId, i64, Units)>,
}

impl DayTotals {
    /// Counts `record` (its day read in `tz`, its customer's zone).
    pub fn add(&mut self, record: Counted<'_>, tz: Tz) -> ServiceResult<()> {
        let quantity: Decimal = record
            .quantity
            .parse()
            .map_err(|e| ServiceError::corrupt("usage quantity", e))?;
        let key = DayKey {
            item: record.item,
            day: local_date(record.from, tz),
            team: record.team,
            member: record.member,
            number: record.number.map(str::to_owned),
        };
        let entry = self
            .rows
            .entry(key)
            .or_insert((record.customer, 0, Units::default()));
        entry.1 += 1;
        entry.2 = entry.2.plus(Units::of(quantity)?)?;
        Ok(())
    }

    /// The same rows with records and quantities negated: what [`bill`] adds to give back what
    /// an invoice took.
    pub fn negated(&self) -> ServiceResult<DayTotals> {
        let mut rows = BTreeMap::new();
        for (key, (customer, records, units)) in &self.rows {
            rows.insert(
                key.clone(),
                (*customer, -records, Units::default().minus(*units)?),
            );
        }
        Ok(DayTotals { rows })
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// `column + delta`, the fraction carried into the whole part: the SQL both databases run for
/// an exact running sum (integer division and remainder of non-negative values).
fn carried(whole: &str, fraction: &str, delta_whole: &str, delta_fraction: &str) -> [String; 2] {
    [
        format!("{whole} + {delta_whole} + ({fraction} + {delta_fraction}) / {FRACTION_UNITS}"),
        format!("({fraction} + {delta_fraction}) % {FRACTION_UNITS}"),
    ]
}

/// Adds what ingestion inserted to the recorded counters, in its transaction.
pub async fn record<C: ConnectionTrait>(conn: &C, totals: &DayTotals) -> ServiceResult<()> {
    use usage_day::Column as C;
    let rows: Vec<usage_day::ActiveModel> = totals
        .rows
        .iter()
        .map(|(key, (customer, records, units))| {
            usage_day::ActiveModel::from(usage_day::Model {
                subscription_item_id: key.item,
                day: key.day,
                dims: key.dims(),
                customer_id: *customer,
                team_id: key.team,
                member_id: key.member,
                number: key.number.clone(),
                records: *records,
                whole: units.whole,
                fraction: units.fraction,
                billed_records: 0,
                billed_whole: 0,
                billed_fraction: 0,
            })
        })
        .collect();
    let [whole, fraction] = carried(
        "usage_days.whole",
        "usage_days.fraction",
        "excluded.whole",
        "excluded.fraction",
    );
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        usage_day::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([C::SubscriptionItemId, C::Day, C::Dims])
                    .value(
                        C::Records,
                        Expr::cust("usage_days.records + excluded.records"),
                    )
                    .value(C::Whole, Expr::cust(whole.clone()))
                    .value(C::Fraction, Expr::cust(fraction.clone()))
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Adds `totals` to the billed counters (the records an invoice took, or [`DayTotals::negated`]
/// to give them back), in the billing transaction. The rows exist: ingestion wrote them with
/// the records.
pub async fn bill<C: ConnectionTrait>(conn: &C, totals: &DayTotals) -> ServiceResult<()> {
    use usage_day::Column as C;
    for (key, (_, records, units)) in &totals.rows {
        let [whole, fraction] = carried(
            "billed_whole",
            "billed_fraction",
            &units.whole.to_string(),
            &units.fraction.to_string(),
        );
        let updated = usage_day::Entity::update_many()
            .col_expr(C::BilledRecords, Expr::col(C::BilledRecords).add(*records))
            .col_expr(C::BilledWhole, Expr::cust(whole))
            .col_expr(C::BilledFraction, Expr::cust(fraction))
            .filter(C::SubscriptionItemId.eq(key.item))
            .filter(C::Day.eq(key.day))
            .filter(C::Dims.eq(key.dims()))
            .exec(conn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(ServiceError::internal(format!(
                "usage_days has no row for {} on {} ({})",
                key.item,
                key.day,
                key.dims()
            )));
        }
    }
    Ok(())
}

/// What is still unbilled of `items` before the local day `before`, per item and day (only
/// days with some).
pub async fn unbilled<C: ConnectionTrait>(
    conn: &C,
    items: &[SubscriptionItemId],
    before: NaiveDate,
) -> ServiceResult<BTreeMap<(SubscriptionItemId, NaiveDate), Units>> {
    use usage_day::Column as C;
    let mut days = BTreeMap::new();
    for chunk in items.chunks(IDS_PER_QUERY) {
        let rows: Vec<(SubscriptionItemId, NaiveDate, i64, i64, i64, i64)> =
            usage_day::Entity::find()
                .select_only()
                .columns([C::SubscriptionItemId, C::Day, C::Whole, C::Fraction])
                .columns([C::BilledWhole, C::BilledFraction])
                .filter(C::SubscriptionItemId.is_in(chunk.iter().copied()))
                .filter(C::Day.lt(before))
                // The partial index's condition, so that it is used.
                .filter(Expr::cust("records <> billed_records"))
                .into_tuple()
                .all(conn)
                .await?;
        for (item, day, whole, fraction, billed_whole, billed_fraction) in rows {
            let left = Units { whole, fraction }.minus(Units {
                whole: billed_whole,
                fraction: billed_fraction,
            })?;
            let entry = days.entry((item, day)).or_insert(Units::default());
            *entry = entry.plus(left)?;
        }
    }
    Ok(days)
}

/// What invoices billed of `item` on the days `from..until` (no lower bound with `None`).
pub async fn billed_between<C: ConnectionTrait>(
    conn: &C,
    item: SubscriptionItemId,
    from: Option<NaiveDate>,
    until: NaiveDate,
) -> ServiceResult<Decimal> {
    use usage_day::Column as C;
    let mut query = usage_day::Entity::find()
        .select_only()
        .expr(Expr::cust("CAST(COALESCE(SUM(billed_whole), 0) AS BIGINT)"))
        .expr(Expr::cust(
            "CAST(COALESCE(SUM(billed_fraction), 0) AS BIGINT)",
        ))
        .filter(C::SubscriptionItemId.eq(item))
        .filter(C::Day.lt(until));
    if let Some(from) = from {
        query = query.filter(C::Day.gte(from));
    }
    let (whole, fraction): (i64, i64) = query.into_tuple().one(conn).await?.unwrap_or_default();
    Units::summed(whole, fraction)?.to_decimal()
}

/// Fills `usage_days` from the records when records exist and no totals do: a database written
/// before the table existed. Run after the migrations.
pub async fn backfill_if_needed<C: ConnectionTrait>(conn: &C) -> ServiceResult<()> {
    let has_records = usage_record::Entity::find()
        .select_only()
        .column(usage_record::Column::Id)
        .limit(1)
        .into_tuple::<UsageRecordId>()
        .one(conn)
        .await?
        .is_some();
    if has_records && usage_day::Entity::find().count(conn).await? == 0 {
        rebuild(conn).await?;
    }
    Ok(())
}

/// Recomputes every row of `usage_days` from the records, in id order and in chunks (the
/// benchmarks, which insert records raw, and [`backfill_if_needed`]).
pub async fn rebuild<C: ConnectionTrait>(conn: &C) -> ServiceResult<()> {
    usage_day::Entity::delete_many().exec(conn).await?;
    let mut zones = BTreeMap::new();
    for c in customer::Entity::find().all(conn).await? {
        zones.insert(c.id, accounts::rows::time_zone(&c)?);
    }
    let mut recorded = DayTotals::default();
    let mut billed = DayTotals::default();
    let mut after: Option<UsageRecordId> = None;
    loop {
        let mut query = usage_record::Entity::find()
            .order_by_asc(usage_record::Column::Id)
            .limit(REBUILD_CHUNK);
        if let Some(after) = after {
            query = query.filter(usage_record::Column::Id.gt(after));
        }
        let chunk = query.all(conn).await?;
        let Some(last) = chunk.last() else { break };
        after = Some(last.id);
        for record in &chunk {
            let tz = *zones
                .get(&record.customer_id)
                .ok_or_else(|| ServiceError::internal("a usage record without its customer"))?;
            recorded.add(record.into(), tz)?;
            if record.invoice_id.is_some() {
                billed.add(record.into(), tz)?;
            }
        }
    }
    record(conn, &recorded).await?;
    bill(conn, &billed).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn units_are_exact_and_carry() {
        let a = Units::of(d("0.75")).unwrap();
        assert_eq!(
            a,
            Units {
                whole: 0,
                fraction: 750_000_000_000
            }
        );
        let sum = a.plus(Units::of(d("1.5")).unwrap()).unwrap();
        assert_eq!(sum.to_decimal().unwrap(), d("2.25"));
        let tiny = Units::of(d("0.000000000001")).unwrap();
        assert_eq!(tiny.fraction, 1);
        assert_eq!(
            sum.minus(tiny).unwrap().to_decimal().unwrap(),
            d("2.249999999999")
        );
        // A negated total keeps a non-negative fraction: -2.25 = -3 + 0.75.
        let negated = Units::default().minus(sum).unwrap();
        assert_eq!(
            negated,
            Units {
                whole: -3,
                fraction: 750_000_000_000
            }
        );
        assert_eq!(negated.plus(sum).unwrap(), Units::default());
        // What a database's SUM gives: fractions past one unit.
        assert_eq!(
            Units::summed(2, 3 * FRACTION_UNITS / 2)
                .unwrap()
                .to_decimal()
                .unwrap(),
            d("3.5")
        );
        assert_eq!(
            Units::of(d("1000000000000000")).unwrap().whole,
            1_000_000_000_000_000
        );
    }

    #[test]
    fn the_sql_carry_matches_units() {
        // What `carried` computes, done with the same integers in Rust.
        let (whole, fraction) = (7i64, 900_000_000_000i64);
        let delta = Units::of(d("0.2")).unwrap();
        let new_whole = whole + delta.whole + (fraction + delta.fraction) / FRACTION_UNITS;
        let new_fraction = (fraction + delta.fraction) % FRACTION_UNITS;
        assert_eq!((new_whole, new_fraction), (8, 100_000_000_000));
        let back = Units::default().minus(delta).unwrap();
        let (w, f) = (new_whole, new_fraction);
        let w2 = w + back.whole + (f + back.fraction) / FRACTION_UNITS;
        let f2 = (f + back.fraction) % FRACTION_UNITS;
        assert_eq!((w2, f2), (whole, fraction));
    }
}
