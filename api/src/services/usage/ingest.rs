//! Usage ingestion: the one place every path (GraphQL `recordUsage`, ChargeOver's
//! `POST /api/v3/usage`, CSV imports) records usage through.
//!
//! A batch is validated whole before anything is written: each record's subscription item must
//! exist, be visible to the caller and be metered; the quantity a non-negative decimal; `from`
//! ≤ `to`; the idempotency key non-empty and at most 255 characters; a member or team the
//! item's customer's. An invalid batch is refused with every bad record by position and field,
//! and nothing is written. Valid records are inserted with `INSERT … ON CONFLICT DO NOTHING`
//! on (customer, idempotency key), one multi-row statement per chunk, so a retried record is
//! counted as a duplicate and never written twice.
//!
//! Usage does not change what a tenant's cached state holds, so it is written in a
//! [`PlainWrite`](crate::db::PlainWrite): high-frequency ingestion never bumps a revision.

use std::collections::{HashMap, HashSet};

use billing::{Decimal, Tz};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use entity::product::ProductKind;
use entity::subscription::SubscriptionStatus;
use entity::{
    customer, member, price, product, subscription, subscription_item, team, usage_record,
};
use ids::{CustomerId, MemberId, SubscriptionId, SubscriptionItemId, TeamId, UsageRecordId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryTrait};

use crate::auth::TenantScope;
use crate::error::{RecordProblem, ServiceError, ServiceResult};
use crate::services::usage::days::{self, DayTotals};

/// Most records one batch may carry, whatever the path.
pub const MAX_BATCH: usize = 10_000;
/// Longest idempotency key.
pub const MAX_KEY_LEN: usize = 255;
/// Longest properties object, as JSON text.
pub const MAX_PROPERTIES_BYTES: usize = 4096;
/// Most decimals a quantity may have.
pub const MAX_QUANTITY_DECIMALS: u32 = 12;
/// Rows per insert statement: 13 columns each stays under SQLite's 32,766 bound parameters
/// (PostgreSQL allows 65,535).
const ROWS_PER_STATEMENT: usize = 2_000;
/// Ids per `IN (…)` list when loading what a batch refers to.
const IDS_PER_QUERY: usize = 2_000;

/// One record as a caller sent it: text, so every path reports a bad value by position and
/// field the same way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordInput {
    /// The metered subscription item (`si_…`).
    pub subscription_item: String,
    /// The quantity, a decimal ≥ 0.
    pub quantity: String,
    /// Start of the span measured: RFC 3339, or `YYYY-MM-DD HH:MM:SS` in UTC.
    pub from: String,
    /// End of the span measured, the same forms.
    pub to: String,
    /// The client's key, unique per customer.
    pub idempotency_key: String,
    /// The member (`mem_…`), if any.
    pub member: Option<String>,
    /// The team (`team_…`), if any.
    pub team: Option<String>,
    /// The telephone number, E.164, if any.
    pub number: Option<String>,
    /// A JSON object, as text, if any.
    pub properties: Option<String>,
}

/// How each field of a record is named to the caller (GraphQL's camelCase by default; the
/// ChargeOver adapter names its own).
#[derive(Clone, Copy, Debug)]
pub struct FieldNames {
    /// The subscription item.
    pub subscription_item: &'static str,
    /// The quantity.
    pub quantity: &'static str,
    /// `from`.
    pub from: &'static str,
    /// `to`.
    pub to: &'static str,
    /// The idempotency key.
    pub idempotency_key: &'static str,
}

impl FieldNames {
    /// The GraphQL input's names.
    pub const GRAPHQL: FieldNames = FieldNames {
        subscription_item: "subscriptionItemId",
        quantity: "quantity",
        from: "from",
        to: "to",
        idempotency_key: "idempotencyKey",
    };
}

/// What a batch came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Records in the batch.
    pub received: u64,
    /// Records written.
    pub inserted: u64,
    /// Records whose key was already recorded (in an earlier batch or earlier in this one):
    /// skipped.
    pub duplicates: u64,
}

/// A record that passed validation.
struct Valid {
    row: usage_record::Model,
}

/// What a batch refers to, loaded once.
struct Refs {
    items: HashMap<SubscriptionItemId, (subscription_item::Model, ProductKind)>,
    members: HashMap<MemberId, CustomerId>,
    teams: HashMap<TeamId, CustomerId>,
    /// The subscriptions of the items that stop taking usage ([`UsageEnd`]).
    windows: HashMap<SubscriptionId, UsageWindow>,
    /// The time zone of each item's customer: a naive `from`/`to` is local time there, as the
    /// customer's billing periods are.
    zones: HashMap<CustomerId, Tz>,
}

/// When a subscription takes usage (and calls): from its start, until it ends. A record it
/// would never bill is refused, never accepted and then lost.
pub(crate) struct UsageWindow {
    /// The day it starts (its anchor), and that day's local midnight.
    starts: (chrono::NaiveDate, DateTime<Utc>),
    /// Where it stops, if it is cancelled or scheduled to be.
    end: Option<UsageEnd>,
}

/// Where a subscription stops taking usage.
pub(crate) enum UsageEnd {
    /// Cancelled: its last invoice is issued (a cancellation now bills the usage so far, one
    /// at the period's end bills the whole period), so no invoice would bill a new record.
    Cancelled,
    /// Cancelled at the end of its period, on this day: its last invoice bills usage from
    /// before that day's local midnight (this instant) only.
    Scheduled(chrono::NaiveDate, DateTime<Utc>),
}

/// Validates `records` for an actor whose tenants are `scope` and, if all are valid, records
/// them in `txn` (which the caller commits). Position `n` of the batch is reported as
/// `position_base + n` (0 for API batches, 2 for a CSV file's data rows after the header).
pub async fn ingest<C: ConnectionTrait>(
    txn: &C,
    scope: TenantScope,
    records: &[RecordInput],
    names: FieldNames,
    position_base: usize,
    now: DateTime<Utc>,
) -> ServiceResult<(IngestReport, Vec<usage_record::Model>)> {
    if records.is_empty() {
        return Err(ServiceError::bad_input(
            "records",
            "send at least one record",
        ));
    }
    if records.len() > MAX_BATCH {
        return Err(ServiceError::bad_input(
            "records",
            format!(
                "a batch holds at most {MAX_BATCH} records ({} sent): split it",
                records.len()
            ),
        ));
    }
    let refs = load_refs(txn, records).await?;
    let mut problems = Vec::new();
    let mut valid = Vec::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let position = position_base + index;
        match validate(record, &refs, scope, names, now) {
            Ok(v) => valid.push(v),
            Err(mut found) => {
                for p in &mut found {
                    p.position = position;
                }
                problems.extend(found);
            }
        }
    }
    if !problems.is_empty() {
        return Err(ServiceError::InvalidRecords(problems));
    }
    let rows: Vec<usage_record::Model> = valid.into_iter().map(|v| v.row).collect();
    let mut inserted = 0u64;
    let mut days = DayTotals::default();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut insert = usage_record::Entity::insert_many(
            chunk.iter().cloned().map(usage_record::ActiveModel::from),
        )
        .on_conflict(
            OnConflict::columns([
                usage_record::Column::CustomerId,
                usage_record::Column::IdempotencyKey,
            ])
            .do_nothing()
            .to_owned(),
        );
        // Only the rows written come back: the running daily totals count exactly those.
        insert.query().returning_col(usage_record::Column::Id);
        let written: HashSet<UsageRecordId> = txn
            .query_all(insert.query())
            .await?
            .iter()
            .map(|row| row.try_get::<UsageRecordId>("", "id"))
            .collect::<Result<_, _>>()?;
        inserted += written.len() as u64;
        for row in chunk.iter().filter(|r| written.contains(&r.id)) {
            let tz = *refs
                .zones
                .get(&row.customer_id)
                .ok_or_else(|| ServiceError::internal("a record's customer has no time zone"))?;
            days.add(row.into(), tz)?;
        }
    }
    days::record(txn, &days).await?;
    let received = records.len() as u64;
    Ok((
        IngestReport {
            received,
            inserted,
            duplicates: received - inserted,
        },
        rows,
    ))
}

/// Loads the items (with their product kinds), members and teams a batch names.
async fn load_refs<C: ConnectionTrait>(txn: &C, records: &[RecordInput]) -> ServiceResult<Refs> {
    let item_ids: HashSet<SubscriptionItemId> = records
        .iter()
        .filter_map(|r| r.subscription_item.trim().parse().ok())
        .collect();
    let member_ids: HashSet<MemberId> = records
        .iter()
        .filter_map(|r| r.member.as_deref().and_then(|m| m.trim().parse().ok()))
        .collect();
    let team_ids: HashSet<TeamId> = records
        .iter()
        .filter_map(|r| r.team.as_deref().and_then(|t| t.trim().parse().ok()))
        .collect();
    let mut items = HashMap::new();
    let ids: Vec<_> = item_ids.into_iter().collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows = subscription_item::Entity::find()
            .filter(subscription_item::Column::Id.is_in(chunk.iter().copied()))
            .find_also_related(price::Entity)
            .all(txn)
            .await?;
        let product_ids: HashSet<_> = rows
            .iter()
            .filter_map(|(_, p)| p.as_ref().map(|p| p.product_id))
            .collect();
        let kinds: HashMap<_, _> = product::Entity::find()
            .filter(product::Column::Id.is_in(product_ids))
            .all(txn)
            .await?
            .into_iter()
            .map(|p| (p.id, p.kind))
            .collect();
        for (item, price) in rows {
            let kind = price
                .and_then(|p| kinds.get(&p.product_id).copied())
                .ok_or_else(|| ServiceError::corrupt("subscription item", "price missing"))?;
            items.insert(item.id, (item, kind));
        }
    }
    let mut members = HashMap::new();
    let ids: Vec<_> = member_ids.into_iter().collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        for m in member::Entity::find()
            .filter(member::Column::Id.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
        {
            members.insert(m.id, m.customer_id);
        }
    }
    let mut teams = HashMap::new();
    let ids: Vec<_> = team_ids.into_iter().collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        for t in team::Entity::find()
            .filter(team::Column::Id.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
        {
            teams.insert(t.id, t.customer_id);
        }
    }
    let mut zones = HashMap::new();
    let customers: Vec<CustomerId> = items
        .values()
        .map(|(i, _)| i.customer_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for chunk in customers.chunks(IDS_PER_QUERY) {
        for c in customer::Entity::find()
            .filter(customer::Column::Id.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
        {
            zones.insert(c.id, crate::services::accounts::rows::time_zone(&c)?);
        }
    }
    let subscriptions: HashSet<SubscriptionId> =
        items.values().map(|(i, _)| i.subscription_id).collect();
    let windows = usage_windows(txn, subscriptions, &zones).await?;
    Ok(Refs {
        items,
        members,
        teams,
        windows,
        zones,
    })
}

/// The usage windows of `subscriptions`; `zones` are their customers' time zones.
pub(crate) async fn usage_windows<C: ConnectionTrait>(
    txn: &C,
    subscriptions: HashSet<SubscriptionId>,
    zones: &HashMap<CustomerId, Tz>,
) -> ServiceResult<HashMap<SubscriptionId, UsageWindow>> {
    let ids: Vec<SubscriptionId> = subscriptions.into_iter().collect();
    let mut windows = HashMap::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        for s in subscription::Entity::find()
            .filter(subscription::Column::Id.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
        {
            let tz = zones.get(&s.customer_id).copied().unwrap_or(Tz::UTC);
            let end = match (s.status, s.cancel_at) {
                (SubscriptionStatus::Cancelled, _) => Some(UsageEnd::Cancelled),
                (_, Some(day)) => Some(UsageEnd::Scheduled(day, billing::local_midnight(day, tz))),
                _ => None,
            };
            let starts = (s.anchor_date, billing::local_midnight(s.anchor_date, tz));
            windows.insert(s.id, UsageWindow { starts, end });
        }
    }
    Ok(windows)
}

/// Why a record from `from` on `subscription`, whose usage window is `window`, would never be
/// billed: `(true, …)` when the fault is the record's start (before the subscription starts or
/// after a scheduled end), `(false, …)` when it is the subscription (cancelled, its last invoice
/// issued); `None` when it would be billed.
pub(crate) fn refused_by_window(
    window: Option<&UsageWindow>,
    subscription: SubscriptionId,
    from: Option<DateTime<Utc>>,
) -> Option<(bool, String)> {
    let window = window?;
    match &window.end {
        Some(UsageEnd::Cancelled) => {
            return Some((
                false,
                format!(
                    "subscription {subscription} is cancelled and its last invoice issued: no \
                     invoice would bill this"
                ),
            ));
        }
        Some(UsageEnd::Scheduled(day, end)) if from.is_some_and(|f| f >= *end) => {
            return Some((
                true,
                format!(
                    "subscription {subscription} ends on {day}: from then on nothing is billed"
                ),
            ));
        }
        _ => {}
    }
    let (day, start) = window.starts;
    if from.is_some_and(|f| f < start) {
        return Some((
            true,
            format!("subscription {subscription} starts on {day}: nothing before it is billed"),
        ));
    }
    None
}

fn problem(field: &str, message: impl Into<String>) -> RecordProblem {
    RecordProblem {
        position: 0,
        field: field.to_owned(),
        message: message.into(),
        not_found: false,
    }
}

fn not_found(field: &str, what: &str) -> RecordProblem {
    RecordProblem {
        position: 0,
        field: field.to_owned(),
        message: format!("{what} not found"),
        not_found: true,
    }
}

/// One record's checks; every problem of the record, not just the first.
fn validate(
    record: &RecordInput,
    refs: &Refs,
    scope: TenantScope,
    names: FieldNames,
    now: DateTime<Utc>,
) -> Result<Valid, Vec<RecordProblem>> {
    let mut problems = Vec::new();
    let item = match record
        .subscription_item
        .trim()
        .parse::<SubscriptionItemId>()
    {
        Err(e) => {
            problems.push(problem(names.subscription_item, e.to_string()));
            None
        }
        Ok(id) => match refs.items.get(&id) {
            Some((item, kind)) if scope.allows(item.customer_id) => {
                if *kind == ProductKind::Metered {
                    Some(item)
                } else {
                    problems.push(problem(
                        names.subscription_item,
                        "this subscription item is not metered: usage is recorded against a metered product's item",
                    ));
                    None
                }
            }
            _ => {
                problems.push(not_found(names.subscription_item, "subscription item"));
                None
            }
        },
    };
    let quantity = match parse_quantity(&record.quantity) {
        Ok(q) => Some(q),
        Err(message) => {
            problems.push(problem(names.quantity, message));
            None
        }
    };
    let tz = item
        .and_then(|i| refs.zones.get(&i.customer_id).copied())
        .unwrap_or(Tz::UTC);
    let from = parse_instant(&record.from, tz)
        .map_err(|m| problems.push(problem(names.from, m)))
        .ok();
    let to = parse_instant(&record.to, tz)
        .map_err(|m| problems.push(problem(names.to, m)))
        .ok();
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        problems.push(problem(names.to, "`to` is before `from`"));
    }
    if let Some(item) = item
        && let Some((on_from, message)) = refused_by_window(
            refs.windows.get(&item.subscription_id),
            item.subscription_id,
            from,
        )
    {
        let field = if on_from {
            names.from
        } else {
            names.subscription_item
        };
        problems.push(problem(field, message));
    }
    let key = record.idempotency_key.trim();
    if key.is_empty() {
        problems.push(problem(
            names.idempotency_key,
            "an idempotency key is required",
        ));
    } else if key.chars().count() > MAX_KEY_LEN {
        problems.push(problem(
            names.idempotency_key,
            format!("at most {MAX_KEY_LEN} characters"),
        ));
    }
    let customer = item.map(|i| i.customer_id);
    let member = match record
        .member
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        None => None,
        Some(text) => match text.parse::<MemberId>() {
            Err(e) => {
                problems.push(problem("memberId", e.to_string()));
                None
            }
            Ok(id) => match refs.members.get(&id) {
                Some(owner) if customer.is_none_or(|c| c == *owner) && scope.allows(*owner) => {
                    Some(id)
                }
                _ => {
                    problems.push(not_found("memberId", "member"));
                    None
                }
            },
        },
    };
    let team = match record
        .team
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => None,
        Some(text) => match text.parse::<TeamId>() {
            Err(e) => {
                problems.push(problem("teamId", e.to_string()));
                None
            }
            Ok(id) => match refs.teams.get(&id) {
                Some(owner) if customer.is_none_or(|c| c == *owner) && scope.allows(*owner) => {
                    Some(id)
                }
                _ => {
                    problems.push(not_found("teamId", "team"));
                    None
                }
            },
        },
    };
    let number = match record
        .number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        None => None,
        Some(n) if is_e164(n) => Some(n.to_owned()),
        Some(_) => {
            problems.push(problem(
                "number",
                "a telephone number in E.164 form, e.g. +33123456789",
            ));
            None
        }
    };
    let properties = match record
        .properties
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(p) if p.len() > MAX_PROPERTIES_BYTES => {
            problems.push(problem(
                "properties",
                format!("at most {MAX_PROPERTIES_BYTES} bytes of JSON"),
            ));
            None
        }
        Some(p) => match serde_json::from_str::<serde_json::Value>(p) {
            Ok(value @ serde_json::Value::Object(_)) => Some(value.to_string()),
            _ => {
                problems.push(problem("properties", "a JSON object"));
                None
            }
        },
    };
    match (item, quantity, from, to) {
        (Some(item), Some(quantity), Some(from_at), Some(to_at)) if problems.is_empty() => {
            Ok(Valid {
                row: usage_record::Model {
                    id: UsageRecordId::new(),
                    customer_id: item.customer_id,
                    subscription_item_id: item.id,
                    quantity: quantity.normalize().to_string(),
                    from_at,
                    to_at,
                    idempotency_key: key.to_owned(),
                    member_id: member,
                    team_id: team,
                    number,
                    properties,
                    invoice_id: None,
                    recorded_at: now,
                },
            })
        }
        _ => Err(problems),
    }
}

/// A quantity: a plain decimal ≥ 0 with at most 12 decimals.
pub fn parse_quantity(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let q: Decimal = text
        .parse()
        .map_err(|_| format!("`{text}` is not a decimal number"))?;
    if q.is_sign_negative() && !q.is_zero() {
        return Err("a quantity cannot be negative".into());
    }
    if q.normalize().scale() > MAX_QUANTITY_DECIMALS {
        return Err(format!("at most {MAX_QUANTITY_DECIMALS} decimals"));
    }
    if q > Decimal::from(1_000_000_000_000_000i64) {
        return Err("at most 10^15".into());
    }
    Ok(q)
}

/// An instant: RFC 3339 with its offset (exact), or `YYYY-MM-DD HH:MM:SS` (ChargeOver's form)
/// read as local time in `tz`, the customer's time zone, as its billing periods are. A local
/// time a daylight-saving change skips is refused (send an offset); one it repeats is the
/// earlier of the two.
pub fn parse_instant(text: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").map_err(|_| {
        format!(
            "`{text}` is not a date and time (RFC 3339, or YYYY-MM-DD HH:MM:SS in the customer's \
             time zone)"
        )
    })?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| {
            format!("`{text}` does not exist in {tz} (a daylight-saving change skips it): send an offset")
        })
}

/// `+` then 2 to 15 digits, the first not 0.
fn is_e164(n: &str) -> bool {
    let Some(digits) = n.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_and_instants() {
        assert_eq!(parse_quantity("22"), Ok(Decimal::from(22)));
        assert!(parse_quantity("-1").is_err());
        assert!(parse_quantity("1.0000000000001").is_err());
        assert!(parse_quantity("abc").is_err());
        assert_eq!(
            parse_instant("2015-09-15 23:59:59", Tz::UTC).map(|t| t.to_rfc3339()),
            Ok("2015-09-15T23:59:59+00:00".into())
        );
        // Naive forms are the customer's local time; offsets stay exact.
        assert_eq!(
            parse_instant("2026-05-01 00:00:00", Tz::America__New_York).map(|t| t.to_rfc3339()),
            Ok("2026-05-01T04:00:00+00:00".into())
        );
        assert_eq!(
            parse_instant("2026-05-01T00:00:00Z", Tz::America__New_York).map(|t| t.to_rfc3339()),
            Ok("2026-05-01T00:00:00+00:00".into())
        );
        // 02:30 on 8 March 2026 does not exist in New York.
        assert!(parse_instant("2026-03-08 02:30:00", Tz::America__New_York).is_err());
        assert!(parse_instant("2015-09-15T00:00:00+02:00", Tz::UTC).is_ok());
        assert!(parse_instant("yesterday", Tz::UTC).is_err());
        assert!(is_e164("+33123456789"));
        assert!(!is_e164("0123456789"));
    }
}
