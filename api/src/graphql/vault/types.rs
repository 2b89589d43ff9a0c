//! A document of the vault as the schema shows it.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use entity::document::{self, DocumentKind, DocumentStatus as Status};
use entity::document_requirement::{self, RequirementReason};

use crate::error::ServiceError;
use crate::graphql::loaders::CustomerNames;
use crate::http::vault::download_url;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum DocumentType {
    /// The company's registration certificate (Kbis, Companies House certificate…): asked for
    /// again after a change of default billing address.
    CompanyRegistration,
    /// A contract with the operator, which the operator publishes.
    Contract,
    /// A SEPA direct debit mandate.
    IbanMandate,
    /// A mandate to port numbers from another carrier.
    PortabilityMandate,
    /// A proof that the organisation is at one of its billing addresses: accepted, it
    /// verifies the address.
    ProofOfAddress,
    /// Anything else.
    Other,
}

impl From<DocumentKind> for DocumentType {
    fn from(kind: DocumentKind) -> Self {
        match kind {
            DocumentKind::CompanyRegistration => DocumentType::CompanyRegistration,
            DocumentKind::Contract => DocumentType::Contract,
            DocumentKind::IbanMandate => DocumentType::IbanMandate,
            DocumentKind::PortabilityMandate => DocumentType::PortabilityMandate,
            DocumentKind::ProofOfAddress => DocumentType::ProofOfAddress,
            DocumentKind::Other => DocumentType::Other,
        }
    }
}

impl From<DocumentType> for DocumentKind {
    fn from(kind: DocumentType) -> Self {
        match kind {
            DocumentType::CompanyRegistration => DocumentKind::CompanyRegistration,
            DocumentType::Contract => DocumentKind::Contract,
            DocumentType::IbanMandate => DocumentKind::IbanMandate,
            DocumentType::PortabilityMandate => DocumentKind::PortabilityMandate,
            DocumentType::ProofOfAddress => DocumentKind::ProofOfAddress,
            DocumentType::Other => DocumentKind::Other,
        }
    }
}

/// Where a document's review is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum DocumentStatus {
    /// Waiting for the operator.
    Pending,
    /// Accepted by the operator (published documents are accepted from the start).
    Accepted,
    /// Refused by the operator: `rejectionReason` says why.
    Rejected,
}

impl From<DocumentStatus> for Status {
    fn from(status: DocumentStatus) -> Self {
        match status {
            DocumentStatus::Pending => Status::Pending,
            DocumentStatus::Accepted => Status::Accepted,
            DocumentStatus::Rejected => Status::Rejected,
        }
    }
}

impl From<Status> for DocumentStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Pending => DocumentStatus::Pending,
            Status::Accepted => DocumentStatus::Accepted,
            Status::Rejected => DocumentStatus::Rejected,
        }
    }
}

/// A document of an organisation's vault.
pub struct Document(pub document::Model);

#[Object]
impl Document {
    /// Opaque id (`doc_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// The organisation's id (`cus_…`).
    async fn customer_id(&self) -> ID {
        self.0.customer_id.into()
    }
    /// The organisation's name (the review queue's "whose"); read for a page of documents in
    /// one query.
    async fn organisation_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        ctx.data::<DataLoader<CustomerNames>>()?
            .load_one(self.0.customer_id)
            .await?
            .ok_or_else(|| ServiceError::corrupt("document", "its organisation is missing").into())
    }
    /// What it is.
    #[graphql(name = "type")]
    async fn kind(&self) -> DocumentType {
        self.0.kind.into()
    }
    /// Where its review is.
    async fn status(&self) -> DocumentStatus {
        self.0.status.into()
    }
    /// The file's name as uploaded, made safe (no path, no control characters, at most 120
    /// characters, the extension of its real type).
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    /// The type its content was found to be: `application/pdf`, `image/png` or `image/jpeg`.
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }
    /// Its size in bytes.
    async fn size_bytes(&self) -> i64 {
        self.0.size_bytes
    }
    /// SHA-256 of its bytes (64 hex digits): every download is checked against it.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// Where its organisation's users and staff download it (an attachment); anyone else gets
    /// 404.
    async fn download_url(&self) -> String {
        download_url(self.0.id)
    }
    /// For a proof of address: the billing address it proves (`addr_…`); null once that
    /// address is removed, or changed while the proof waited for review.
    async fn address_id(&self) -> Option<ID> {
        self.0.address_id.map(Into::into)
    }
    /// Published by the operator (a contract): accepted, and not the organisation's to change.
    async fn published(&self) -> bool {
        self.0.published
    }
    /// Why the operator rejected it.
    async fn rejection_reason(&self) -> Option<&str> {
        self.0.rejection_reason.as_deref()
    }
    /// When the operator reviewed (or published) it.
    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        self.0.reviewed_at
    }
    /// When it was uploaded.
    async fn uploaded_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Why a document is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum RequiredDocumentReason {
    /// The default billing address changed.
    DefaultAddressChanged,
}

/// A document the organisation is asked for: required until one of its type, uploaded since
/// `requiredSince`, is accepted.
pub struct RequiredDocument(pub document_requirement::Model);

#[Object]
impl RequiredDocument {
    /// The type of document to upload.
    #[graphql(name = "type")]
    async fn kind(&self) -> DocumentType {
        self.0.kind.into()
    }
    /// Why it is asked for.
    async fn reason(&self) -> RequiredDocumentReason {
        match self.0.reason {
            RequirementReason::DefaultAddressChanged => {
                RequiredDocumentReason::DefaultAddressChanged
            }
        }
    }
    /// Only a document uploaded at or after this instant answers it.
    async fn required_since(&self) -> DateTime<Utc> {
        self.0.required_since
    }
}
