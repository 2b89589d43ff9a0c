//! The CSV export of exactly a selection: every usage record (by `(from, id)`), then every call
//! (by `(started_at, id)`), one row each, streamed in chunks of [`CSV_CHUNK`] rows read by one
//! short query each ([`read`], a task of its own that reads ahead while this writes). Only the
//! printed columns are read; the members', teams' and products' names and the customer's
//! numbers are read once per export, escaped once. No cursor or `hasPreviousPage` probe is
//! computed for a reader that only goes forward.
//!
//! One header for both kinds of row: the usage columns first (as before calls were exported,
//! so a reader of those finds them where they were), then `type` (`usage` or `call`) and the
//! call's own columns, empty on a usage row; a call's `quantity`, `member` and `team` are empty.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};
use entity::call_record::CallDirection;
use entity::{member, team};
use ids::{InvoiceId, MemberId, PhoneNumberId, SubscriptionItemId, TeamId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::sync::mpsc;

use self::read::{CallRow, RecordRow, Rows};
use super::export::{escape_cell, escape_into};
use super::local_time::LocalTimes;
use super::{ConsumptionService, Selection};

mod read;
mod sqlite_file;
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

/// A CSV export under way: the names its rows print (read once, escaped) and the rows as
/// [`read`] sends them. [`CsvExport::next_chunk`] gives the file chunk after chunk.
pub struct CsvExport {
    /// The rows, chunk after chunk.
    rows: mpsc::Receiver<ServiceResult<Rows>>,
    members: HashMap<MemberId, String>,
    teams: HashMap<TeamId, String>,
    products: HashMap<SubscriptionItemId, String>,
    /// Each of the customer's numbers: (E.164 escaped, its rental item's id).
    numbers: HashMap<PhoneNumberId, (String, String)>,
    /// The selection's time zone, for the time columns.
    times: LocalTimes,
    /// Whether the header was written.
    started: bool,
    /// Whether the reader said every row was sent.
    finished: bool,
}

impl CsvExport {
    /// The next part of the file (the header first, then [`CSV_CHUNK`] rows at most: records
    /// in the table's order `(from, id)`, then calls by `(started_at, id)`); `None` once every
    /// row was given.
    pub async fn next_chunk(&mut self) -> ServiceResult<Option<Vec<u8>>> {
        if self.finished {
            return Ok(None);
        }
        let rows = match self.rows.recv().await {
            Some(rows) => rows?,
            // The reader sends `Rows::End` after the last rows: a channel closed without it
            // is a reader that died, and a file ended there would be silently short.
            None => {
                return Err(ServiceError::internal(
                    "the CSV export's reader stopped before the last row",
                ));
            }
        };
        if let Rows::End = rows {
            self.finished = true;
            return Ok(None);
        }
        let mut writer = csv::Writer::from_writer(Vec::with_capacity(
            usize::try_from(CSV_CHUNK).unwrap_or(0) * 170 + 256,
        ));
        if !self.started {
            writer.write_record(CSV_HEADER).map_err(failed)?;
            self.started = true;
        }
        let mut cell = String::with_capacity(64);
        match rows {
            Rows::Records(rows) => {
                for row in &rows {
                    self.write_record(&mut writer, &mut cell, row)
                        .map_err(failed)?;
                }
            }
            Rows::Calls(rows) => {
                for row in &rows {
                    self.write_call(&mut writer, &mut cell, row)?;
                }
            }
            Rows::End => {}
        }
        writer
            .into_inner()
            .map(Some)
            .map_err(|e| ServiceError::internal(format!("writing a CSV export: {e}")))
    }

    /// One record, in [`CSV_HEADER`]'s order, cells escaped; `cell` is scratch space.
    fn write_record(
        &mut self,
        writer: &mut csv::Writer<Vec<u8>>,
        cell: &mut String,
        row: &RecordRow,
    ) -> csv::Result<()> {
        cell.clear();
        let _ = write!(cell, "{}", row.id);
        writer.write_field(cell.as_bytes())?;
        for at in [row.from_at, row.to_at] {
            time(&mut self.times, cell, at);
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
        &mut self,
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
            time(&mut self.times, cell, row.started_at);
            writer.write_field(cell.as_bytes())?;
            let ended = row.started_at + Duration::seconds(i64::from(row.duration_seconds));
            time(&mut self.times, cell, ended);
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

/// `at` in the selection's time zone into `cell` (see [`LocalTimes`]).
fn time(times: &mut LocalTimes, cell: &mut String, at: DateTime<Utc>) {
    cell.clear();
    times.write(cell, at);
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
    /// (once for the whole file; a record whose member or team is gone prints an empty name)
    /// and starts reading its rows ([`read::spawn`]).
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
        let times = LocalTimes::new(selection.tz);
        Ok(CsvExport {
            rows: read::spawn(self.db.clone(), selection),
            members,
            teams,
            products,
            numbers,
            times,
            started: false,
            finished: false,
        })
    }
}
