//! Usage: metered records against subscription items, ingested by every path through
//! [`ingest`], billed in arrears by the billing run ([`invoicing`]), and the API keys machine
//! clients send them with ([`keys`]). CSV files are read by [`csv_import`]. Customers read
//! and export their detailed consumption through [`consumption`].

pub mod consumption;
pub mod csv_import;
pub mod days;
pub mod ingest;
pub mod invoicing;
pub mod keys;

use std::collections::HashMap;

use entity::usage_record;
use ids::{CustomerId, UsageRecordId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceResult;

pub use ingest::{FieldNames, IngestReport, MAX_BATCH, RecordInput};
pub use keys::{ApiKeyGrant, ApiKeys, CreatedApiKey, Scope};

/// Usage ingestion.
#[derive(Clone)]
pub struct UsageService {
    db: Db,
    clock: Clock,
}

/// A batch recorded, with the id each record is stored under (the first record with its key,
/// for a duplicate).
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Counts.
    pub report: IngestReport,
    /// One id per input record, in input order.
    pub ids: Vec<UsageRecordId>,
}

impl UsageService {
    /// A service over `db`, stamping records with `clock`'s time.
    pub fn new(db: Db, clock: Clock) -> Self {
        Self { db, clock }
    }

    /// Records a batch (operator staff, or an API key with `usage:write`): validated whole,
    /// then inserted with duplicates skipped; see [`ingest`]. Nothing is written when any
    /// record is invalid. `names` says how fields are named in errors; positions start at
    /// `position_base`.
    pub async fn record(
        &self,
        actor: &Actor,
        records: &[RecordInput],
        names: FieldNames,
        position_base: usize,
    ) -> ServiceResult<Recorded> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_plain_write().await?;
        let (report, rows) = ingest::ingest(
            &txn,
            staff.scope(),
            records,
            names,
            position_base,
            self.clock.now(),
        )
        .await?;
        let ids = if report.duplicates == 0 {
            rows.iter().map(|r| r.id).collect()
        } else {
            // Dropping `txn` on a refusal rolls the batch back: nothing is written.
            stored_ids(&txn, &rows, names, position_base).await?
        };
        txn.commit().await?;
        Ok(Recorded { report, ids })
    }
}

/// The id stored under each row's (customer, key): its own when it was inserted, the earlier
/// record's when it was a duplicate.
///
/// A duplicate must be the same usage: a key recorded with another item, quantity, `from` or
/// `to` refuses the whole batch (`BAD_USER_INPUT`, the record's key named), since skipping it
/// would lose usage a client meant to send under a reused key.
async fn stored_ids<C: sea_orm::ConnectionTrait>(
    txn: &C,
    rows: &[usage_record::Model],
    names: FieldNames,
    position_base: usize,
) -> ServiceResult<Vec<UsageRecordId>> {
    let mut by_customer: HashMap<CustomerId, Vec<&str>> = HashMap::new();
    for row in rows {
        by_customer
            .entry(row.customer_id)
            .or_default()
            .push(row.idempotency_key.as_str());
    }
    let mut found: HashMap<(CustomerId, String), usage_record::Model> = HashMap::new();
    for (customer, keys) in by_customer {
        for chunk in keys.chunks(1_000) {
            let stored = usage_record::Entity::find()
                .filter(usage_record::Column::CustomerId.eq(customer))
                .filter(usage_record::Column::IdempotencyKey.is_in(chunk.iter().copied()))
                .all(txn)
                .await?;
            for row in stored {
                found.insert((customer, row.idempotency_key.clone()), row);
            }
        }
    }
    let mut ids = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        match found.get(&(row.customer_id, row.idempotency_key.clone())) {
            None => ids.push(row.id),
            Some(stored) if stored.id == row.id || same_usage(stored, row) => ids.push(stored.id),
            Some(_) => problems.push(crate::error::RecordProblem {
                position: position_base + index,
                field: names.idempotency_key.to_owned(),
                message: "this idempotency key was already recorded with another item, \
                          quantity or time: send new usage under a new key"
                    .to_owned(),
                not_found: false,
            }),
        }
    }
    if problems.is_empty() {
        Ok(ids)
    } else {
        Err(crate::error::ServiceError::InvalidRecords(problems))
    }
}

/// Whether a record sent again describes the usage stored under its key (quantities compared
/// as numbers, `2.50` and `2.5` alike; times to the microsecond the databases keep).
fn same_usage(stored: &usage_record::Model, sent: &usage_record::Model) -> bool {
    let quantity = |q: &str| q.parse::<billing::Decimal>().ok();
    stored.subscription_item_id == sent.subscription_item_id
        && quantity(&stored.quantity).is_some()
        && quantity(&stored.quantity) == quantity(&sent.quantity)
        && stored.from_at.timestamp_micros() == sent.from_at.timestamp_micros()
        && stored.to_at.timestamp_micros() == sent.to_at.timestamp_micros()
}
