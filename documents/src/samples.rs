//! Sample documents: realistic invoices and credit notes for tests, benchmarks and previews
//! (`cargo run -p documents --example preview`).
//!
//! The figures add up (they are computed here in integer cents, only to make the samples
//! believable); real documents get every figure from `billing` through the api.

use chrono::NaiveDate;

use crate::{CreditNoteDocument, DocumentLine, InvoiceDocument, Labelled, Logo, LogoFormat, Party};

/// The operator of the samples.
pub fn seller() -> Party {
    Party {
        name: "Northwind Voice SAS".into(),
        lines: vec![
            "12 rue de la Paix".into(),
            "75002 Paris, France".into(),
            "billing@northwind.example".into(),
        ],
        tax_id: Some("FR 40 123456789".into()),
    }
}

/// The customer of the samples.
pub fn buyer() -> Party {
    Party {
        name: "Acme Robotics GmbH".into(),
        lines: vec![
            "Attn. Accounts payable".into(),
            "Friedrichstraße 68".into(),
            "10117 Berlin, Germany".into(),
            "invoices@acme.example".into(),
        ],
        tax_id: Some("DE 811 907 980".into()),
    }
}

/// A small SVG logo (a rounded square and the operator's initials).
pub fn logo() -> Logo {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="64" viewBox="0 0 240 64">
<rect x="0" y="0" width="64" height="64" rx="14" fill="#1d4ed8"/>
<path d="M16 46 V18 L32 38 L48 18 V46" stroke="#ffffff" stroke-width="6" fill="none" stroke-linejoin="round"/>
<rect x="80" y="20" width="150" height="10" rx="5" fill="#1f2937"/>
<rect x="80" y="38" width="100" height="8" rx="4" fill="#9ca3af"/>
</svg>"##;
    Logo {
        bytes: svg.as_bytes().to_vec(),
        format: LogoFormat::Svg,
    }
}

/// What the sample lines sell, in turn: description, service period, unit price in cents,
/// quantity.
const CATALOG: [(&str, &str, i64, i64); 6] = [
    (
        "Cloud PBX — Business licence",
        "1 – 31 December 2026",
        2_400,
        12,
    ),
    (
        "Outbound calls to French mobiles",
        "1 – 30 November 2026",
        4,
        1_250,
    ),
    (
        "Outbound calls to German landlines",
        "1 – 30 November 2026",
        2,
        3_410,
    ),
    (
        "Additional phone number (Berlin +49 30)",
        "1 – 31 December 2026",
        300,
        2,
    ),
    (
        "Call recording & transcription add-on (prorated)",
        "12 – 31 December 2026",
        480,
        5,
    ),
    ("SMS to Europe", "1 – 30 November 2026", 7, 860),
];

/// The first sample invoice number: `INV-2026-0042`.
pub const INVOICE_NUMBER: &str = "INV-2026-0042";

/// The sample lines: `count` of them, each with a distinct description and amount
/// (`… #0007`), cycling through a small catalogue of licences, metered calls and add-ons.
pub fn lines(count: usize) -> Vec<DocumentLine> {
    priced_lines(count)
        .into_iter()
        .map(|(line, _)| line)
        .collect()
}

/// [`lines`] with each line's amount in cents.
fn priced_lines(count: usize) -> Vec<(DocumentLine, i64)> {
    let mut amounts = std::collections::HashSet::new();
    (0..count)
        .map(|index| {
            let (description, period, unit, base) = CATALOG[index % CATALOG.len()];
            // Vary the quantity so that every line's amount differs from every other's: a test
            // can then find each line's amount on its own row.
            let mut quantity = base + i64::try_from(index).unwrap_or(0);
            while !amounts.insert(unit * quantity) {
                quantity += 1;
            }
            let line = DocumentLine {
                description: format!("{description} #{:04}", index + 1),
                service_period: Some(period.to_owned()),
                quantity: Some(group(quantity)),
                unit_price: Some(euros(unit)),
                tax_rate: Some("20 %".into()),
                amount: euros(unit * quantity),
            };
            (line, unit * quantity)
        })
        .collect()
}

/// The net amount of [`lines`]`(count)` in cents.
fn net(count: usize) -> i64 {
    priced_lines(count).iter().map(|(_, cents)| cents).sum()
}

/// An open invoice with `count` lines, a 5 % discount, 20 % VAT, credits applied, payment
/// instructions and notes.
pub fn invoice(count: usize) -> InvoiceDocument {
    let subtotal = net(count);
    let discount = subtotal * 5 / 100;
    let tax = (subtotal - discount) * 20 / 100;
    let total = subtotal - discount + tax;
    let credits = total.min(5_000);
    InvoiceDocument {
        seller: seller(),
        logo: Some(logo()),
        buyer: buyer(),
        number: INVOICE_NUMBER.into(),
        date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
        issue_date: "1 December 2026".into(),
        due_date: "31 December 2026".into(),
        period: Some("1 – 31 December 2026".into()),
        po_number: Some("PO-88123".into()),
        status: "Open".into(),
        currency: "EUR".into(),
        lines: lines(count),
        subtotal: euros(subtotal),
        discount: Some(format!("−{}", euros(discount))),
        taxes: vec![Labelled {
            label: "VAT 20 %".into(),
            amount: euros(tax),
        }],
        total: euros(total),
        credits_applied: Some(format!("−{}", euros(credits))),
        amount_due: euros(total - credits),
        payment_instructions: Some(
            "Bank transfer to Northwind Voice SAS\nIBAN FR76 3000 6000 0112 3456 7890 189 · BIC AGRIFRPP\nPlease quote the invoice number as the reference.".into(),
        ),
        notes: Some("Thank you for your business. Questions about this invoice: billing@northwind.example.".into()),
    }
}

/// A credit note correcting two lines of [`invoice`], part applied to it, part to the balance.
pub fn credit_note() -> CreditNoteDocument {
    let lines: Vec<DocumentLine> = lines(2)
        .into_iter()
        .map(|line| DocumentLine {
            description: format!("Credit: {}", line.description),
            // A credit note credits amounts: no quantity or unit price, as the api writes it.
            quantity: None,
            unit_price: None,
            ..line
        })
        .collect();
    let subtotal = net(2);
    let tax = subtotal * 20 / 100;
    let total = subtotal + tax;
    let applied = total / 2;
    CreditNoteDocument {
        seller: seller(),
        logo: Some(logo()),
        buyer: buyer(),
        number: "CN-2026-0007".into(),
        date: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap_or_default(),
        issue_date: "9 December 2026".into(),
        invoice_number: INVOICE_NUMBER.into(),
        reason: "Licences billed twice after a plan change on 28 November.".into(),
        currency: "EUR".into(),
        lines,
        subtotal: euros(subtotal),
        taxes: vec![Labelled {
            label: "VAT 20 %".into(),
            amount: euros(tax),
        }],
        total: euros(total),
        applied_to_invoice: Some(euros(applied)),
        credited_to_balance: Some(euros(total - applied)),
        notes: Some("The balance is deducted from your next invoice.".into()),
    }
}

/// `1234567` cents as `€12,345.67`.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "−" } else { "" };
    let cents = cents.unsigned_abs();
    format!(
        "{sign}€{}.{:02}",
        group(i64::try_from(cents / 100).unwrap_or(i64::MAX)),
        cents % 100
    )
}

/// `1234567` as `1,234,567`.
fn group(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if value < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_euros_and_groups_thousands() {
        assert_eq!(euros(0), "€0.00");
        assert_eq!(euros(5), "€0.05");
        assert_eq!(euros(123_456), "€1,234.56");
        assert_eq!(euros(100_000_000), "€1,000,000.00");
        assert_eq!(euros(-1_050), "−€10.50");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
    }

    #[test]
    fn every_sample_line_has_its_own_description_and_amount() {
        let lines = lines(1_000);
        let descriptions: std::collections::HashSet<_> =
            lines.iter().map(|line| &line.description).collect();
        let amounts: std::collections::HashSet<_> = lines.iter().map(|line| &line.amount).collect();
        assert_eq!(descriptions.len(), 1_000);
        assert_eq!(amounts.len(), 1_000);
    }
}
