//! The documents vault: files a customer organisation sends the operator (its registration
//! certificate, mandates, proofs of address…) and documents the operator publishes to it (the
//! contract). Uploads come through a plain HTTP route (`POST /documents`, never `/graphql`),
//! are typed by their bytes ([`file::sniff`]), renamed ([`file::normalise_name`]), hashed and
//! stored through the object store under a key of ours; staff review them ([`review`]).
//! Downloads are scoped to the tenant and checked against the recorded hash. Every upload,
//! review and download writes an audit entry.
//!
//! Documents are not part of the cached tenant state: uploads and downloads are plain writes.
//! A review that verifies an address (an accepted proof of address) is a tenant write, since
//! addresses are.

mod error;
pub mod file;
pub mod requirements;
pub mod review;
pub mod upload;

pub use error::VaultError;

use entity::document::{self, DocumentKind, DocumentStatus};
use ids::{CustomerId, DocumentId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::auth::Actor;
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};
use crate::storage::{Storage, StorageError};

/// A customer's documents, newest first.
const DOCUMENTS: Keyset<document::Entity> = Keyset {
    list: "documents",
    columns: &[
        (document::Column::CreatedAt, KeyKind::Time),
        (document::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Descending,
    key: |d| time_key(d.created_at, d.id),
};

/// Documents waiting for review, oldest first (the order staff work through them).
/// Which of an organisation's documents to list; the default keeps all of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    /// Only documents of this kind.
    pub kind: Option<DocumentKind>,
    /// Only documents in this review status.
    pub status: Option<DocumentStatus>,
}

/// Which waiting documents the review queue keeps; the default keeps all of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReviewFilter {
    /// Only this organisation's.
    pub customer: Option<CustomerId>,
    /// Only documents of this kind.
    pub kind: Option<DocumentKind>,
}

const TO_REVIEW: Keyset<document::Entity> = Keyset {
    list: "documents_to_review",
    columns: &[
        (document::Column::CreatedAt, KeyKind::Time),
        (document::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |d| time_key(d.created_at, d.id),
};

/// A stored document with its bytes, as a download serves it.
#[derive(Clone, Debug)]
pub struct Download {
    /// The row (name, type, hash).
    pub document: document::Model,
    /// The stored bytes, checked against the recorded SHA-256.
    pub bytes: Vec<u8>,
}

/// The documents vault.
#[derive(Clone)]
pub struct VaultService {
    db: Db,
    storage: Storage,
}

impl VaultService {
    /// A service over `db`, keeping the bytes in `storage`.
    pub fn new(db: Db, storage: Storage) -> Self {
        Self { db, storage }
    }

    /// The documents of `customer` that `filter` keeps, newest first.
    pub async fn list(
        &self,
        actor: &Actor,
        customer: CustomerId,
        filter: DocumentFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<document::Model>> {
        let scope = actor.authenticated()?.scope();
        let mut select = document::Entity::find()
            .filter(scope.condition(document::Column::CustomerId))
            .filter(document::Column::CustomerId.eq(customer));
        if let Some(kind) = filter.kind {
            select = select.filter(document::Column::Kind.eq(kind));
        }
        if let Some(status) = filter.status {
            select = select.filter(document::Column::Status.eq(status));
        }
        Ok(fetch_page(self.db.reads(), select, &DOCUMENTS, &page).await?)
    }

    /// Every organisation's documents waiting for review that `filter` keeps, oldest first
    /// (operator staff).
    pub async fn to_review(
        &self,
        actor: &Actor,
        filter: ReviewFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<document::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        let mut select =
            document::Entity::find().filter(document::Column::Status.eq(DocumentStatus::Pending));
        if let Some(customer) = filter.customer {
            select = select.filter(document::Column::CustomerId.eq(customer));
        }
        if let Some(kind) = filter.kind {
            select = select.filter(document::Column::Kind.eq(kind));
        }
        Ok(fetch_page(self.db.reads(), select, &TO_REVIEW, &page).await?)
    }

    /// The bytes of a document, for its organisation's users and staff; recorded in the audit
    /// log. Another tenant's document answers `NOT_FOUND` like a missing one.
    pub async fn download(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: DocumentId,
    ) -> ServiceResult<Download> {
        let actor = actor.authenticated()?;
        let row = document::Entity::find_by_id(id)
            .filter(actor.scope().condition(document::Column::CustomerId))
            .one_by_key(self.db.reads())
            .await?
            .ok_or(VaultError::DocumentNotFound)?;
        let bytes = self
            .storage
            .get_verified(&row.storage_key, &row.sha256)
            .await
            .map_err(storage_error)?;
        let txn = self.db.begin_plain_write().await?;
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "document.download",
                subject_type: "document",
                subject_id: id.to_string(),
                before: None,
                after: Some(json!({ "file_name": row.file_name, "sha256": row.sha256 })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(Download {
            document: row,
            bytes,
        })
    }
}

/// What the audit log keeps of a document.
fn audited(d: &document::Model) -> Value {
    json!({
        "kind": kind_name(d.kind), "status": status_name(d.status), "file_name": d.file_name,
        "content_type": d.content_type, "size_bytes": d.size_bytes, "sha256": d.sha256,
        "address_id": d.address_id.map(|a| a.to_string()), "published": d.published,
        "rejection_reason": d.rejection_reason,
    })
}

/// A document type as the upload route and the audit log name it.
pub fn kind_name(kind: document::DocumentKind) -> &'static str {
    use document::DocumentKind::*;
    match kind {
        CompanyRegistration => "company_registration",
        Contract => "contract",
        IbanMandate => "iban_mandate",
        PortabilityMandate => "portability_mandate",
        ProofOfAddress => "proof_of_address",
        Other => "other",
    }
}

/// The document type a name of [`kind_name`] stands for (the upload route's `type`).
pub fn kind_from_name(name: &str) -> Option<document::DocumentKind> {
    use sea_orm::Iterable;
    document::DocumentKind::iter().find(|k| kind_name(*k) == name)
}

/// A review status as the audit log names it.
fn status_name(status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::Pending => "pending",
        DocumentStatus::Accepted => "accepted",
        DocumentStatus::Rejected => "rejected",
    }
}

fn storage_error(error: StorageError) -> ServiceError {
    tracing::error!(%error, "vault storage");
    ServiceError::internal(error)
}
