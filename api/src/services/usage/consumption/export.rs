//! Exports of exactly a selection: CSV (every record and call, streamed:
//! [`super::csv_export`]), printable HTML and PDF (the first [`HTML_ROW_LIMIT`] /
//! [`PDF_ROW_LIMIT`] rows — records first, then calls; above that the document says so and
//! points to the CSV instead of failing or growing without bound).
//!
//! Every export is read in keyset chunks, each one short query on the reading pool: nothing
//! holds a connection (or SQLite's WAL snapshot) for a whole download, and the CSV's memory does
//! not grow with the selection. The HTML and PDF read pages of [`CHUNK`] like the tables. Each
//! export is audited (`usage.export`) with the selection it covered before its first byte is
//! sent.

use chrono::{DateTime, Utc};
use documents::{ConsumptionDocument, ConsumptionLine, ConsumptionTotal, Labelled, Party};
use serde_json::json;

pub use super::csv_export::{CALL_PRODUCT, CSV_CHUNK, CSV_HEADER, CsvExport};
use super::{
    CallLine, CallTotals, ConsumptionKind, ConsumptionRecord, ConsumptionService, Selection,
    Summary,
};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::page::{Cursor, Page, PageRequest};

/// Records per chunk read for the HTML and PDF exports.
pub const CHUNK: u64 = 500;

/// How the CSV writes an instant: RFC 3339 with the offset of the selection's time zone.
pub(super) const CSV_TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%:z";

/// Most records a PDF export lists (≈ 1.4 s of rendering per 1,000).
pub const PDF_ROW_LIMIT: u64 = 2_000;

/// Most records an HTML export lists.
pub const HTML_ROW_LIMIT: u64 = 10_000;

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
pub(super) fn escape_into(cell: &mut String, value: &str) {
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
    match selection.kind {
        Some(ConsumptionKind::Usage) => labels.push(("Type", "Usage".to_owned())),
        Some(ConsumptionKind::Calls) => labels.push(("Type", "Calls".to_owned())),
        None => {}
    }
    labels
}

/// The calls' total as a totals row: (label, calls, billed time, amount), the billed time in
/// minutes and the unrated calls named.
pub fn calls_total_row(calls: &CallTotals) -> (String, u64, String, String) {
    let label = if calls.unrated == 0 {
        "Calls".to_owned()
    } else {
        format!("Calls ({} not yet rated)", calls.unrated)
    };
    (
        label,
        calls.calls,
        format!("{} min", calls.rated.billed_minutes()),
        calls.rated.amount().to_string(),
    )
}

/// A call as a line of the HTML and PDF exports: (started, what, number, billed time).
pub fn call_line(selection: &Selection, call: &CallLine) -> (String, String, String, String) {
    let row = &call.row;
    let direction = match row.direction {
        entity::call_record::CallDirection::Outbound => "to",
        entity::call_record::CallDirection::Inbound => "from",
    };
    let billed = match (row.billed_seconds, call.amount()) {
        (Some(seconds), Ok(Some(amount))) => format!("{seconds} s · {amount}"),
        _ => format!("{} s · not yet rated", row.duration_seconds),
    };
    (
        row.started_at
            .with_timezone(&selection.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        format!("{CALL_PRODUCT} {direction} {}", row.destination),
        call.number.clone(),
        billed,
    )
}

impl ConsumptionService {
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

    /// The first `limit` calls of the selection, read chunk by chunk.
    pub async fn first_calls(
        &self,
        selection: &Selection,
        limit: u64,
    ) -> ServiceResult<Vec<CallLine>> {
        let mut calls = Vec::new();
        let mut after = None;
        while (calls.len() as u64) < limit {
            let page = self
                .calls(
                    selection,
                    &PageRequest {
                        limit: CHUNK.min(limit - calls.len() as u64),
                        after,
                    },
                )
                .await?;
            let more = page.has_next_page;
            after = page.edges.last().map(|(cursor, _)| cursor.clone());
            calls.extend(page.into_items());
            if !more || after.is_none() {
                break;
            }
        }
        Ok(calls)
    }

    /// Records that `actor` exported `selection` as `format` (`summary`: what it holds).
    pub async fn audit_export(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        selection: &Selection,
        format: ExportFormat,
        summary: &Summary,
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
                    "type": selection.kind.map(|k| match k {
                        ConsumptionKind::Usage => "usage",
                        ConsumptionKind::Calls => "calls",
                    }),
                    "records": summary.records(),
                    "calls": summary.calls(),
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
        let calls = self
            .first_calls(selection, PDF_ROW_LIMIT - records.len() as u64)
            .await?;
        let total = summary.rows();
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
                .chain(summary.calls.as_ref().map(|c| {
                    let (product, calls, billed, amount) = calls_total_row(c);
                    ConsumptionTotal {
                        product,
                        records: calls.to_string(),
                        quantity: billed,
                        amount: Some(amount),
                    }
                }))
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
                .chain(calls.iter().map(|c| {
                    let (when, product, number, billed) = call_line(selection, c);
                    ConsumptionLine {
                        when,
                        product,
                        who: String::new(),
                        number: Some(number),
                        quantity: billed,
                    }
                }))
                .collect(),
            truncated: truncated_note(total, (records.len() + calls.len()) as u64, "PDF"),
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
