//! The CSV export of exactly a selection: every usage record (by `(from, id)`), then every call
//! (by `(started_at, id)`), one row each, streamed in chunks of [`CSV_CHUNK`] rows read by one
//! short query each. Only the printed columns are read; the members', teams' and products'
//! names and the customer's numbers are read once per export, escaped once. No cursor or
//! `hasPreviousPage` probe is computed for a reader that only goes forward.
//!
//! One header for both kinds of row: the usage columns first (as before calls were exported,
//! so a reader of those finds them where they were), then `type` (`usage` or `call`) and the
//! call's own columns, empty on a usage row; a call's `quantity`, `member` and `team` are empty.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Duration, Utc};
use entity::call_record::{self, CallDirection};
use entity::{member, team, usage_record};
use ids::{
    CallRecordId, InvoiceId, MemberId, PhoneNumberId, SubscriptionItemId, TeamId, UsageRecordId,
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};

use super::export::{CSV_TIME_FORMAT, escape_cell, escape_into};
use super::{ConsumptionService, Selection};
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use crate::services::catalog;

/// Rows per query of a CSV export: about 1 MB of rows and 0.8 MB of CSV in memory at a time,
/// whatever the selection.
pub const CSV_CHUNK: u64 = 5_000;

/// The CSV's header row; [`CsvExport`] writes the cells in this order.
pub const CSV_HEADER: [&str; 16] = [
    "id",
    "started",
    "ended",
    "product",
    "quantity",
    "member",
    "team",
    "number",
    "invoiced",
    "subscription_item_id",
    "type",
    "direction",
    "destination",
    "duration_seconds",
    "billed_seconds",
    "amount",
];

/// What the `product` cell of a call says.
pub const CALL_PRODUCT: &str = "Call";

/// What a CSV row prints of a record: only these columns are read (not the key, properties or
/// receipt time), so each chunk decodes less.
#[derive(Debug, FromQueryResult)]
struct RecordRow {
    id: UsageRecordId,
    from_at: DateTime<Utc>,
    to_at: DateTime<Utc>,
    subscription_item_id: SubscriptionItemId,
    quantity: String,
    member_id: Option<MemberId>,
    team_id: Option<TeamId>,
    number: Option<String>,
    invoice_id: Option<InvoiceId>,
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
struct CallRow {
    id: CallRecordId,
    phone_number_id: PhoneNumberId,
    started_at: DateTime<Utc>,
    duration_seconds: i32,
    direction: CallDirection,
    destination: String,
    billed_seconds: Option<i64>,
    amount_minor: Option<i64>,
    currency: String,
    invoice_id: Option<InvoiceId>,
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

/// A CSV export under way: the selection, the names its rows print (read once, escaped) and
/// where the last chunk ended. [`CsvExport::next_chunk`] gives the file chunk after chunk.
pub struct CsvExport {
    db: Db,
    selection: Selection,
    members: HashMap<MemberId, String>,
    teams: HashMap<TeamId, String>,
    products: HashMap<SubscriptionItemId, String>,
    /// Each of the customer's numbers: (E.164 escaped, its rental item's id).
    numbers: HashMap<PhoneNumberId, (String, String)>,
    time_format: Vec<Item<'static>>,
    phase: Phase,
    started: bool,
}

impl CsvExport {
    /// The next part of the file (the header first, then [`CSV_CHUNK`] rows at most: records
    /// in the table's order `(from, id)`, then calls by `(started_at, id)`); `None` once every
    /// row was given. One query per call.
    pub async fn next_chunk(&mut self) -> ServiceResult<Option<Vec<u8>>> {
        let mut writer = csv::Writer::from_writer(Vec::with_capacity(
            usize::try_from(CSV_CHUNK).unwrap_or(0) * 170 + 256,
        ));
        match self.phase {
            Phase::Done => return Ok(None),
            Phase::Records(after) => {
                let rows = self.records_after(after).await?;
                self.phase = match rows.last() {
                    Some(last) if rows.len() as u64 == CSV_CHUNK => {
                        Phase::Records(Some((last.from_at, last.id)))
                    }
                    _ => self.calls_or_done(),
                };
                self.header(&mut writer)?;
                let mut cell = String::with_capacity(64);
                for row in &rows {
                    self.write_record(&mut writer, &mut cell, row)
                        .map_err(failed)?;
                }
            }
            Phase::Calls(after) => {
                let rows = self.calls_after(after).await?;
                self.phase = match rows.last() {
                    Some(last) if rows.len() as u64 == CSV_CHUNK => {
                        Phase::Calls(Some((last.started_at, last.id)))
                    }
                    _ => Phase::Done,
                };
                self.header(&mut writer)?;
                let mut cell = String::with_capacity(64);
                for row in &rows {
                    self.write_call(&mut writer, &mut cell, row)?;
                }
            }
        }
        writer
            .into_inner()
            .map(Some)
            .map_err(|e| ServiceError::internal(format!("writing a CSV export: {e}")))
    }

    /// What follows the records: the calls, when the selection holds some.
    fn calls_or_done(&self) -> Phase {
        if self.selection.includes_calls() {
            Phase::Calls(None)
        } else {
            Phase::Done
        }
    }

    /// The header, before the first row.
    fn header(&mut self, writer: &mut csv::Writer<Vec<u8>>) -> ServiceResult<()> {
        if !self.started {
            writer.write_record(CSV_HEADER).map_err(failed)?;
            self.started = true;
        }
        Ok(())
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

    /// `at` in the selection's time zone into `cell`.
    fn time(&self, cell: &mut String, at: DateTime<Utc>) {
        cell.clear();
        let local = at.with_timezone(&self.selection.tz);
        let _ = write!(cell, "{}", local.format_with_items(self.time_format.iter()));
    }

    /// One record, in [`CSV_HEADER`]'s order, cells escaped; `cell` is scratch space.
    fn write_record(
        &self,
        writer: &mut csv::Writer<Vec<u8>>,
        cell: &mut String,
        row: &RecordRow,
    ) -> csv::Result<()> {
        cell.clear();
        let _ = write!(cell, "{}", row.id);
        writer.write_field(cell.as_bytes())?;
        for at in [row.from_at, row.to_at] {
            self.time(cell, at);
            writer.write_field(cell.as_bytes())?;
        }
        writer.write_field(
            self.products
                .get(&row.subscription_item_id)
                .map_or("", String::as_str),
        )?;
        writer.write_field(&row.quantity)?;
        writer.write_field(
            row.member_id
                .and_then(|id| self.members.get(&id))
                .map_or("", String::as_str),
        )?;
        writer.write_field(
            row.team_id
                .and_then(|id| self.teams.get(&id))
                .map_or("", String::as_str),
        )?;
        escape_into(cell, row.number.as_deref().unwrap_or_default());
        writer.write_field(cell.as_bytes())?;
        writer.write_field(invoiced(row.invoice_id))?;
        cell.clear();
        let _ = write!(cell, "{}", row.subscription_item_id);
        writer.write_field(cell.as_bytes())?;
        writer.write_field("usage")?;
        for _ in 0..5 {
            writer.write_field("")?;
        }
        writer.write_record(None::<&[u8]>)
    }

    /// One call, in [`CSV_HEADER`]'s order, cells escaped; `cell` is scratch space.
    fn write_call(
        &self,
        writer: &mut csv::Writer<Vec<u8>>,
        cell: &mut String,
        row: &CallRow,
    ) -> ServiceResult<()> {
        let (number, item) = self
            .numbers
            .get(&row.phone_number_id)
            .map_or(("", ""), |(n, i)| (n.as_str(), i.as_str()));
        let amount = match row.amount_minor {
            Some(minor) => {
                let currency = catalog::rows::currency(&row.currency)?;
                billing::Money::from_minor(minor, currency)
                    .amount()
                    .to_string()
            }
            None => String::new(),
        };
        let mut write = || -> csv::Result<()> {
            cell.clear();
            let _ = write!(cell, "{}", row.id);
            writer.write_field(cell.as_bytes())?;
            self.time(cell, row.started_at);
            writer.write_field(cell.as_bytes())?;
            let ended = row.started_at + Duration::seconds(i64::from(row.duration_seconds));
            self.time(cell, ended);
            writer.write_field(cell.as_bytes())?;
            writer.write_field(CALL_PRODUCT)?;
            writer.write_field("")?;
            writer.write_field("")?;
            writer.write_field("")?;
            writer.write_field(number)?;
            writer.write_field(invoiced(row.invoice_id))?;
            writer.write_field(item)?;
            writer.write_field("call")?;
            writer.write_field(match row.direction {
                CallDirection::Outbound => "outbound",
                CallDirection::Inbound => "inbound",
            })?;
            escape_into(cell, &row.destination);
            writer.write_field(cell.as_bytes())?;
            cell.clear();
            let _ = write!(cell, "{}", row.duration_seconds);
            writer.write_field(cell.as_bytes())?;
            cell.clear();
            if let Some(billed) = row.billed_seconds {
                let _ = write!(cell, "{billed}");
            }
            writer.write_field(cell.as_bytes())?;
            writer.write_field(&amount)?;
            writer.write_record(None::<&[u8]>)
        };
        write().map_err(failed)
    }
}

/// The `invoiced` cell.
fn invoiced(invoice: Option<InvoiceId>) -> &'static str {
    if invoice.is_some() { "yes" } else { "no" }
}

fn failed(error: csv::Error) -> ServiceError {
    ServiceError::internal(format!("writing a CSV export: {error}"))
}

impl ConsumptionService {
    /// Starts the CSV export of `selection`: reads the customer's members' and teams' names
    /// (once for the whole file; a record whose member or team is gone prints an empty name).
    pub async fn csv_export(&self, selection: Selection) -> ServiceResult<CsvExport> {
        let members = member::Entity::find()
            .filter(member::Column::CustomerId.eq(selection.customer))
            .all(self.db.reads())
            .await?
            .into_iter()
            .map(|m| (m.id, escape_cell(&m.name)))
            .collect();
        let teams = team::Entity::find()
            .filter(team::Column::CustomerId.eq(selection.customer))
            .all(self.db.reads())
            .await?
            .into_iter()
            .map(|t| (t.id, escape_cell(&t.name)))
            .collect();
        let products = selection
            .items
            .iter()
            .map(|i| (i.id, escape_cell(&i.product)))
            .collect();
        let numbers = selection
            .numbers
            .iter()
            .map(|n| (n.id, (escape_cell(&n.e164), n.item.to_string())))
            .collect();
        let time_format = StrftimeItems::new(CSV_TIME_FORMAT)
            .parse_to_owned()
            .map_err(|e| ServiceError::internal(format!("the CSV's time format: {e}")))?;
        let phase = if selection.includes_usage() {
            Phase::Records(None)
        } else if selection.includes_calls() {
            Phase::Calls(None)
        } else {
            // Neither: the file is the header alone.
            Phase::Records(None)
        };
        Ok(CsvExport {
            db: self.db.clone(),
            selection,
            members,
            teams,
            products,
            numbers,
            time_format,
            phase,
            started: false,
        })
    }
}
