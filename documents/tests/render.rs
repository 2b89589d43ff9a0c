//! The rendered documents, read back as text with poppler: what a customer sees on the page.

mod pdf;

use documents::{
    CreditNoteDocument, DocumentLine, InvoiceDocument, Logo, LogoFormat, RenderError, Renderer,
    samples,
};
use pdf::{holds_in_order, line_with, squeeze};

fn render(invoice: &InvoiceDocument) -> Vec<u8> {
    Renderer::global()
        .invoice(invoice)
        .unwrap_or_else(|error| panic!("{error}"))
}

fn render_note(note: &CreditNoteDocument) -> Vec<u8> {
    Renderer::global()
        .credit_note(note)
        .unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn an_invoice_shows_its_parties_facts_lines_and_totals() {
    let invoice = samples::invoice(20);
    let pdf = render(&invoice);
    assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
    let text = pdf::text(&pdf);

    for fact in [
        "Invoice",
        invoice.number.as_str(),
        "1 December 2026",
        "31 December 2026",
        "1 – 31 December 2026",
        "PO-88123",
        "Open",
        "Northwind Voice SAS",
        "Tax ID FR 40 123456789",
        "Acme Robotics GmbH",
        "Friedrichstraße 68",
        "Tax ID DE 811 907 980",
        "All amounts in EUR.",
    ] {
        assert!(text.contains(fact), "{fact:?} is missing from:\n{text}");
    }
    assert!(
        !text.contains("OPEN"),
        "an open invoice carries no status mark"
    );
    for line in &invoice.lines {
        let row = line_with(&text, &line.description);
        assert!(
            holds_in_order(row, &line.description, &line.amount),
            "the row of {:?} shows its amount {:?}: {row:?}",
            line.description,
            line.amount
        );
        let period = line.service_period.as_deref().unwrap_or_default();
        assert!(text.contains(period), "{period:?}");
    }
    let discount = invoice.discount.as_deref().unwrap_or_default();
    let credits = invoice.credits_applied.as_deref().unwrap_or_default();
    for (label, amount) in [
        ("Subtotal", invoice.subtotal.as_str()),
        ("Discount", discount),
        ("VAT 20 %", invoice.taxes[0].amount.as_str()),
        ("Credits applied", credits),
    ] {
        let row = line_with(&text, label);
        assert!(holds_in_order(row, label, amount), "{label}: {row:?}");
    }
    let total = text
        .lines()
        .find(|line| line.trim_start().starts_with("Total"))
        .unwrap_or_else(|| panic!("no total row in:\n{text}"));
    assert!(holds_in_order(total, "Total", &invoice.total), "{total:?}");
    // The amount due is printed twice: in the summary under the header and in the totals.
    let due = text
        .lines()
        .filter(|line| holds_in_order(line, "Amount due", &invoice.amount_due))
        .count();
    assert_eq!(due, 1, "the totals' amount due row:\n{text}");
    assert!(text.matches(&invoice.amount_due).count() >= 2);
    // Line breaks of the payment instructions are kept: the IBAN has a line of its own.
    let iban = line_with(&text, "IBAN FR76");
    assert!(!iban.contains("Bank transfer"), "{iban:?}");
    assert!(text.contains("Please quote the invoice number as the reference."));
    assert!(text.contains("Thank you for your business."));
}

#[test]
fn a_credit_note_references_its_invoice_and_reason() {
    let note = samples::credit_note();
    let pdf = render_note(&note);
    let text = pdf::text(&pdf);

    for fact in [
        "Credit note",
        note.number.as_str(),
        "9 December 2026",
        note.reason.as_str(),
        "Acme Robotics GmbH",
        "The balance is deducted from your next invoice.",
    ] {
        assert!(text.contains(fact), "{fact:?} is missing from:\n{text}");
    }
    assert!(
        holds_in_order(
            line_with(&text, "Invoice "),
            "Invoice",
            &note.invoice_number
        ),
        "the facts name the invoice corrected"
    );
    // A credit note credits amounts: no quantity or unit price column, only what was credited.
    let header = line_with(&text, "Description");
    assert!(holds_in_order(header, "Tax", "Amount"), "{header:?}");
    assert!(
        !header.contains("Qty") && !header.contains("Unit price"),
        "{header:?}"
    );
    for line in &note.lines {
        let row = line_with(&text, &line.description);
        assert!(
            holds_in_order(row, &line.description, &line.amount),
            "{row:?}"
        );
    }
    let applied = note.applied_to_invoice.as_deref().unwrap_or_default();
    let balance = note.credited_to_balance.as_deref().unwrap_or_default();
    for (label, amount) in [
        ("Subtotal", note.subtotal.as_str()),
        ("VAT 20 %", note.taxes[0].amount.as_str()),
        (
            &format!("Applied to invoice {}", note.invoice_number) as &str,
            applied,
        ),
        ("Added to your credit balance", balance),
    ] {
        let row = line_with(&text, label);
        assert!(holds_in_order(row, label, amount), "{label}: {row:?}");
    }
    let total = text
        .lines()
        .rfind(|line| line.trim_start().starts_with("Total credited"))
        .unwrap_or_else(|| panic!("no total row in:\n{text}"));
    assert!(
        holds_in_order(total, "Total credited", &note.total),
        "{total:?}"
    );
}

#[test]
fn a_long_invoice_breaks_across_pages_with_the_table_header_on_each() {
    let invoice = samples::invoice(1_000);
    let pdf = render(&invoice);
    let pages = pdf::pages(&pdf);
    assert!(pages > 1, "1,000 lines on {pages} page(s)");

    let mut seen = 0;
    for page in 1..=pages {
        let text = pdf::page_text(&pdf, page);
        let footer = format!("Invoice {} · Page {page} of {pages}", invoice.number);
        assert!(squeeze(&text).contains(&footer), "page {page}: {footer:?}");
        // Every line is printed once, in order, each row with its own amount. A description
        // may wrap (the amounts of a long invoice are wide): its row is the one ending with
        // its amount, which no other line has, and the number tag may sit on the next line.
        let first = seen;
        for line in &invoice.lines[seen..] {
            let Some(row) = text
                .lines()
                .find(|row| row.trim_end().ends_with(&format!(" {}", line.amount)))
            else {
                break;
            };
            let (kind, tag) = line.description.rsplit_once(" #").unwrap_or_default();
            let start: String = kind.chars().take(20).collect();
            assert!(row.trim_start().starts_with(&start), "{row:?} is {kind:?}");
            assert!(text.contains(&format!("#{tag}")), "page {page}: #{tag}");
            seen += 1;
        }
        if seen == first {
            // Only what follows the table (totals, notes) may fill a page without rows.
            assert_eq!(seen, invoice.lines.len(), "page {page} has no row");
            continue;
        }
        // A page with rows starts them under the table header.
        let header = line_with(&text, "Description");
        for column in ["Qty", "Unit price", "Tax", "Amount"] {
            assert!(
                holds_in_order(header, "Description", column),
                "page {page}'s table header lacks {column:?}: {header:?}"
            );
        }
        let header_at = text.find(header).unwrap_or_default();
        let first_row_at = text
            .find(&invoice.lines[first].description)
            .unwrap_or_default();
        assert!(
            header_at < first_row_at,
            "page {page}: the header comes first"
        );
    }
    assert_eq!(seen, invoice.lines.len(), "every line is printed, in order");
    let text = pdf::text(&pdf);
    assert!(holds_in_order(
        line_with(&text, "Amount due"),
        "Amount due",
        &invoice.amount_due
    ));
}

#[test]
fn the_same_data_gives_the_same_bytes_and_other_data_other_bytes() {
    let invoice = samples::invoice(20);
    let first = render(&invoice);
    let again = render(&invoice);
    assert!(first == again, "the same invoice renders to the same bytes");
    // Without typst's memoisation cache, from scratch, too.
    typst::comemo::evict(0);
    assert!(
        first == render(&invoice),
        "the same bytes from a cold cache"
    );
    // Nothing of the moment of rendering leaks in: the PDF dates are the document's.
    let text = String::from_utf8_lossy(&first);
    assert!(
        text.contains("D:20261201"),
        "the creation date is the invoice's date"
    );

    let mut renumbered = invoice.clone();
    renumbered.number = "INV-2026-0043".into();
    assert!(first != render(&renumbered), "another number");
    let mut repriced = invoice.clone();
    repriced.lines[3].amount = "€15.01".into();
    assert!(first != render(&repriced), "another amount");

    let note = samples::credit_note();
    assert!(render_note(&note) == render_note(&note), "credit notes too");
}

/// Text that is typst syntax must print as it is: data is never markup.
const MARKUP: [&str; 6] = [
    r#"#set page(fill: red) *bold* _em_ $x^2$"#,
    r#"] [ "quoted" \ <label> @ref ~ --- ..."#,
    r#"// not a comment /* nor this */ `raw`"#,
    r#"#panic("injected") = Heading - item + item"#,
    r#"#{ 1 + 1 } #let x = 1 #x"#,
    r#"\u{41} #emph[no] http://example.com"#,
];

#[test]
fn text_that_looks_like_typst_markup_prints_literally() {
    let mut invoice = samples::invoice(MARKUP.len());
    for (line, markup) in invoice.lines.iter_mut().zip(MARKUP) {
        line.description = markup.to_owned();
        line.service_period = Some(format!("period {markup}"));
    }
    invoice.buyer.name = r#"Acme ]#[ "Robotics" *GmbH*"#.into();
    invoice.notes = Some(MARKUP.join("\n"));
    invoice.payment_instructions = Some(r##"Pay to #"IBAN"# + `$`"##.into());
    let text = squeeze(&pdf::text(&render(&invoice)));
    for markup in MARKUP {
        let expected = squeeze(markup);
        // Once as a description, once in its service period, once in the notes.
        assert_eq!(
            text.matches(&expected).count(),
            3,
            "{markup:?} printed literally three times in:\n{text}"
        );
    }
    assert!(text.contains(r#"Acme ]#[ "Robotics" *GmbH*"#), "{text}");
    assert!(text.contains(r##"Pay to #"IBAN"# + `$`"##), "{text}");

    let mut note = samples::credit_note();
    note.reason = MARKUP[0].to_owned();
    let text = squeeze(&pdf::text(&render_note(&note)));
    assert!(text.contains(&squeeze(MARKUP[0])), "{text}");
}

#[test]
fn an_invoice_is_an_archival_tagged_pdf_titled_by_its_number() {
    let pdf = render(&samples::invoice(3));
    let info = pdf::info(&pdf);
    for fact in [
        "Title:           Invoice INV-2026-0042",
        "Author:          Northwind Voice SAS",
        "CreationDate:    Tue Dec  1 00:00:00 2026 UTC",
        "Tagged:          yes",
    ] {
        assert!(info.contains(fact), "{fact:?} in:\n{info}");
    }
    let metadata = pdf::metadata(&pdf);
    assert!(
        metadata.contains("<pdfaid:part>3</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance>"),
        "PDF/A-3u in:\n{metadata}"
    );
}

#[test]
fn a_paid_invoice_carries_a_paid_mark() {
    let mut invoice = samples::invoice(3);
    invoice.status = "Paid".into();
    let text = pdf::text(&render(&invoice));
    assert!(line_with(&text, "Invoice").contains("PAID"), "{text}");
}

#[test]
fn the_unit_price_and_tax_columns_are_left_out_when_no_line_has_one() {
    let mut invoice = samples::invoice(4);
    for line in &mut invoice.lines {
        line.unit_price = None;
        line.tax_rate = None;
        line.service_period = None;
    }
    invoice.taxes.clear();
    let text = pdf::text(&render(&invoice));
    let header = line_with(&text, "Description");
    assert!(holds_in_order(header, "Qty", "Amount"), "{header:?}");
    assert!(
        !header.contains("Unit price") && !header.contains("Tax"),
        "{header:?}"
    );
    for line in &invoice.lines {
        let row = line_with(&text, &line.description);
        let quantity = line.quantity.as_deref().unwrap_or_default();
        assert!(holds_in_order(row, quantity, &line.amount), "{row:?}");
    }
}

#[test]
fn an_invoice_without_lines_options_or_logo_still_renders() {
    let invoice = InvoiceDocument {
        logo: None,
        lines: Vec::new(),
        period: None,
        po_number: None,
        discount: None,
        taxes: Vec::new(),
        credits_applied: None,
        payment_instructions: None,
        notes: None,
        buyer: documents::Party {
            name: "Solo Trader".into(),
            lines: Vec::new(),
            tax_id: None,
        },
        ..samples::invoice(0)
    };
    let text = pdf::text(&render(&invoice));
    assert!(text.contains("Solo Trader"));
    assert!(
        !text.contains("PO number") && !text.contains("Period"),
        "{text}"
    );
    assert!(
        !text.contains("NOTES") && !text.contains("PAYMENT"),
        "{text}"
    );
    assert!(holds_in_order(
        line_with(&text, "Amount due"),
        "Amount due",
        &invoice.amount_due
    ));
}

#[test]
fn a_png_logo_renders_and_a_broken_one_is_an_error() {
    let mut invoice = samples::invoice(2);
    invoice.logo = Some(Logo {
        bytes: include_bytes!("fixtures/logo.png").to_vec(),
        format: LogoFormat::Png,
    });
    let with_png = render(&invoice);
    invoice.logo = None;
    assert!(with_png != render(&invoice), "the logo is drawn");

    invoice.logo = Some(Logo {
        bytes: b"not a PNG".to_vec(),
        format: LogoFormat::Png,
    });
    match Renderer::global().invoice(&invoice) {
        Err(RenderError::Compile(message)) => {
            assert!(message.contains("common.typ:"), "{message}");
        }
        other => panic!("a broken logo is a compile error, not {other:?}"),
    }
}

#[test]
fn lines_wrap_inside_their_column() {
    let mut invoice = samples::invoice(1);
    invoice.lines = vec![DocumentLine {
        description: "A very long description ".repeat(12),
        service_period: None,
        quantity: Some("1".into()),
        unit_price: None,
        tax_rate: None,
        amount: "€1.00".into(),
    }];
    let text = pdf::text(&render(&invoice));
    let rows = text
        .lines()
        .filter(|line| line.contains("A very long description"))
        .count();
    assert!(
        rows > 1,
        "the description wraps over several lines:\n{text}"
    );
    assert!(holds_in_order(
        line_with(&text, "A very long description"),
        "A very long description",
        "€1.00"
    ));
}
