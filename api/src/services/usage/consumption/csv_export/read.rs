//! Reading an export's rows: one short query per chunk of [`CSV_CHUNK`] rows (records by
//! `(from, id)`, then calls by `(started_at, id)`), only the printed columns. A task of its own
//! reads the next chunk while the previous one is written ([`spawn`]): the database and the
//! CSV writer then work at the same time instead of in turn. No read transaction is held
//! between chunks, and at most [`CHUNKS_AHEAD`] chunks wait.
//!
//! [`Chunks`] builds each chunk's statement, once for both databases; the pool runs it on
//! PostgreSQL, and on a SQLite file a blocking thread runs it through SQLite's own API
//! ([`super::sqlite_file`], several times faster per row than through sqlx).

use chrono::{DateTime, Utc};
use entity::call_record::{self, CallDirection};
use entity::usage_record;
use ids::{
    CallRecordId, InvoiceId, MemberId, PhoneNumberId, SubscriptionItemId, TeamId, UsageRecordId,
};
use sea_orm::{
    ColumnTrait, Condition, DbBackend, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Statement,
};
use tokio::sync::mpsc;

use super::{CSV_CHUNK, sqlite_file};
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use crate::services::usage::consumption::Selection;

/// Chunks read ahead of the one being written.
const CHUNKS_AHEAD: usize = 1;

/// One query's rows, or the end of them.
pub(super) enum Rows {
    /// Usage records.
    Records(Vec<RecordRow>),
    /// Calls.
    Calls(Vec<CallRow>),
    /// Every row was sent.
    End,
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
/// error (sent as the last item) or after the last rows, which [`Rows::End`] follows: a channel
/// that closes without it means the reader died, and the writer must not take that for the
/// end of the file. Each query's rows are sent, even none, so the writer always gets at least
/// one chunk.
pub(super) fn spawn(db: Db, selection: Selection) -> mpsc::Receiver<ServiceResult<Rows>> {
    let (sender, receiver) = mpsc::channel(CHUNKS_AHEAD);
    let mut chunks = Chunks::new(selection, db.backend());
    tokio::spawn(async move {
        let mut source = match Source::open(&db).await {
            Ok(source) => source,
            Err(error) => {
                let _ = sender.send(Err(error)).await;
                return;
            }
        };
        while let Some(query) = chunks.next_query() {
            let rows = source.read(&db, query).await;
            // An error is sent too, as the last item: the writer reports it.
            let read = chunks.advance(&rows);
            if sender.send(rows).await.is_err() || !read {
                return;
            }
        }
        let _ = sender.send(Ok(Rows::End)).await;
    });
    receiver
}

/// Where the chunks are read from.
enum Source {
    /// The read pool (PostgreSQL, an in-memory SQLite).
    Pool,
    /// The SQLite file, through SQLite's own API ([`sqlite_file`]). Each chunk runs on a
    /// blocking thread that gives the connection back: no thread is held while the client
    /// reads what was sent (a slow download would otherwise keep one of the runtime's blocking
    /// threads for its whole length).
    File(rusqlite::Connection),
}

impl Source {
    /// The SQLite file's own read-only connection when there is one, else the pool.
    async fn open(db: &Db) -> ServiceResult<Self> {
        let Some(path) = db.sqlite_file().filter(|path| path.is_file()) else {
            return Ok(Source::Pool);
        };
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || sqlite_file::open(&path))
            .await
            .map_err(joined)?
            .map(Source::File)
    }

    /// One chunk's rows.
    async fn read(&mut self, db: &Db, query: Query) -> ServiceResult<Rows> {
        match std::mem::replace(self, Source::Pool) {
            Source::File(connection) => {
                let (connection, rows) = tokio::task::spawn_blocking(move || {
                    let rows = match &query {
                        Query::Records(statement) => {
                            sqlite_file::records(&connection, statement).map(Rows::Records)
                        }
                        Query::Calls(statement) => {
                            sqlite_file::calls(&connection, statement).map(Rows::Calls)
                        }
                    };
                    (connection, rows)
                })
                .await
                .map_err(joined)?;
                *self = Source::File(connection);
                rows
            }
            Source::Pool => match query {
                Query::Records(statement) => RecordRow::find_by_statement(statement)
                    .all(db.reads())
                    .await
                    .map(Rows::Records),
                Query::Calls(statement) => CallRow::find_by_statement(statement)
                    .all(db.reads())
                    .await
                    .map(Rows::Calls),
            }
            .map_err(ServiceError::from),
        }
    }
}

/// A blocking read that panicked or was cancelled.
fn joined(error: tokio::task::JoinError) -> ServiceError {
    ServiceError::internal(format!("reading an export: {error}"))
}

/// One chunk's statement, by the kind of row it selects.
enum Query {
    /// Selects [`RecordRow`]'s columns, in order.
    Records(Statement),
    /// Selects [`CallRow`]'s columns, in order.
    Calls(Statement),
}

/// Where the reading is: which chunk comes next.
struct Chunks {
    selection: Selection,
    backend: DbBackend,
    phase: Phase,
}

impl Chunks {
    fn new(selection: Selection, backend: DbBackend) -> Self {
        let phase = if selection.includes_usage() || !selection.includes_calls() {
            // Neither: one (empty) chunk of records, for the header.
            Phase::Records(None)
        } else {
            Phase::Calls(None)
        };
        Chunks {
            selection,
            backend,
            phase,
        }
    }

    /// The next chunk's statement; `None` once every row was read.
    fn next_query(&self) -> Option<Query> {
        match self.phase {
            Phase::Records(after) => Some(Query::Records(self.records_after(after))),
            Phase::Calls(after) => Some(Query::Calls(self.calls_after(after))),
            Phase::Done => None,
        }
    }

    /// Moves on past `rows`, the chunk just read; false when it was an error, which ends the
    /// reading (after it is sent).
    fn advance(&mut self, rows: &ServiceResult<Rows>) -> bool {
        let full = |len: usize| len as u64 == CSV_CHUNK;
        self.phase = match rows {
            Err(_) => Phase::Done,
            Ok(Rows::Records(rows)) => match rows.last() {
                Some(last) if full(rows.len()) => Phase::Records(Some((last.from_at, last.id))),
                _ if self.selection.includes_calls() => Phase::Calls(None),
                _ => Phase::Done,
            },
            Ok(Rows::Calls(rows)) => match rows.last() {
                Some(last) if full(rows.len()) => Phase::Calls(Some((last.started_at, last.id))),
                _ => Phase::Done,
            },
            Ok(Rows::End) => Phase::Done,
        };
        rows.is_ok()
    }

    /// The records after `after`, at most [`CSV_CHUNK`].
    fn records_after(&self, after: Option<(DateTime<Utc>, UsageRecordId)>) -> Statement {
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
        select
            .select_only()
            .columns(RECORD_COLUMNS)
            .order_by_asc(usage_record::Column::FromAt)
            .order_by_asc(usage_record::Column::Id)
            .limit(CSV_CHUNK)
            .build(self.backend)
    }

    /// The calls after `after`, at most [`CSV_CHUNK`].
    fn calls_after(&self, after: Option<(DateTime<Utc>, CallRecordId)>) -> Statement {
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
        select
            .select_only()
            .columns(CALL_COLUMNS)
            .order_by_asc(call_record::Column::StartedAt)
            .order_by_asc(call_record::Column::Id)
            .limit(CSV_CHUNK)
            .build(self.backend)
    }
}
