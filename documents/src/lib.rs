//! Billfold's PDF documents: invoices and credit notes, rendered by typst used as a library.
//!
//! A [`Renderer`] holds what every rendering shares and is built once per process (the fonts
//! are parsed once, the typst standard library is built once): use [`Renderer::global`]. Each
//! call serialises the document into a virtual `data.json`, compiles the matching template from
//! `templates/` against it in a closed in-memory world (see `world.rs`) and exports the pages to
//! PDF.
//!
//! The output is reproducible: the same document gives the same bytes, because typst's
//! `today()` and the PDF's creation date are the document's own date, the PDF's identifier is
//! derived from the document's number, and the fonts are the ones embedded in this crate
//! (Inter, SIL Open Font License, `fonts/OFL.txt`), never the machine's. The files are PDF/A-3u
//! (archival, text extractable) and tagged for screen readers.
//!
//! Rendering is CPU-bound (≈ 45 ms of CPU for a 20-line invoice, ≈ 1.4 s for 1,000 lines on the
//! project's machine, see `BENCHMARKS.md`): async callers run it on a blocking thread
//! (`tokio::task::spawn_blocking`), once, when the document is issued.

mod error;
mod model;
pub mod samples;
mod world;

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use error::RenderError;
pub use model::{
    ConsumptionDocument, ConsumptionLine, ConsumptionTotal, CreditNoteDocument, DocumentLine,
    InvoiceDocument, Labelled, Logo, LogoFormat, Party,
};

use world::{DocumentWorld, file_id};

/// The embedded font files: Inter, the only family the templates name.
const FONTS: [&[u8]; 3] = [
    include_bytes!("../fonts/Inter-Regular.otf"),
    include_bytes!("../fonts/Inter-Bold.otf"),
    include_bytes!("../fonts/Inter-Italic.otf"),
];

/// How many renderings typst's memoisation cache keeps an unused entry for: none. Invoices
/// differ from one another in nearly every cell, so entries are hardly ever reused across
/// documents (the benchmark renders as fast with the cache emptied before each run), while
/// keeping 4 generations held ~600 MB after 1,000-line invoices against ~200 MB with none.
const CACHE_AGE: usize = 0;

/// Renders documents to PDF. Build it once (fonts and typst's library) and share it: it is
/// `Send + Sync`, and renderings may run on several threads at once.
pub struct Renderer {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    templates: Templates,
    /// PDF/A-3u: an archival PDF (fonts embedded, no external dependency, every glyph mapped to
    /// Unicode so the text can be searched and extracted), the standard that e-invoices such
    /// as Factur-X / ZUGFeRD build on by attaching their XML.
    standards: PdfStandards,
}

/// The templates (`templates/*.typ`), parsed once, and the ids of the virtual files.
struct Templates {
    /// Shared layout functions, imported by both documents as `common.typ`.
    common: Source,
    invoice: Source,
    credit_note: Source,
    consumption: Source,
    data_id: FileId,
}

impl Templates {
    fn new() -> Self {
        let source = |path: &str, text: &str| Source::new(file_id(path), text.to_owned());
        Self {
            common: source("/common.typ", include_str!("../templates/common.typ")),
            invoice: source("/invoice.typ", include_str!("../templates/invoice.typ")),
            credit_note: source(
                "/credit-note.typ",
                include_str!("../templates/credit-note.typ"),
            ),
            consumption: source(
                "/consumption.typ",
                include_str!("../templates/consumption.typ"),
            ),
            data_id: file_id("/data.json"),
        }
    }

    /// A template a document may import, by id.
    fn module(&self, id: FileId) -> Option<&Source> {
        [
            &self.common,
            &self.invoice,
            &self.credit_note,
            &self.consumption,
        ]
        .into_iter()
        .find(|source| source.id() == id)
    }
}

/// What the templates read as `data.json`: the document's fields, plus where its logo is.
#[derive(Serialize)]
struct Data<'a, T> {
    #[serde(flatten)]
    document: &'a T,
    /// The logo's virtual path, or `null` when the document has none.
    logo: Option<&'static str>,
}

/// One rendering's request, whichever the kind of document.
struct Job<'a, T> {
    template: &'a Source,
    /// Seeds the PDF identifier: `billfold/invoice/INV-0042`.
    ident: String,
    document: &'a T,
    date: NaiveDate,
    logo: Option<&'a Logo>,
}

/// A successful rendering: the PDF and typst's warnings (none for our templates; tests check).
pub(crate) struct Rendered {
    pub pdf: Vec<u8>,
    #[cfg_attr(not(test), expect(dead_code, reason = "read by the unit tests only"))]
    pub warnings: Vec<String>,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    /// Parses the embedded fonts and the templates and builds typst's standard library (a few
    /// ms). Prefer [`Renderer::global`], which does it once per process.
    ///
    /// # Panics
    ///
    /// If an embedded font cannot be parsed: a defect of the build, which the crate's tests
    /// catch, not a condition of the data.
    pub fn new() -> Renderer {
        let fonts: Vec<Font> = FONTS
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        assert_eq!(
            fonts.len(),
            FONTS.len(),
            "every embedded font file parses into one font"
        );
        Renderer {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            templates: Templates::new(),
            standards: PdfStandards::new(&[PdfStandard::A_3u])
                .expect("PDF/A-3u is a standard typst supports on its own"),
        }
    }

    /// The process's renderer, built on first use.
    pub fn global() -> &'static Renderer {
        static RENDERER: OnceLock<Renderer> = OnceLock::new();
        RENDERER.get_or_init(Renderer::new)
    }

    /// Renders an invoice to PDF bytes.
    pub fn invoice(&self, doc: &InvoiceDocument) -> Result<Vec<u8>, RenderError> {
        self.render_invoice(doc).map(|rendered| rendered.pdf)
    }

    /// Renders a credit note to PDF bytes.
    pub fn credit_note(&self, doc: &CreditNoteDocument) -> Result<Vec<u8>, RenderError> {
        self.render_credit_note(doc).map(|rendered| rendered.pdf)
    }

    /// Renders a detailed consumption export to PDF bytes. The caller bounds its lines (the
    /// document says so in `truncated`): rendering grows with them (≈ 1.4 s per 1,000 lines).
    pub fn consumption(&self, doc: &ConsumptionDocument) -> Result<Vec<u8>, RenderError> {
        self.render_consumption(doc).map(|rendered| rendered.pdf)
    }

    pub(crate) fn render_consumption(
        &self,
        doc: &ConsumptionDocument,
    ) -> Result<Rendered, RenderError> {
        self.render(Job {
            template: &self.templates.consumption,
            ident: format!("billfold/consumption/{}", doc.number),
            document: doc,
            date: doc.date,
            logo: None,
        })
    }

    pub(crate) fn render_invoice(&self, doc: &InvoiceDocument) -> Result<Rendered, RenderError> {
        self.render(Job {
            template: &self.templates.invoice,
            ident: format!("billfold/invoice/{}", doc.number),
            document: doc,
            date: doc.date,
            logo: doc.logo.as_ref(),
        })
    }

    pub(crate) fn render_credit_note(
        &self,
        doc: &CreditNoteDocument,
    ) -> Result<Rendered, RenderError> {
        self.render(Job {
            template: &self.templates.credit_note,
            ident: format!("billfold/credit-note/{}", doc.number),
            document: doc,
            date: doc.date,
            logo: doc.logo.as_ref(),
        })
    }

    fn render<T: Serialize>(&self, job: Job<'_, T>) -> Result<Rendered, RenderError> {
        let data = serde_json::to_vec(&Data {
            document: job.document,
            logo: job.logo.map(|logo| logo.format.virtual_path()),
        })?;
        let today = typst_date(job.date)?;
        let world = DocumentWorld {
            renderer: self,
            main: job.template.clone(),
            data: Bytes::new(data),
            logo: job.logo.map(|logo| {
                (
                    file_id(logo.format.virtual_path()),
                    Bytes::new(logo.bytes.clone()),
                )
            }),
            today,
        };
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        let result = output
            .map_err(|errors| RenderError::Compile(error::describe(&world, &errors)))
            .and_then(|document| {
                let options = PdfOptions {
                    ident: Smart::Custom(job.ident),
                    timestamp: Some(Timestamp::new_utc(today)),
                    standards: self.standards.clone(),
                    ..PdfOptions::default()
                };
                typst_pdf::pdf(&document, &options)
                    .map_err(|errors| RenderError::Pdf(error::describe(&world, &errors)))
            });
        typst::comemo::evict(CACHE_AGE);
        Ok(Rendered {
            pdf: result?,
            warnings: warnings
                .iter()
                .map(|warning: &SourceDiagnostic| error::describe_one(&world, warning))
                .collect(),
        })
    }
}

/// The document's date as typst's `Datetime`.
fn typst_date(date: NaiveDate) -> Result<Datetime, RenderError> {
    let month = u8::try_from(date.month()).ok();
    let day = u8::try_from(date.day()).ok();
    month
        .zip(day)
        .and_then(|(month, day)| Datetime::from_ymd(date.year(), month, day))
        .ok_or(RenderError::Date(date))
}

#[cfg(test)]
mod tests;
