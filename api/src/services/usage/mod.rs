//! Usage: metered records against subscription items, ingested by every path through
//! [`ingest`], billed in arrears by the billing run ([`invoicing`]), and the API keys machine
//! clients send them with ([`keys`]). CSV files are read by [`csv_import`]. Customers read
//! and export their detailed consumption through [`consumption`].

pub mod consumption;
pub mod csv_import;
pub mod ingest;
pub mod invoicing;
pub mod keys;

use std::collections::HashMap;

use entity::usage_record;
use ids::{CustomerId, UsageRecordId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

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
            stored_ids(&txn, &rows).await?
        };
        txn.commit().await?;
        Ok(Recorded { report, ids })
    }
}

/// The id stored under each row's (customer, key): its own when it was inserted, the earlier
/// record's when it was a duplicate.
async fn stored_ids<C: sea_orm::ConnectionTrait>(
    txn: &C,
    rows: &[usage_record::Model],
) -> ServiceResult<Vec<UsageRecordId>> {
    let mut by_customer: HashMap<CustomerId, Vec<&str>> = HashMap::new();
    for row in rows {
        by_customer
            .entry(row.customer_id)
            .or_default()
            .push(row.idempotency_key.as_str());
    }
    let mut found: HashMap<(CustomerId, String), UsageRecordId> = HashMap::new();
    for (customer, keys) in by_customer {
        for chunk in keys.chunks(1_000) {
            let stored: Vec<(UsageRecordId, String)> = usage_record::Entity::find()
                .select_only()
                .column(usage_record::Column::Id)
                .column(usage_record::Column::IdempotencyKey)
                .filter(usage_record::Column::CustomerId.eq(customer))
                .filter(usage_record::Column::IdempotencyKey.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(txn)
                .await?;
            for (id, key) in stored {
                found.insert((customer, key), id);
            }
        }
    }
    Ok(rows
        .iter()
        .map(|r| {
            found
                .get(&(r.customer_id, r.idempotency_key.clone()))
                .copied()
                .unwrap_or(r.id)
        })
        .collect())
}
