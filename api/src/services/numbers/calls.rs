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

use std::collections::HashSet;

use billing::Tariff;
use entity::call_record;
use entity::phone_number;
use ids::{CallRecordId, CustomerId, PhoneNumberId, TariffId, TariffVersionId};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use super::NumbersService;
use super::call_checks::{load_refs, validate};
use super::tariffs::{latest_version, tariff_of};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};
use serde_json::json;

/// Most calls one batch may carry, whatever the path.
pub const MAX_BATCH: usize = 10_000;
/// Longest idempotency key.
pub const MAX_KEY_LEN: usize = 255;
/// Longest call accepted: a day (a longer one is a switch's error, not a call).
pub const MAX_DURATION_SECONDS: u32 = 86_400;
/// Rows per insert statement: 16 columns each stays under SQLite's 32,766 parameters.
const ROWS_PER_STATEMENT: usize = 1_500;
/// Values per `IN (…)` list.
pub(super) const IDS_PER_QUERY: usize = 2_000;
/// Most unrated calls one re-rating handles (run it again while it rates some).
pub const MAX_UNRATED: u64 = 1_000;

/// Unrated calls, oldest first: the order they were made in.
const UNRATED_CALLS: Keyset<call_record::Entity> = Keyset {
    list: "unrated calls",
    columns: &[
        (call_record::Column::StartedAt, KeyKind::Time),
        (call_record::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |c| time_key(c.started_at, c.id),
};

/// Which unrated calls to list: every one by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnratedCallFilter {
    /// Only this customer's calls.
    pub customer: Option<CustomerId>,
    /// Only the calls of numbers using this tariff.
    pub tariff: Option<TariffId>,
}

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

/// A call's rating columns: (version, billed seconds, rate, amount in minor units), or all
/// `None` when no prefix matched.
pub(super) type Rating = (
    Option<TariffVersionId>,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

/// Rates one call; `Ok(None)` when no prefix of the tariff matches.
pub(super) fn rate(
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

    /// Unrated calls not yet invoiced, oldest first, optionally only one customer's or
    /// only those of the numbers using one tariff (operator staff). An unknown customer or
    /// tariff gives an empty page.
    pub async fn unrated_calls(
        &self,
        actor: &Actor,
        filter: &UnratedCallFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<call_record::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        let mut select = call_record::Entity::find()
            .filter(call_record::Column::TariffVersionId.is_null())
            .filter(call_record::Column::InvoiceId.is_null());
        if let Some(customer) = filter.customer {
            select = select.filter(call_record::Column::CustomerId.eq(customer));
        }
        if let Some(tariff) = filter.tariff {
            // The tariff a call is re-rated with is its number's: the one `rerateCalls` uses.
            let numbers = Query::select()
                .column(phone_number::Column::Id)
                .from(phone_number::Entity)
                .and_where(phone_number::Column::TariffId.eq(tariff))
                .to_owned();
            select = select.filter(call_record::Column::PhoneNumberId.in_subquery(numbers));
        }
        Ok(fetch_page(self.db.reads(), select, &UNRATED_CALLS, page).await?)
    }

    /// Re-rates the unrated, not yet invoiced calls of the numbers using `tariff` with its
    /// latest version (operator staff), at most [`MAX_UNRATED`] per call: run it again while
    /// it rates some. Calls already rated are never touched.
    /// Audited (`calls.rerate`, the tariff, the version used and the counts) when it rated any.
    pub async fn rerate_calls(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        tariff: TariffId,
    ) -> ServiceResult<Rerated> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
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
        if done.rated > 0 {
            audit::record(
                &txn,
                Some(staff),
                request_id,
                AuditEntry {
                    customer: None,
                    action: "calls.rerate",
                    subject_type: "tariff",
                    subject_id: tariff.to_string(),
                    before: None,
                    after: Some(json!({
                        "version": version.id.to_string(),
                        "rated": done.rated,
                        "still_unrated": done.still_unrated,
                    })),
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(done)
    }
}
