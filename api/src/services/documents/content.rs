//! What a document says, from its stored rows: the texts the `documents` crate lays out. Every
//! amount was computed by `billing` when the invoice or credit note was finalised; this only
//! formats them (money, dates, rates), so the PDF says what GraphQL and the portal say.

use std::collections::BTreeMap;

use billing::{Currency, Decimal, InvoiceLine, LineKind};
use chrono::{Duration, NaiveDate};
use documents::{
    CreditNoteDocument, DocumentLine, InvoiceDocument, Labelled, Logo, LogoFormat, Party,
};
use serde_json::Value;

use crate::config::Operator;
use crate::error::{ServiceError, ServiceResult};
use crate::services::credits::notes::StoredCreditNote;
use crate::services::invoices::StoredInvoice;
use crate::services::tax;

/// Who issues documents, as printed on them: the configured operator and its logo, read once.
#[derive(Clone, Debug)]
pub struct Issuer {
    /// Name, address, tax id, e-mail, payment instructions.
    pub operator: Operator,
    /// The logo file's bytes, when one is configured.
    pub logo: Option<Logo>,
}

impl Issuer {
    /// The configured operator, with its logo file read (PNG or SVG, told by its content).
    pub fn from_config(operator: &Operator) -> Result<Self, crate::BoxError> {
        let logo = match &operator.logo_file {
            None => None,
            Some(path) => {
                let bytes = std::fs::read(path)
                    .map_err(|e| format!("operator.logo_file {}: {e}", path.display()))?;
                let format = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
                    LogoFormat::Png
                } else if std::str::from_utf8(&bytes).is_ok_and(|text| text.contains("<svg")) {
                    LogoFormat::Svg
                } else {
                    return Err(format!(
                        "operator.logo_file {}: must be a PNG or an SVG image",
                        path.display()
                    )
                    .into());
                };
                let logo = Logo { bytes, format };
                check_logo(&logo).map_err(|e| {
                    format!(
                        "operator.logo_file {}: cannot be drawn: {e}",
                        path.display()
                    )
                })?;
                Some(logo)
            }
        };
        Ok(Self {
            operator: operator.clone(),
            logo,
        })
    }

    /// The seller block of every document.
    pub(crate) fn party(&self) -> Party {
        let mut lines = self.operator.address.clone();
        lines.push(self.operator.email.clone());
        Party {
            name: self.operator.name.clone(),
            lines,
            tax_id: self.operator.tax_id.clone(),
        }
    }
}

/// Renders a one-line sample invoice with `logo`: a PNG whose data is cut short, or an SVG typst
/// cannot read, would otherwise fail every invoice's rendering, long after start-up. (It also
/// builds the renderer's fonts and tables before the first real invoice.)
fn check_logo(logo: &Logo) -> Result<(), documents::RenderError> {
    let mut sample = documents::samples::invoice(1);
    sample.logo = Some(logo.clone());
    documents::Renderer::global().invoice(&sample).map(drop)
}

/// "1 December 2026".
pub fn date_text(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// "1 November 2026 – 30 November 2026" for a period whose end is the first day after it.
fn period_text(start: NaiveDate, end: NaiveDate) -> String {
    let last = end - Duration::days(1);
    if last <= start {
        return date_text(start);
    }
    format!("{} – {}", date_text(start), date_text(last))
}

/// An exact unit price with the currency's symbol: `€0.05`, `€46.933333` (as many decimals as
/// it has, at least the currency's).
fn unit_price_text(currency: Currency, amount: Decimal) -> String {
    let mut amount = amount.normalize();
    if amount.scale() < currency.minor_units() {
        amount.rescale(currency.minor_units());
    }
    match currency.symbol() {
        Some(symbol) if amount.is_sign_negative() => format!("-{symbol}{}", amount.abs()),
        Some(symbol) => format!("{symbol}{amount}"),
        None => format!("{} {amount}", currency.code()),
    }
}

/// "20 %", "5.5 %".
fn rate_text(rate: billing::TaxRate) -> String {
    format!("{} %", rate.0.value().normalize())
}

/// "VAT FR 20 %" with the name the invoice was built with, else "Tax 20 %".
fn tax_label(names: &BTreeMap<String, String>, rate: billing::TaxRate) -> String {
    match names.get(&tax::rate_key(rate)) {
        Some(name) => format!("{name} {}", rate_text(rate)),
        None => format!("Tax {}", rate_text(rate)),
    }
}

/// The tax names an invoice was finalised with.
fn tax_names(invoice: &entity::invoice::Model) -> BTreeMap<String, String> {
    invoice
        .billing_snapshot
        .get("tax_names")
        .and_then(|n| serde_json::from_value(n.clone()).ok())
        .unwrap_or_default()
}

/// The status an invoice's document prints: the invoice's as it was issued, "Open" while an
/// amount is due, "Paid" when credits left nothing to pay. Not its status when rendered: the
/// document is rendered once, right after finalisation or later (a download, another instance),
/// and it must say the same whenever that was. A later payment or void shows in the portal and
/// the API; the document stays the one first sent.
fn status_as_issued(amount_due_minor: i64) -> &'static str {
    if amount_due_minor > 0 { "Open" } else { "Paid" }
}

/// The table row of an invoice line.
fn line_row(currency: Currency, line: &InvoiceLine) -> DocumentLine {
    DocumentLine {
        description: line.description.clone(),
        service_period: line.service_period.map(|p| period_text(p.start(), p.end())),
        quantity: Some(line.quantity.normalize().to_string()),
        unit_price: line.unit_amount.map(|u| unit_price_text(currency, u)),
        tax_rate: line.tax_rate.map(rate_text),
        amount: line.amount.to_string(),
    }
}

/// The customer as the invoice snapshotted them at finalisation: name, company, billing
/// address (when one was recorded), e-mail, tax id.
fn buyer(snapshot: &Value) -> Party {
    let text = |key: &str| {
        snapshot
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let name = text("company").or_else(|| text("name")).unwrap_or_default();
    // `name` is the organisation's name in Billfold; the company is its legal name, which the
    // document carries when there is one.
    let mut lines = Vec::new();
    match snapshot
        .get("billing_address")
        .and_then(|a| a.get("lines"))
        .and_then(Value::as_array)
    {
        Some(address) => lines.extend(address.iter().filter_map(Value::as_str).map(str::to_owned)),
        None => lines.extend(text("country")),
    }
    lines.extend(text("email"));
    Party {
        name,
        lines,
        tax_id: text("tax_id"),
    }
}

/// What the PDF of `invoice` says.
pub fn invoice_document(
    issuer: &Issuer,
    invoice: &StoredInvoice,
) -> ServiceResult<InvoiceDocument> {
    let row = &invoice.row;
    let currency = invoice.currency;
    let money = |minor: i64| invoice.money(minor);
    let names = tax_names(row);
    let taxes = billing::taxes_by_rate(currency, &invoice.lines)
        .map_err(|e| ServiceError::internal(format!("tax by rate: {e}")))?
        .into_iter()
        .map(|t| Labelled {
            label: tax_label(&names, t.rate),
            amount: t.tax.to_string(),
        })
        .collect();
    let nonzero = |minor: i64| (minor != 0).then(|| money(minor));
    let due = row.amount_due_minor > 0;
    Ok(InvoiceDocument {
        seller: issuer.party(),
        logo: issuer.logo.clone(),
        buyer: buyer(&row.billing_snapshot),
        number: row.number.clone().unwrap_or_default(),
        date: row.issue_date,
        issue_date: date_text(row.issue_date),
        due_date: date_text(row.due_date),
        period: row
            .subscription_id
            .map(|_| period_text(row.period_start, row.period_end)),
        po_number: row.po_number.clone(),
        status: status_as_issued(row.amount_due_minor).to_owned(),
        currency: currency.code().to_owned(),
        lines: invoice
            .lines
            .iter()
            // Credit used is a total of its own ("Credits applied"), not a charge.
            .filter(|line| line.kind != LineKind::Credit)
            .map(|line| line_row(currency, line))
            .collect(),
        subtotal: money(row.subtotal_minor).to_string(),
        discount: nonzero(row.discount_minor).map(|d| (-d).to_string()),
        taxes,
        total: money(row.total_minor).to_string(),
        credits_applied: nonzero(row.credits_applied_minor).map(|c| (-c).to_string()),
        amount_due: money(row.amount_due_minor).to_string(),
        payment_instructions: due
            .then(|| issuer.operator.payment_instructions.clone())
            .flatten(),
        notes: row.notes.clone(),
    })
}

/// What the PDF of `note`, correcting `invoice`, says.
pub fn credit_note_document(
    issuer: &Issuer,
    note: &StoredCreditNote,
    invoice: &entity::invoice::Model,
) -> ServiceResult<CreditNoteDocument> {
    let row = &note.row;
    let money = |minor: i64| note.money(minor);
    let nonzero = |minor: i64| (minor != 0).then(|| money(minor).to_string());
    let names = tax_names(invoice);
    let mut by_rate: BTreeMap<Decimal, (String, i64)> = BTreeMap::new();
    let mut lines = Vec::with_capacity(note.lines.len());
    for line in &note.lines {
        let rate = line
            .tax_rate
            .as_deref()
            .map(|text| {
                text.parse::<Decimal>()
                    .ok()
                    .and_then(|r| billing::TaxRate::new(r).ok())
                    .ok_or_else(|| ServiceError::corrupt("credit note line tax rate", text))
            })
            .transpose()?;
        if let Some(rate) = rate {
            let entry = by_rate
                .entry(rate.0.value().normalize())
                .or_insert_with(|| (tax_label(&names, rate), 0));
            entry.1 += line.tax_minor;
        }
        lines.push(DocumentLine {
            description: line.description.clone(),
            service_period: None,
            quantity: None,
            unit_price: None,
            tax_rate: rate.map(rate_text),
            amount: money(line.amount_minor).to_string(),
        });
    }
    Ok(CreditNoteDocument {
        seller: issuer.party(),
        logo: issuer.logo.clone(),
        buyer: buyer(&invoice.billing_snapshot),
        number: row.number.clone(),
        date: row.issue_date,
        issue_date: date_text(row.issue_date),
        invoice_number: invoice.number.clone().unwrap_or_default(),
        reason: row.reason.clone(),
        currency: row.currency.clone(),
        lines,
        subtotal: money(row.subtotal_minor).to_string(),
        taxes: by_rate
            .into_values()
            .map(|(label, minor)| Labelled {
                label,
                amount: money(minor).to_string(),
            })
            .collect(),
        total: money(row.total_minor).to_string(),
        applied_to_invoice: nonzero(row.applied_to_invoice_minor),
        credited_to_balance: nonzero(row.credited_to_balance_minor),
        notes: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn operator_with_logo(bytes: &[u8]) -> (tempfile::TempDir, Operator) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("logo");
        std::fs::write(&path, bytes).expect("write logo");
        let operator = Operator {
            logo_file: Some(path),
            ..Operator::default()
        };
        (dir, operator)
    }

    #[test]
    fn a_logo_is_checked_when_read() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><rect width="40" height="10" fill="#123456"/></svg>"##;
        let (_dir, operator) = operator_with_logo(svg);
        let issuer = Issuer::from_config(&operator).expect("a drawable SVG logo");
        assert!(matches!(
            issuer.logo,
            Some(Logo {
                format: LogoFormat::Svg,
                ..
            })
        ));

        // A PNG signature followed by nothing a decoder can read: refused at start-up, not at
        // the first invoice.
        let (_dir, operator) = operator_with_logo(b"\x89PNG\r\n\x1a\nnot really a png");
        let error = Issuer::from_config(&operator).expect_err("a broken PNG");
        assert!(error.to_string().contains("cannot be drawn"), "{error}");

        let (_dir, operator) = operator_with_logo(b"GIF89a");
        let error = Issuer::from_config(&operator).expect_err("not a PNG or an SVG");
        assert!(
            error.to_string().contains("must be a PNG or an SVG"),
            "{error}"
        );
    }

    #[test]
    fn periods_print_their_last_day() {
        assert_eq!(
            period_text(day(2026, 11, 1), day(2026, 12, 1)),
            "1 November 2026 – 30 November 2026"
        );
        assert_eq!(
            period_text(day(2026, 11, 1), day(2026, 11, 2)),
            "1 November 2026"
        );
    }

    #[test]
    fn unit_prices_keep_their_decimals_and_at_least_the_currencys() {
        let eur = Currency::from_code("EUR").expect("EUR");
        let kwd = Currency::from_code("KWD").expect("KWD");
        assert_eq!(unit_price_text(eur, Decimal::new(5, 2)), "€0.05");
        assert_eq!(unit_price_text(eur, Decimal::new(64, 0)), "€64.00");
        assert_eq!(
            unit_price_text(eur, Decimal::new(46_933_333, 6)),
            "€46.933333"
        );
        assert_eq!(unit_price_text(kwd, Decimal::new(12, 1)), "KWD 1.200");
        assert_eq!(unit_price_text(eur, Decimal::new(-5, 0)), "-€5.00");
    }

    #[test]
    fn the_buyer_is_the_snapshot_with_its_address_when_recorded() {
        let snapshot = serde_json::json!({
            "name": "Jane Doe", "company": "Acme Telecom", "email": "billing@acme.example",
            "country": "FR", "tax_id": "FR123",
            "billing_address": {"lines": ["1 rue A", "75001 Paris", "France"]},
        });
        let party = buyer(&snapshot);
        assert_eq!(party.name, "Acme Telecom");
        assert_eq!(
            party.lines,
            ["1 rue A", "75001 Paris", "France", "billing@acme.example"]
        );
        assert_eq!(party.tax_id.as_deref(), Some("FR123"));
        let bare = buyer(&serde_json::json!({"name": "Solo", "email": "s@x.example"}));
        assert_eq!(bare.name, "Solo");
        assert_eq!(bare.lines, ["s@x.example"]);
    }
}
