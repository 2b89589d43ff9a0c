//! Exports of exactly a selection: CSV (every record, streamed), printable HTML and PDF (the
//! first [`HTML_ROW_LIMIT`] / [`PDF_ROW_LIMIT`] records; above that the document says so and
//! points to the CSV instead of failing or growing without bound).
//!
//! Every export is read in keyset chunks of [`CHUNK`] records, each one short query on the
//! reading pool: nothing holds a connection (or SQLite's WAL snapshot) for a whole download, and
//! the CSV's memory does not grow with the selection. Each export is audited
//! (`usage.export`) with the selection it covered before its first byte is sent.

use chrono::{DateTime, Utc};
use documents::{ConsumptionDocument, ConsumptionLine, ConsumptionTotal, Labelled, Party};
use serde_json::json;

use super::{ConsumptionRecord, ConsumptionService, Selection, Summary};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::page::{Cursor, Page, PageRequest};

/// Records per chunk read for an export.
pub const CHUNK: u64 = 500;

/// Most records a PDF export lists (≈ 1.4 s of rendering per 1,000).
pub const PDF_ROW_LIMIT: u64 = 2_000;

/// Most records an HTML export lists.
pub const HTML_ROW_LIMIT: u64 = 10_000;

/// The CSV's header row; [`csv_row`] writes the cells in this order.
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
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

/// `at` in the selection's time zone, RFC 3339 with its offset.
pub fn local_time(selection: &Selection, at: DateTime<Utc>) -> String {
    at.with_timezone(&selection.tz)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// One record as a CSV row, cells escaped, in [`CSV_HEADER`]'s order.
pub fn csv_row(selection: &Selection, record: &ConsumptionRecord) -> [String; 10] {
    let row = &record.row;
    [
        row.id.to_string(),
        local_time(selection, row.from_at),
        local_time(selection, row.to_at),
        escape_cell(&record.product),
        row.quantity.clone(),
        escape_cell(record.member.as_deref().unwrap_or_default()),
        escape_cell(record.team.as_deref().unwrap_or_default()),
        escape_cell(row.number.as_deref().unwrap_or_default()),
        if row.invoice_id.is_some() {
            "yes"
        } else {
            "no"
        }
        .to_owned(),
        row.subscription_item_id.to_string(),
    ]
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
