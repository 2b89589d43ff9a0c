//! Exports of exactly a selection: CSV (every record, streamed), printable HTML and PDF (the
//! first [`HTML_ROW_LIMIT`] / [`PDF_ROW_LIMIT`] records; above that the document says so and
//! points to the CSV instead of failing or growing without bound).
//!
//! Every export is read in keyset chunks, each one short query on the reading pool: nothing
//! holds a connection (or SQLite's WAL snapshot) for a whole download, and the CSV's memory does
//! not grow with the selection. The CSV ([`CsvExport`]) reads [`CSV_CHUNK`] records per query
//! and nothing else: the members' and teams' names are read once per export, and no cursor or
//! `hasPreviousPage` probe is computed for a reader that only goes forward. The HTML and PDF
//! read pages of [`CHUNK`] like the table. Each export is audited (`usage.export`) with the
//! selection it covered before its first byte is sent.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Utc};
use documents::{ConsumptionDocument, ConsumptionLine, ConsumptionTotal, Labelled, Party};
use entity::{member, team, usage_record};
use ids::{InvoiceId, MemberId, SubscriptionItemId, TeamId, UsageRecordId};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use super::{ConsumptionRecord, ConsumptionService, Selection, Summary};
use crate::auth::Actor;
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::page::{Cursor, Page, PageRequest};

/// Records per chunk read for the HTML and PDF exports.
pub const CHUNK: u64 = 500;

/// Records per query of a CSV export: about 1 MB of rows and 0.8 MB of CSV in memory at a time,
/// whatever the selection.
pub const CSV_CHUNK: u64 = 5_000;

/// How the CSV writes an instant: RFC 3339 with the offset of the selection's time zone.
const CSV_TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%:z";

/// Most records a PDF export lists (≈ 1.4 s of rendering per 1,000).
pub const PDF_ROW_LIMIT: u64 = 2_000;

/// Most records an HTML export lists.
pub const HTML_ROW_LIMIT: u64 = 10_000;

/// The CSV's header row; [`CsvExport`] writes the cells in this order.
pub const CSV_HEADER: [&str; 10] = [
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
];

/// An export's format, as audited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values, every record.
    Csv,
    /// A printable page.
    Html,
    /// A PDF document.
    Pdf,
}

impl ExportFormat {
    fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Html => "html",
            ExportFormat::Pdf => "pdf",
        }
    }
}

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return before one) gets a leading `'`, so it is shown as text (OWASP's CSV injection advice).
pub fn escape_cell(value: &str) -> String {
    let mut cell = String::with_capacity(value.len() + 1);
    escape_into(&mut cell, value);
    cell
}

/// [`escape_cell`] into `cell`, which is cleared first.
fn escape_into(cell: &mut String, value: &str) {
    cell.clear();
    if let Some('=' | '+' | '-' | '@' | '\t' | '\r') = value.chars().next() {
        cell.push('\'');
    }
    cell.push_str(value);
}

/// `at` in the selection's time zone, RFC 3339 with its offset.
pub fn local_time(selection: &Selection, at: DateTime<Utc>) -> String {
    at.with_timezone(&selection.tz)
        .format(CSV_TIME_FORMAT)
        .to_string()
}

/// What a CSV row prints of a record: only these columns are read (not the key, properties or
/// receipt time), so each chunk decodes less.
#[derive(Debug, FromQueryResult)]
struct CsvRow {
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

/// The columns of [`CsvRow`].
const CSV_COLUMNS: [usage_record::Column; 9] = [
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

/// A CSV export under way: the selection, the names its rows print (read once, escaped) and
/// where the last chunk ended. [`CsvExport::next_chunk`] gives the file chunk after chunk.
pub struct CsvExport {
    db: Db,
    selection: Selection,
    members: HashMap<MemberId, String>,
    teams: HashMap<TeamId, String>,
    products: HashMap<SubscriptionItemId, String>,
    time_format: Vec<Item<'static>>,
    /// The key of the last record written: the next chunk starts after it.
    after: Option<(DateTime<Utc>, UsageRecordId)>,
    started: bool,
    done: bool,
}

impl CsvExport {
    /// The next part of the file (the header first, then [`CSV_CHUNK`] records at most, in the
    /// table's order `(from, id)`); `None` once every record was given. One query per call.
    pub async fn next_chunk(&mut self) -> ServiceResult<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let select = match self.after {
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
        let rows = select
            .select_only()
            .columns(CSV_COLUMNS)
            .order_by_asc(usage_record::Column::FromAt)
            .order_by_asc(usage_record::Column::Id)
            .limit(CSV_CHUNK)
            .into_model::<CsvRow>()
            .all(self.db.reads())
            .await?;
        self.done = (rows.len() as u64) < CSV_CHUNK;
        self.after = rows.last().map(|r| (r.from_at, r.id));
        let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 160 + 128));
        if !self.started {
            writer.write_record(CSV_HEADER).map_err(csv_failed)?;
            self.started = true;
        }
        let mut cell = String::with_capacity(64);
        for row in &rows {
            self.write_row(&mut writer, &mut cell, row)
                .map_err(csv_failed)?;
        }
        writer
            .into_inner()
            .map(Some)
            .map_err(|e| ServiceError::internal(format!("writing a CSV export: {e}")))
    }

    /// One record, in [`CSV_HEADER`]'s order, cells escaped; `cell` is scratch space.
    fn write_row(
        &self,
        writer: &mut csv::Writer<Vec<u8>>,
        cell: &mut String,
        row: &CsvRow,
    ) -> csv::Result<()> {
        cell.clear();
        let _ = write!(cell, "{}", row.id);
        writer.write_field(cell.as_bytes())?;
        for at in [row.from_at, row.to_at] {
            cell.clear();
            let local = at.with_timezone(&self.selection.tz);
            let _ = write!(cell, "{}", local.format_with_items(self.time_format.iter()));
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
        writer.write_field(if row.invoice_id.is_some() {
            "yes"
        } else {
            "no"
        })?;
        cell.clear();
        let _ = write!(cell, "{}", row.subscription_item_id);
        writer.write_field(cell.as_bytes())?;
        writer.write_record(None::<&[u8]>)
    }
}

fn csv_failed(error: csv::Error) -> ServiceError {
    ServiceError::internal(format!("writing a CSV export: {error}"))
}

/// The selection's filters, for people: `("Team", "Sales")`…
pub fn filter_labels(selection: &Selection) -> Vec<(&'static str, String)> {
    let mut labels = Vec::new();
    if let Some((_, name)) = &selection.team {
        labels.push(("Team", name.clone()));
    }
    if let Some((_, name)) = &selection.member {
        labels.push(("Member", name.clone()));
    }
    if let Some(item) = selection.item.and_then(|i| selection.item(i)) {
        labels.push(("Product", item.product.clone()));
    }
    if let Some(number) = &selection.number {
        labels.push(("Number", number.clone()));
    }
    labels
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
        let time_format = StrftimeItems::new(CSV_TIME_FORMAT)
            .parse_to_owned()
            .map_err(|e| ServiceError::internal(format!("the CSV's time format: {e}")))?;
        Ok(CsvExport {
            db: self.db.clone(),
            selection,
            members,
            teams,
            products,
            time_format,
            after: None,
            started: false,
            done: false,
        })
    }

    /// The chunk of the selection's records after `after` (from the start with `None`).
    pub async fn chunk(
        &self,
        selection: &Selection,
        after: Option<Cursor>,
    ) -> ServiceResult<Page<ConsumptionRecord>> {
        self.records(
            selection,
            &PageRequest {
                limit: CHUNK,
                after,
            },
        )
        .await
    }

    /// The first `limit` records of the selection, read chunk by chunk.
    pub async fn first_records(
        &self,
        selection: &Selection,
        limit: u64,
    ) -> ServiceResult<Vec<ConsumptionRecord>> {
        let mut records = Vec::new();
        let mut after = None;
        loop {
            let page = self.chunk(selection, after).await?;
            let more = page.has_next_page;
            after = page.edges.last().map(|(cursor, _)| cursor.clone());
            for (_, record) in page.edges {
                if records.len() as u64 >= limit {
                    return Ok(records);
                }
                records.push(record);
            }
            if !more || records.len() as u64 >= limit {
                return Ok(records);
            }
        }
    }

    /// Records that `actor` exported `selection` as `format` (`records`: how many it holds).
    pub async fn audit_export(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        selection: &Selection,
        format: ExportFormat,
        records: u64,
    ) -> ServiceResult<()> {
        let actor = actor.authenticated()?;
        let txn = self.db.begin_plain_write().await?;
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(selection.customer),
                action: "usage.export",
                subject_type: "consumption",
                subject_id: selection.customer.to_string(),
                before: None,
                after: Some(json!({
                    "format": format.as_str(),
                    "from": selection.from,
                    "to": selection.to,
                    "team": selection.team.as_ref().map(|(id, _)| id.to_string()),
                    "member": selection.member.as_ref().map(|(id, _)| id.to_string()),
                    "item": selection.item.map(|id| id.to_string()),
                    "number": selection.number,
                    "records": records,
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The selection as a PDF (its first [`PDF_ROW_LIMIT`] records), rendered on a blocking
    /// thread.
    pub async fn pdf(
        &self,
        selection: &Selection,
        summary: &Summary,
        organisation: &str,
    ) -> ServiceResult<Vec<u8>> {
        let records = self.first_records(selection, PDF_ROW_LIMIT).await?;
        let total = summary.records();
        let today = billing::local_date(Utc::now(), selection.tz);
        let document = ConsumptionDocument {
            seller: self.issuer.party(),
            buyer: Party {
                name: organisation.to_owned(),
                lines: Vec::new(),
                tax_id: None,
            },
            number: format!("{} – {}", selection.from, selection.to),
            date: today,
            issue_date: crate::services::documents::content::date_text(today),
            period: period_text(selection),
            filters: filter_labels(selection)
                .into_iter()
                .map(|(label, value)| Labelled {
                    label: label.to_owned(),
                    amount: value,
                })
                .collect(),
            totals: summary
                .totals
                .iter()
                .map(|t| ConsumptionTotal {
                    product: t.product.clone(),
                    records: t.records.to_string(),
                    quantity: t.quantity.to_string(),
                    amount: t.amount.map(|a| a.to_string()),
                })
                .collect(),
            record_count: total.to_string(),
            lines: records
                .iter()
                .map(|r| ConsumptionLine {
                    when: r
                        .row
                        .from_at
                        .with_timezone(&selection.tz)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    product: r.product.clone(),
                    who: who(r),
                    number: r.row.number.clone(),
                    quantity: r.row.quantity.clone(),
                })
                .collect(),
            truncated: truncated_note(total, records.len() as u64, "PDF"),
        };
        tokio::task::spawn_blocking(move || documents::Renderer::global().consumption(&document))
            .await
            .map_err(ServiceError::internal)?
            .map_err(|e| ServiceError::internal(format!("rendering a consumption export: {e}")))
    }
}

/// "Alice Martin · Sales", or whichever of the two the record names.
pub fn who(record: &ConsumptionRecord) -> String {
    match (&record.member, &record.team) {
        (Some(m), Some(t)) => format!("{m} · {t}"),
        (Some(m), None) => m.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => String::new(),
    }
}

/// "1 November 2026 – 30 November 2026".
pub fn period_text(selection: &Selection) -> String {
    use crate::services::documents::content::date_text;
    if selection.from == selection.to {
        return date_text(selection.from);
    }
    format!(
        "{} – {}",
        date_text(selection.from),
        date_text(selection.to)
    )
}

/// The sentence an export prints when it lists only the first `shown` of `total` records.
pub fn truncated_note(total: u64, shown: u64, what: &str) -> Option<String> {
    (total > shown).then(|| {
        format!(
            "This selection has {total} records: the {what} lists the first {shown}. \
             Download the CSV for every record, or narrow the selection."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_escaped_and_others_kept() {
        for formula in ["=1+1", "+33 1", "-2", "@SUM(A1)", "\t=x", "\r=x"] {
            assert_eq!(escape_cell(formula), format!("'{formula}"));
        }
        for plain in ["Alice", "", "1.5", "Sales = team", "'quoted"] {
            assert_eq!(escape_cell(plain), plain);
        }
    }

    #[test]
    fn only_a_selection_above_the_limit_is_noted() {
        assert_eq!(truncated_note(2_000, 2_000, "PDF"), None);
        let note = truncated_note(2_001, 2_000, "PDF").unwrap_or_default();
        assert!(
            note.contains("2001 records") && note.contains("first 2000"),
            "{note}"
        );
    }
}
