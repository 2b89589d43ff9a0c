//! Why a document could not be rendered, with typst's diagnostics as text.

use chrono::NaiveDate;
use typst::diag::{Severity, SourceDiagnostic};
use typst::{World, WorldExt};

/// A document that could not be rendered. With the crate's own templates this means bad data
/// (a logo typst cannot decode, a date outside typst's range) or a defect of a template; the
/// message carries typst's diagnostics with their template positions.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The document could not be serialised into `data.json`.
    #[error("cannot serialise the document's data: {0}")]
    Data(#[from] serde_json::Error),
    /// The document's date is outside what typst can represent.
    #[error("typst cannot represent the document date {0}")]
    Date(NaiveDate),
    /// typst could not lay the document out; the text lists every error.
    #[error("typst could not lay out the document:\n{0}")]
    Compile(String),
    /// typst could not write the laid-out pages as PDF.
    #[error("typst could not write the PDF:\n{0}")]
    Pdf(String),
}

/// Every diagnostic, one paragraph each.
pub(crate) fn describe(world: &dyn World, diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|diagnostic| describe_one(world, diagnostic))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One diagnostic as `invoice.typ:12:5: error: message`, then its hints and call trace.
pub(crate) fn describe_one(world: &dyn World, diagnostic: &SourceDiagnostic) -> String {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut text = match position(world, diagnostic.span) {
        Some(position) => format!("{position}: {severity}: {}", diagnostic.message),
        None => format!("{severity}: {}", diagnostic.message),
    };
    for hint in &diagnostic.hints {
        text.push_str(&format!("\n  hint: {}", hint.v));
    }
    for point in &diagnostic.trace {
        if let Some(position) = position(world, point.span.into()) {
            text.push_str(&format!("\n  {} at {position}", point.v));
        }
    }
    text
}

/// `file:line:column` (1-based) of a span, when it points into a file typst can show.
fn position(world: &dyn World, span: typst::syntax::DiagSpan) -> Option<String> {
    let id = span.id()?;
    let range = world.range(span)?;
    let path = id
        .vpath()
        .get_with_slash()
        .trim_start_matches('/')
        .to_owned();
    match world.source(id) {
        Ok(source) => {
            let (line, column) = source.lines().byte_to_line_column(range.start)?;
            Some(format!("{path}:{}:{}", line + 1, column + 1))
        }
        // A data file (`data.json`): the byte offset is all we have.
        Err(_) => Some(format!("{path}@{}", range.start)),
    }
}
