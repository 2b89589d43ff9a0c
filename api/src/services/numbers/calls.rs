//! Call records: ingestion (GraphQL `recordCalls`, CSV), rating at ingestion, and re-rating
//! what could not be rated.
//!
//! A batch is validated whole, as usage is (every bad record by position and field, nothing
//! written), then each call is rated with its number's tariff's latest version by
//! `billing::Tariff::rate_call` and inserted with `ON CONFLICT DO NOTHING` on (customer,
//! idempotency key): a retried call is a duplicate, never a second record. A call no prefix of
//! the tariff matches is not refused: it is stored unrated, for staff to re-rate once the
//! tariff has a rate for it ([`NumbersService::rerate_calls`]); only calls not yet invoiced
//! are re-rated.
//!
//! Calls do not change a tenant's cached state: they are written in a plain write.

use std::collections::{HashMap, HashSet};

use billing::{Tariff, Tz};
use chrono::{DateTime, Utc};
use entity::call_record::{self, CallDirection};
use entity::{customer, phone_number, tariff_version};
use ids::{CallRecordId, CustomerId, PhoneNumberId, TariffId, TariffVersionId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use super::tariffs::{latest_version, tariff_of};
use super::{NumbersService, is_e164};
use crate::auth::Actor;
use crate::error::{RecordProblem, ServiceError, ServiceResult};
use crate::services::usage::ingest::parse_instant;

/// Most calls one batch may carry, whatever the path.
pub const MAX_BATCH: usize = 10_000;
/// Longest idempotency key.
pub const MAX_KEY_LEN: usize = 255;
/// Longest call accepted: a day (a longer one is a switch's error, not a call).
pub const MAX_DURATION_SECONDS: u32 = 86_400;
/// Rows per insert statement: 16 columns each stays under SQLite's 32,766 parameters.
const ROWS_PER_STATEMENT: usize = 1_500;
/// Values per `IN (…)` list.
const IDS_PER_QUERY: usize = 2_000;
/// Most unrated calls one list or one re-rating handles.
pub const MAX_UNRATED: u64 = 1_000;

/// One call as a caller sent it: text, so every path reports a bad value the same way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallInput {
    /// The customer's number, E.164.
    pub number: String,
    /// When the call started: RFC 3339, or `YYYY-MM-DD HH:MM:SS` in the customer's zone.
    pub started_at: String,
    /// Connected seconds, a whole number ≥ 0.
    pub duration_seconds: String,
    /// `outbound` or `inbound`.
    pub direction: String,
    /// The other party, E.164.
    pub destination: String,
    /// The client's key, unique per customer.
    pub idempotency_key: String,
}

/// How each field of a call is named to the caller (GraphQL's camelCase, a CSV's columns).
#[derive(Clone, Copy, Debug)]
pub struct CallFieldNames {
    /// The number.
    pub number: &'static str,
    /// The start.
    pub started_at: &'static str,
    /// The duration.
    pub duration_seconds: &'static str,
    /// The direction.
    pub direction: &'static str,
    /// The destination.
    pub destination: &'static str,
    /// The key.
    pub idempotency_key: &'static str,
}

impl CallFieldNames {
    /// The GraphQL input's names.
    pub const GRAPHQL: CallFieldNames = CallFieldNames {
        number: "number",
        started_at: "startedAt",
        duration_seconds: "durationSeconds",
        direction: "direction",
        destination: "destination",
        idempotency_key: "idempotencyKey",
    };
    /// A CSV file's column names.
    pub const CSV: CallFieldNames = CallFieldNames {
        number: "number",
        started_at: "start",
        duration_seconds: "duration_seconds",
        direction: "direction",
        destination: "destination",
        idempotency_key: "idempotency_key",
    };
}

/// What a batch came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallsRecorded {
    /// Calls in the batch.
    pub received: u64,
    /// Calls written.
    pub inserted: u64,
    /// Calls whose key was already recorded: skipped.
    pub duplicates: u64,
    /// Calls written unrated (no prefix of their tariff matched).
    pub unrated: u64,
}

/// What a re-rating came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rerated {
    /// Calls rated now.
    pub rated: u64,
    /// Calls still without a matching prefix.
    pub still_unrated: u64,
}

/// What a batch refers to, loaded once.
struct Refs {
    numbers: HashMap<String, phone_number::Model>,
    zones: HashMap<CustomerId, Tz>,
    /// Each tariff's latest version, and how `billing` rates with it.
    tariffs: HashMap<TariffId, (TariffVersionId, Tariff)>,
}

fn problem(field: &str, message: impl Into<String>) -> RecordProblem {
    RecordProblem {
        position: 0,
        field: field.to_owned(),
        message: message.into(),
        not_found: false,
    }
}

/// A call's rating columns: (version, billed seconds, rate, amount in minor units), or all
/// `None` when no prefix matched.
type Rating = (
    Option<TariffVersionId>,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

/// Rates one call; `Ok(None)` when no prefix of the tariff matches.
fn rate(
    version: TariffVersionId,
    tariff: &Tariff,
    destination: &str,
    duration: u32,
) -> ServiceResult<Option<Rating>> {
    match tariff.rate_call(destination, duration) {
        Ok(charge) => {
            let minor = charge
                .amount
                .to_minor()
                .map_err(|e| ServiceError::from_billing(e, "destination"))?;
            let billed = i64::try_from(charge.billed_seconds).map_err(ServiceError::internal)?;
            Ok(Some((
                Some(version),
                Some(billed),
                Some(charge.rate_per_minute.value().normalize().to_string()),
                Some(minor),
            )))
        }
        Err(billing::Error::NoRate { .. }) => Ok(None),
        Err(e) => Err(ServiceError::from_billing(e, "destination")),
    }
}

impl NumbersService {
    /// Records a batch of calls (operator staff, or an API key with `usage:write`), rated at
    /// ingestion; see the module. Positions start at `position_base`.
    pub async fn record_calls(
        &self,
        actor: &Actor,
        calls: &[CallInput],
        names: CallFieldNames,
        position_base: usize,
    ) -> ServiceResult<CallsRecorded> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        if calls.is_empty() {
            return Err(ServiceError::bad_input("calls", "send at least one call"));
        }
        if calls.len() > MAX_BATCH {
            return Err(ServiceError::bad_input(
                "calls",
                format!(
                    "a batch holds at most {MAX_BATCH} calls ({} sent): split it",
                    calls.len()
                ),
            ));
        }
        let now = self.clock.now();
        let txn = self.db.begin_plain_write().await?;
        let refs = load_refs(&txn, calls).await?;
        let mut problems = Vec::new();
        let mut rows = Vec::with_capacity(calls.len());
        for (index, call) in calls.iter().enumerate() {
            match validate(call, &refs, staff.scope(), names, now) {
                Ok(row) => rows.push(row),
                Err(found) => problems.extend(found.into_iter().map(|mut p| {
                    p.position = position_base + index;
                    p
                })),
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::InvalidRecords(problems));
        }
        let backend = txn.get_database_backend();
        let mut inserted = 0u64;
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let insert = call_record::Entity::insert_many(
                chunk.iter().cloned().map(call_record::ActiveModel::from),
            )
            .on_conflict(
                OnConflict::columns([
                    call_record::Column::CustomerId,
                    call_record::Column::IdempotencyKey,
                ])
                .do_nothing()
                .to_owned(),
            );
            inserted += txn
                .execute_raw(insert.build(backend))
                .await?
                .rows_affected();
        }
        // Unrated among those written: counted from the rows themselves, since a duplicate's
        // earlier record is what stays.
        let keys: Vec<(CustomerId, String)> = rows
            .iter()
            .filter(|r| r.tariff_version_id.is_none())
            .map(|r| (r.customer_id, r.idempotency_key.clone()))
            .collect();
        let ids: HashSet<CallRecordId> = rows.iter().map(|r| r.id).collect();
        let mut unrated = 0u64;
        for chunk in keys.chunks(IDS_PER_QUERY) {
            let stored: Vec<CallRecordId> = call_record::Entity::find()
                .select_only()
                .column(call_record::Column::Id)
                .filter(
                    call_record::Column::IdempotencyKey
                        .is_in(chunk.iter().map(|(_, k)| k.as_str())),
                )
                .filter(call_record::Column::CustomerId.is_in(chunk.iter().map(|(c, _)| *c)))
                .into_tuple()
                .all(&txn)
                .await?;
            unrated += stored.iter().filter(|id| ids.contains(id)).count() as u64;
        }
        txn.commit().await?;
        let received = calls.len() as u64;
        Ok(CallsRecorded {
            received,
            inserted,
            duplicates: received - inserted,
            unrated,
        })
    }

    /// Unrated calls not yet invoiced, oldest first, at most [`MAX_UNRATED`] (operator staff).
    pub async fn unrated_calls(&self, actor: &Actor) -> ServiceResult<Vec<call_record::Model>> {
        actor.authenticated()?.require_staff()?;
        Ok(call_record::Entity::find()
            .filter(call_record::Column::TariffVersionId.is_null())
            .filter(call_record::Column::InvoiceId.is_null())
            .order_by_asc(call_record::Column::StartedAt)
            .order_by_asc(call_record::Column::Id)
            .limit(MAX_UNRATED)
            .all(self.db.reads())
            .await?)
    }

    /// Re-rates the unrated, not yet invoiced calls of the numbers using `tariff` with its
    /// latest version (operator staff), at most [`MAX_UNRATED`] per call: run it again while
    /// it rates some. Calls already rated are never touched.
    pub async fn rerate_calls(&self, actor: &Actor, tariff: TariffId) -> ServiceResult<Rerated> {
        actor.authenticated()?.require_staff()?;
        let txn = self.db.begin_plain_write().await?;
        if entity::tariff::Entity::find_by_id(tariff)
            .one(&txn)
            .await?
            .is_none()
        {
            return Err(ServiceError::NotFound { entity: "tariff" });
        }
        let version = latest_version(&txn, tariff).await?;
        let rated_with = tariff_of(&version)?;
        let numbers: Vec<PhoneNumberId> = phone_number::Entity::find()
            .select_only()
            .column(phone_number::Column::Id)
            .filter(phone_number::Column::TariffId.eq(tariff))
            .into_tuple()
            .all(&txn)
            .await?;
        let mut done = Rerated::default();
        for chunk in numbers.chunks(IDS_PER_QUERY) {
            let calls = call_record::Entity::find()
                .filter(call_record::Column::PhoneNumberId.is_in(chunk.iter().copied()))
                .filter(call_record::Column::TariffVersionId.is_null())
                .filter(call_record::Column::InvoiceId.is_null())
                .order_by_asc(call_record::Column::StartedAt)
                .limit(MAX_UNRATED)
                .all(&txn)
                .await?;
            for call in calls {
                let duration = u32::try_from(call.duration_seconds)
                    .map_err(|_| ServiceError::corrupt("call duration", call.duration_seconds))?;
                match rate(version.id, &rated_with, &call.destination, duration)? {
                    None => done.still_unrated += 1,
                    Some((v, billed, rate, amount)) => {
                        // Only while still unrated and uninvoiced: a concurrent billing run
                        // or re-rating wins, never both.
                        let updated = call_record::Entity::update_many()
                            .col_expr(call_record::Column::TariffVersionId, Expr::value(v))
                            .col_expr(call_record::Column::BilledSeconds, Expr::value(billed))
                            .col_expr(call_record::Column::RatePerMinute, Expr::value(rate))
                            .col_expr(call_record::Column::AmountMinor, Expr::value(amount))
                            .filter(call_record::Column::Id.eq(call.id))
                            .filter(call_record::Column::TariffVersionId.is_null())
                            .filter(call_record::Column::InvoiceId.is_null())
                            .exec(&txn)
                            .await?;
                        done.rated += updated.rows_affected;
                    }
                }
            }
        }
        txn.commit().await?;
        Ok(done)
    }
}

async fn load_refs<C: ConnectionTrait>(txn: &C, calls: &[CallInput]) -> ServiceResult<Refs> {
    let wanted: Vec<String> = calls
        .iter()
        .map(|c| c.number.trim().to_owned())
        .filter(|n| is_e164(n))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut numbers = HashMap::new();
    for chunk in wanted.chunks(IDS_PER_QUERY) {
        for n in phone_number::Entity::find()
            .filter(phone_number::Column::E164.is_in(chunk.iter().map(String::as_str)))
            .all(txn)
            .await?
        {
            numbers.insert(n.e164.clone(), n);
        }
    }
    let customers: Vec<CustomerId> = numbers
        .values()
        .map(|n| n.customer_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut zones = HashMap::new();
    for chunk in customers.chunks(IDS_PER_QUERY) {
        for c in customer::Entity::find()
            .filter(customer::Column::Id.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
        {
            zones.insert(c.id, crate::services::accounts::rows::time_zone(&c)?);
        }
    }
    let tariff_ids: Vec<TariffId> = numbers
        .values()
        .map(|n| n.tariff_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut tariffs = HashMap::new();
    for chunk in tariff_ids.chunks(IDS_PER_QUERY) {
        let versions = tariff_version::Entity::find()
            .filter(tariff_version::Column::TariffId.is_in(chunk.iter().copied()))
            .order_by_asc(tariff_version::Column::Version)
            .all(txn)
            .await?;
        // Ascending: the last one inserted per tariff is its latest version.
        let mut latest: HashMap<TariffId, tariff_version::Model> = HashMap::new();
        for v in versions {
            latest.insert(v.tariff_id, v);
        }
        for (id, v) in latest {
            tariffs.insert(id, (v.id, tariff_of(&v)?));
        }
    }
    Ok(Refs {
        numbers,
        zones,
        tariffs,
    })
}

/// One call's checks (every problem of it) and, when valid, its row, rated.
fn validate(
    call: &CallInput,
    refs: &Refs,
    scope: crate::auth::TenantScope,
    names: CallFieldNames,
    now: DateTime<Utc>,
) -> Result<call_record::Model, Vec<RecordProblem>> {
    let mut problems = Vec::new();
    let e164 = call.number.trim();
    let number = if !is_e164(e164) {
        problems.push(problem(
            names.number,
            "a telephone number in E.164 form, e.g. +33123456789",
        ));
        None
    } else {
        match refs.numbers.get(e164) {
            Some(n) if scope.allows(n.customer_id) => Some(n),
            _ => {
                problems.push(RecordProblem {
                    not_found: true,
                    ..problem(names.number, "no such number is sold")
                });
                None
            }
        }
    };
    let tz = number
        .and_then(|n| refs.zones.get(&n.customer_id).copied())
        .unwrap_or(Tz::UTC);
    let started_at = parse_instant(&call.started_at, tz)
        .map_err(|m| problems.push(problem(names.started_at, m)))
        .ok();
    let duration = match call.duration_seconds.trim().parse::<u32>() {
        Ok(d) if d <= MAX_DURATION_SECONDS => Some(d),
        _ => {
            problems.push(problem(
                names.duration_seconds,
                format!("whole seconds from 0 to {MAX_DURATION_SECONDS}"),
            ));
            None
        }
    };
    let direction = match call.direction.trim().to_ascii_lowercase().as_str() {
        "outbound" => Some(CallDirection::Outbound),
        "inbound" => Some(CallDirection::Inbound),
        _ => {
            problems.push(problem(names.direction, "`outbound` or `inbound`"));
            None
        }
    };
    let destination = call.destination.trim();
    if !is_e164(destination) {
        problems.push(problem(
            names.destination,
            "a telephone number in E.164 form, e.g. +33123456789",
        ));
    }
    let key = call.idempotency_key.trim();
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
    let (Some(number), Some(started_at), Some(duration), Some(direction), true) =
        (number, started_at, duration, direction, problems.is_empty())
    else {
        return Err(problems);
    };
    let Some((version, tariff)) = refs.tariffs.get(&number.tariff_id) else {
        return Err(vec![problem(names.number, "its tariff has no version")]);
    };
    let (tariff_version_id, billed_seconds, rate_per_minute, amount_minor) =
        match rate(*version, tariff, destination, duration) {
            Ok(Some(rating)) => rating,
            Ok(None) => (None, None, None, None),
            Err(e) => return Err(vec![problem(names.destination, e.public_message())]),
        };
    Ok(call_record::Model {
        id: CallRecordId::new(),
        customer_id: number.customer_id,
        phone_number_id: number.id,
        started_at,
        duration_seconds: i32::try_from(duration).unwrap_or(i32::MAX),
        direction,
        destination: destination.to_owned(),
        idempotency_key: key.to_owned(),
        tariff_version_id,
        billed_seconds,
        rate_per_minute,
        amount_minor,
        currency: tariff.spec().currency.code().to_owned(),
        invoice_id: None,
        recorded_at: now,
    })
}
