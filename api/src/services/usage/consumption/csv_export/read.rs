//! Reading an export's rows: one short query per chunk of [`CSV_CHUNK`] rows (records by
//! `(from, id)`, then calls by `(started_at, id)`), only the printed columns. A task of its own
//! reads the next chunk while the previous one is written ([`spawn`]): the database's worker
//! and the CSV writer then work at the same time instead of in turn. No connection is held
//! between chunks, and at most [`CHUNKS_AHEAD`] chunks wait.

use chrono::{DateTime, Utc};
use entity::call_record::{self, CallDirection};
use entity::usage_record;
use ids::{
    CallRecordId, InvoiceId, MemberId, PhoneNumberId, SubscriptionItemId, TeamId, UsageRecordId,
};
use sea_orm::{ColumnTrait, Condition, FromQueryResult, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::mpsc;

use super::CSV_CHUNK;
use crate::db::Db;
use crate::error::ServiceResult;
use crate::services::usage::consumption::Selection;

/// Chunks read ahead of the one being written.
const CHUNKS_AHEAD: usize = 1;

/// One query's rows.
pub(super) enum Rows {
    /// Usage records.
    Records(Vec<RecordRow>),
    /// Calls.
    Calls(Vec<CallRow>),
}

/// What a CSV row prints of a record: only these columns are read (not the key, properties or
/// receipt time), so each chunk decodes less.
#[derive(Debug, FromQueryResult)]
pub(super) struct RecordRow {
    pub(super) id: UsageRecordId,
    pub(super) from_at: DateTime<Utc>,
    pub(super) to_at: DateTime<Utc>,
    pub(super) subscription_item_id: SubscriptionItemId,
    pub(super) quantity: String,
    pub(super) member_id: Option<MemberId>,
    pub(super) team_id: Option<TeamId>,
    pub(super) number: Option<String>,
    pub(super) invoice_id: Option<InvoiceId>,
}

/// The columns of [`RecordRow`].
const RECORD_COLUMNS: [usage_record::Column; 9] = [
    usage_record::Column::Id,
    usage_record::Column::FromAt,
    usage_record::Column::ToAt,
    usage_record::Column::SubscriptionItemId,
    usage_record::Column::Quantity,
    usage_record::Column::MemberId,
    usage_record::Column::TeamId,
    usage_record::Column::Number,
    usage_record::Column::InvoiceId,
];

/// What a CSV row prints of a call.
#[derive(Debug, FromQueryResult)]
pub(super) struct CallRow {
    pub(super) id: CallRecordId,
    pub(super) phone_number_id: PhoneNumberId,
    pub(super) started_at: DateTime<Utc>,
    pub(super) duration_seconds: i32,
    pub(super) direction: CallDirection,
    pub(super) destination: String,
    pub(super) billed_seconds: Option<i64>,
    pub(super) amount_minor: Option<i64>,
    pub(super) currency: String,
    pub(super) invoice_id: Option<InvoiceId>,
}

/// The columns of [`CallRow`].
const CALL_COLUMNS: [call_record::Column; 10] = [
    call_record::Column::Id,
    call_record::Column::PhoneNumberId,
    call_record::Column::StartedAt,
    call_record::Column::DurationSeconds,
    call_record::Column::Direction,
    call_record::Column::Destination,
    call_record::Column::BilledSeconds,
    call_record::Column::AmountMinor,
    call_record::Column::Currency,
    call_record::Column::InvoiceId,
];

/// Which rows the next chunk reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Usage records, after this key.
    Records(Option<(DateTime<Utc>, UsageRecordId)>),
    /// Calls, after this key.
    Calls(Option<(DateTime<Utc>, CallRecordId)>),
    /// Every row was given.
    Done,
}

/// The rows of `selection`, chunk after chunk, read by a task of their own into the channel
/// returned; the task stops when the receiver is dropped (the client went away), after an
/// error (sent as the last item) or after the last rows. Each query's rows are sent, even none,
/// so the writer always gets at least one chunk.
pub(super) fn spawn(db: Db, selection: Selection) -> mpsc::Receiver<ServiceResult<Rows>> {
    let (sender, receiver) = mpsc::channel(CHUNKS_AHEAD);
    let phase = if selection.includes_usage() || !selection.includes_calls() {
        // Neither: one (empty) chunk of records, for the header.
        Phase::Records(None)
    } else {
        Phase::Calls(None)
    };
    let mut reader = Reader {
        db,
        selection,
        phase,
    };
    tokio::spawn(async move {
        while reader.phase != Phase::Done {
            let rows = reader.next().await;
            let failed = rows.is_err();
            if sender.send(rows).await.is_err() || failed {
                break;
            }
        }
    });
    receiver
}

/// Where the reading is.
struct Reader {
    db: Db,
    selection: Selection,
    phase: Phase,
}

impl Reader {
    /// The next chunk's rows; moves [`Reader::phase`] on.
    async fn next(&mut self) -> ServiceResult<Rows> {
        match self.phase {
            Phase::Records(after) => {
                let rows = self.records_after(after).await?;
                self.phase = match rows.last() {
                    Some(last) if rows.len() as u64 == CSV_CHUNK => {
                        Phase::Records(Some((last.from_at, last.id)))
                    }
                    _ if self.selection.includes_calls() => Phase::Calls(None),
                    _ => Phase::Done,
                };
                Ok(Rows::Records(rows))
            }
            Phase::Calls(after) => {
                let rows = self.calls_after(after).await?;
                self.phase = match rows.last() {
                    Some(last) if rows.len() as u64 == CSV_CHUNK => {
                        Phase::Calls(Some((last.started_at, last.id)))
                    }
                    _ => Phase::Done,
                };
                Ok(Rows::Calls(rows))
            }
            Phase::Done => Ok(Rows::Records(Vec::new())),
        }
    }

    /// The records after `after`, at most [`CSV_CHUNK`].
    async fn records_after(
        &self,
        after: Option<(DateTime<Utc>, UsageRecordId)>,
    ) -> ServiceResult<Vec<RecordRow>> {
        let select = match after {
            None => self.selection.records(),
            // `(from, id) > (at, id)`, with `from ≥ at` as the range's only lower bound: both
            // databases then read the index from `at` on, not from the range's start.
            Some((at, id)) => self.selection.records_from(at).filter(
                Condition::any()
                    .add(usage_record::Column::FromAt.gt(at))
                    .add(
                        Condition::all()
                            .add(usage_record::Column::FromAt.eq(at))
                            .add(usage_record::Column::Id.gt(id)),
                    ),
            ),
        };
        Ok(select
            .select_only()
            .columns(RECORD_COLUMNS)
            .order_by_asc(usage_record::Column::FromAt)
            .order_by_asc(usage_record::Column::Id)
            .limit(CSV_CHUNK)
            .into_model::<RecordRow>()
            .all(self.db.reads())
            .await?)
    }

    /// The calls after `after`, at most [`CSV_CHUNK`].
    async fn calls_after(
        &self,
        after: Option<(DateTime<Utc>, CallRecordId)>,
    ) -> ServiceResult<Vec<CallRow>> {
        let mut select = self.selection.calls();
        if let Some((at, id)) = after {
            select = select
                .filter(call_record::Column::StartedAt.gte(at))
                .filter(
                    Condition::any()
                        .add(call_record::Column::StartedAt.gt(at))
                        .add(
                            Condition::all()
                                .add(call_record::Column::StartedAt.eq(at))
                                .add(call_record::Column::Id.gt(id)),
                        ),
                );
        }
        Ok(select
            .select_only()
            .columns(CALL_COLUMNS)
            .order_by_asc(call_record::Column::StartedAt)
            .order_by_asc(call_record::Column::Id)
            .limit(CSV_CHUNK)
            .into_model::<CallRow>()
            .all(self.db.reads())
            .await?)
    }
}
