//! The documents Billfold issues, as PDFs: each invoice's and credit note's is rendered once,
//! stored under a key that contains its SHA-256, and the hash recorded on the row. From then on
//! every download and every e-mail serves those stored bytes, checked against the hash: the
//! document a customer downloads a year later is the one first sent.
//!
//! Rendering is not part of the finalising transaction: a billing run finalises thousands of
//! invoices a second and a PDF takes milliseconds of CPU. The document is rendered right after,
//! by the background job ([`DocumentsService::render_pending`]), by the mail worker before it
//! sends it, or by the first download, whichever comes first. They may race (several
//! instances): rendering the same finalised rows gives the same bytes (the renderer is
//! deterministic and fed only stored values), and only the first hash is recorded.

pub mod content;

use std::sync::Arc;

use entity::invoice::InvoiceStatus;
use entity::{credit_note, invoice};
use ids::{CreditNoteId, InvoiceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::auth::Actor;
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use crate::services::credits::notes;
use crate::services::invoices::InvoicesService;
use crate::storage::{Storage, StorageError, sha256_hex};
pub use content::Issuer;

/// A stored PDF, as served.
#[derive(Clone, Debug)]
pub struct Pdf {
    /// `INV-2026-000042.pdf`: the document's number.
    pub filename: String,
    /// The stored bytes, checked against `sha256`.
    pub bytes: Vec<u8>,
    /// Their SHA-256, as recorded on the row.
    pub sha256: String,
}

/// Renders, stores and serves documents.
#[derive(Clone)]
pub struct DocumentsService {
    db: Db,
    storage: Storage,
    issuer: Arc<Issuer>,
    invoices: InvoicesService,
}

/// A document Billfold issues: an invoice or a credit note.
#[derive(Clone, Copy, Debug)]
pub enum Document {
    /// A finalised invoice.
    Invoice(InvoiceId),
    /// An issued credit note.
    CreditNote(CreditNoteId),
}

impl Document {
    /// Where its PDF with this hash is kept: the hash is in the key, so a key's object never
    /// changes.
    fn key(self, sha256: &str) -> String {
        match self {
            Document::Invoice(id) => format!("invoices/{id}/{sha256}.pdf"),
            Document::CreditNote(id) => format!("credit-notes/{id}/{sha256}.pdf"),
        }
    }
}

impl DocumentsService {
    /// Wires the service.
    pub fn new(db: Db, storage: Storage, issuer: Arc<Issuer>) -> Self {
        Self {
            invoices: InvoicesService::new(db.clone()),
            db,
            storage,
            issuer,
        }
    }

    /// The PDF of a finalised invoice, for its customer's users and staff; `NOT_FOUND` for
    /// another tenant's invoice, exactly like one that does not exist.
    pub async fn invoice_pdf(&self, actor: &Actor, id: InvoiceId) -> ServiceResult<Pdf> {
        let scope = actor.authenticated()?.scope();
        let row = invoice::Entity::find_by_id(id)
            .filter(scope.condition(invoice::Column::CustomerId))
            .filter(invoice::Column::Status.ne(InvoiceStatus::Draft))
            .one(self.db.reads())
            .await?
            .ok_or(ServiceError::NotFound { entity: "invoice" })?;
        self.invoice_pdf_of(row).await
    }

    /// The PDF of a credit note, for its customer's users and staff; `NOT_FOUND` otherwise.
    pub async fn credit_note_pdf(&self, actor: &Actor, id: CreditNoteId) -> ServiceResult<Pdf> {
        let scope = actor.authenticated()?.scope();
        let row = credit_note::Entity::find_by_id(id)
            .filter(scope.condition(credit_note::Column::CustomerId))
            .one(self.db.reads())
            .await?
            .ok_or(ServiceError::NotFound {
                entity: "credit note",
            })?;
        self.credit_note_pdf_of(row).await
    }

    /// The PDF of invoice `id`, rendered and stored first if it never was (the mail worker's
    /// way in: no actor, the outbox row says which invoice).
    pub(crate) async fn invoice_pdf_by_id(&self, id: InvoiceId) -> ServiceResult<Pdf> {
        let row = invoice::Entity::find_by_id(id)
            .one(self.db.reads())
            .await?
            .ok_or(ServiceError::NotFound { entity: "invoice" })?;
        self.invoice_pdf_of(row).await
    }

    /// The PDF of credit note `id`, rendered and stored first if it never was.
    pub(crate) async fn credit_note_pdf_by_id(&self, id: CreditNoteId) -> ServiceResult<Pdf> {
        let row = credit_note::Entity::find_by_id(id)
            .one(self.db.reads())
            .await?
            .ok_or(ServiceError::NotFound {
                entity: "credit note",
            })?;
        self.credit_note_pdf_of(row).await
    }

    /// Renders and stores the PDFs of up to `limit` finalised invoices and credit notes that
    /// have none yet, oldest first; answers how many it rendered.
    pub async fn render_pending(&self, limit: u64) -> ServiceResult<usize> {
        let invoices = invoice::Entity::find()
            .filter(invoice::Column::PdfSha256.is_null())
            .filter(invoice::Column::Status.ne(InvoiceStatus::Draft))
            .order_by_asc(invoice::Column::Id)
            .limit(limit)
            .all(self.db.reads())
            .await?;
        let notes = credit_note::Entity::find()
            .filter(credit_note::Column::PdfSha256.is_null())
            .order_by_asc(credit_note::Column::Id)
            .limit(limit)
            .all(self.db.reads())
            .await?;
        let rendered = invoices.len() + notes.len();
        for row in invoices {
            self.invoice_pdf_of(row).await?;
        }
        for row in notes {
            self.credit_note_pdf_of(row).await?;
        }
        Ok(rendered)
    }

    async fn invoice_pdf_of(&self, row: invoice::Model) -> ServiceResult<Pdf> {
        let filename = format!("{}.pdf", row.number.as_deref().unwrap_or("invoice"));
        let document = Document::Invoice(row.id);
        if let Some(sha256) = row.pdf_sha256 {
            return self.read(document, filename, sha256).await;
        }
        let stored = self.invoices.load(row.id).await?;
        let content = content::invoice_document(&self.issuer, &stored)?;
        let bytes = render(move || documents::Renderer::global().invoice(&content)).await?;
        self.keep(document, filename, bytes).await
    }

    async fn credit_note_pdf_of(&self, row: credit_note::Model) -> ServiceResult<Pdf> {
        let filename = format!("{}.pdf", row.number);
        let document = Document::CreditNote(row.id);
        if let Some(sha256) = row.pdf_sha256 {
            return self.read(document, filename, sha256).await;
        }
        let invoice = invoice::Entity::find_by_id(row.invoice_id)
            .one(self.db.reads())
            .await?
            .ok_or_else(|| ServiceError::internal("a credit note's invoice is missing"))?;
        let mut with_lines = notes::with_lines(self.db.reads(), vec![row.clone()]).await?;
        let note = with_lines
            .pop()
            .ok_or_else(|| ServiceError::internal("credit note lines"))?;
        let content = content::credit_note_document(&self.issuer, &note, &invoice)?;
        let bytes = render(move || documents::Renderer::global().credit_note(&content)).await?;
        self.keep(document, filename, bytes).await
    }

    /// Stores a fresh rendering of `document`, records its hash unless another worker or
    /// instance recorded its own first, and serves whichever was recorded.
    async fn keep(
        &self,
        document: Document,
        filename: String,
        bytes: Vec<u8>,
    ) -> ServiceResult<Pdf> {
        let sha256 = self.store(document, bytes).await?;
        let sha256 = self.record(document, sha256).await?;
        self.read(document, filename, sha256).await
    }

    /// Records `sha256` as `document`'s PDF if it has none yet (first wins); answers the hash
    /// recorded.
    async fn record(&self, document: Document, sha256: String) -> ServiceResult<String> {
        let recorded = match document {
            Document::Invoice(id) => {
                invoice::Entity::update_many()
                    .col_expr(invoice::Column::PdfSha256, Expr::value(sha256.clone()))
                    .filter(invoice::Column::Id.eq(id))
                    .filter(invoice::Column::PdfSha256.is_null())
                    .exec(self.db.writes())
                    .await?
                    .rows_affected
            }
            Document::CreditNote(id) => {
                credit_note::Entity::update_many()
                    .col_expr(credit_note::Column::PdfSha256, Expr::value(sha256.clone()))
                    .filter(credit_note::Column::Id.eq(id))
                    .filter(credit_note::Column::PdfSha256.is_null())
                    .exec(self.db.writes())
                    .await?
                    .rows_affected
            }
        };
        if recorded == 1 {
            return Ok(sha256);
        }
        let first = match document {
            Document::Invoice(id) => invoice::Entity::find_by_id(id)
                .one(self.db.reads())
                .await?
                .and_then(|r| r.pdf_sha256),
            Document::CreditNote(id) => credit_note::Entity::find_by_id(id)
                .one(self.db.reads())
                .await?
                .and_then(|r| r.pdf_sha256),
        };
        first.ok_or_else(|| ServiceError::internal("a document's PDF hash vanished"))
    }

    /// Stores freshly rendered bytes under their hash; answers the hash.
    async fn store(&self, document: Document, bytes: Vec<u8>) -> ServiceResult<String> {
        let sha256 = sha256_hex(&bytes);
        self.storage
            .put_new(&document.key(&sha256), bytes)
            .await
            .map_err(storage_error)?;
        Ok(sha256)
    }

    async fn read(
        &self,
        document: Document,
        filename: String,
        sha256: String,
    ) -> ServiceResult<Pdf> {
        let bytes = self
            .storage
            .get_verified(&document.key(&sha256), &sha256)
            .await
            .map_err(storage_error)?;
        Ok(Pdf {
            filename,
            bytes,
            sha256,
        })
    }
}

/// Renders on the blocking pool: a long invoice takes a good part of a second of CPU, which
/// must not stall the request handlers sharing the runtime's threads.
async fn render<F>(job: F) -> ServiceResult<Vec<u8>>
where
    F: FnOnce() -> Result<Vec<u8>, documents::RenderError> + Send + 'static,
{
    tokio::task::spawn_blocking(job)
        .await
        .map_err(ServiceError::internal)?
        .map_err(|e| ServiceError::internal(format!("rendering a document: {e}")))
}

fn storage_error(error: StorageError) -> ServiceError {
    tracing::error!(%error, "document storage");
    ServiceError::internal(error)
}
