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
