//! Renderer unit tests that need the crate's insides (typst's warnings); the PDF's content is
//! checked from outside in `tests/`.

use super::*;

#[test]
fn the_embedded_fonts_are_inter_regular_bold_and_italic() {
    let renderer = Renderer::new();
    let families: Vec<_> = renderer
        .fonts
        .iter()
        .map(|font| {
            let info = font.info();
            (
                info.family.clone(),
                info.variant.weight.to_number(),
                info.variant.style,
            )
        })
        .collect();
    assert_eq!(families.len(), 3, "{families:?}");
    assert!(
        families.iter().all(|(family, _, _)| family == "Inter"),
        "{families:?}"
    );
}

#[test]
fn the_samples_render_without_a_warning() {
    let renderer = Renderer::global();
    let invoice = renderer.render_invoice(&samples::invoice(20)).unwrap();
    assert!(invoice.warnings.is_empty(), "{:#?}", invoice.warnings);
    let note = renderer
        .render_credit_note(&samples::credit_note())
        .unwrap();
    assert!(note.warnings.is_empty(), "{:#?}", note.warnings);
}

#[test]
fn a_consumption_export_with_markup_in_its_text_renders_without_a_warning() {
    let seller = samples::invoice(1).seller;
    let line = |n: usize| ConsumptionLine {
        when: format!("2026-11-{:02} 09:{:02}", 1 + n % 28, n % 60),
        product: "Outbound minutes".into(),
        who: "Alice Martin · Sales".into(),
        number: n.is_multiple_of(2).then(|| "+33190000100".into()),
        quantity: format!("{}.5", n % 17),
    };
    let doc = ConsumptionDocument {
        seller,
        buyer: Party {
            name: "Acme Telecom".into(),
            lines: Vec::new(),
            tax_id: None,
        },
        number: "2026-11-01 – 2026-11-30".into(),
        date: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
        issue_date: "1 December 2026".into(),
        period: "1 November 2026 – 30 November 2026".into(),
        filters: vec![Labelled {
            label: "Team".into(),
            amount: "#Sales [x] $y$".into(),
        }],
        totals: vec![ConsumptionTotal {
            product: "Outbound minutes".into(),
            records: "60".into(),
            quantity: "3912.5".into(),
            amount: Some("€78.25".into()),
        }],
        record_count: "61".into(),
        lines: (0..60).map(line).collect(),
        truncated: Some("This selection has 61 records: the PDF lists the first 60.".into()),
    };
    let rendered = Renderer::global().render_consumption(&doc).unwrap();
    assert!(rendered.warnings.is_empty(), "{:#?}", rendered.warnings);
    assert!(rendered.pdf.starts_with(b"%PDF"));
}
