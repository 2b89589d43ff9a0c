//! `documents`: the documents vault of a customer organisation. The bytes live in the object
//! store under `storage_key` (never the uploader's file name); the row holds what they are, who
//! sent them, their SHA-256 and their review.

use ids::{BillingAddressId, CustomerId, DocumentId, UserId};
use sea_orm::entity::prelude::*;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum DocumentKind {
    /// The company's registration certificate (Kbis, Companies House certificate…).
    #[sea_orm(string_value = "company_registration")]
    CompanyRegistration,
    /// A contract between the operator and the customer.
    #[sea_orm(string_value = "contract")]
    Contract,
    /// A SEPA direct debit mandate.
    #[sea_orm(string_value = "iban_mandate")]
    IbanMandate,
    /// A mandate to port numbers from another carrier.
    #[sea_orm(string_value = "portability_mandate")]
    PortabilityMandate,
    /// A proof that the customer is at an address (`address_id`).
    #[sea_orm(string_value = "proof_of_address")]
    ProofOfAddress,
    /// Anything else.
    #[sea_orm(string_value = "other")]
    Other,
}

/// Where a document's review is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DocumentStatus {
    /// Uploaded, waiting for operator staff.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Accepted by operator staff (or published by them).
    #[sea_orm(string_value = "accepted")]
    Accepted,
    /// Refused by operator staff, with a reason.
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

/// A document of a customer organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    /// UUIDv7, exposed as `doc_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: DocumentId,
    /// The organisation.
    pub customer_id: CustomerId,
    /// What it is.
    pub kind: DocumentKind,
    /// Where its review is.
    pub status: DocumentStatus,
    /// The uploader's file name, normalised (no path, no control characters, bounded).
    pub file_name: String,
    /// The type its bytes were sniffed as (`application/pdf`, `image/png`, `image/jpeg`).
    pub content_type: String,
    /// Size of the stored bytes.
    pub size_bytes: i64,
    /// SHA-256 of the stored bytes, 64 lowercase hex digits.
    pub sha256: String,
    /// Where the bytes are in the object store.
    pub storage_key: String,
    /// The address a proof of address proves; cleared if the address is removed.
    pub address_id: Option<BillingAddressId>,
    /// Published by the operator (a contract): accepted, and not the customer's to change.
    pub published: bool,
    /// Who uploaded it.
    pub uploaded_by: Option<UserId>,
    /// The staff member who reviewed it.
    pub reviewed_by: Option<UserId>,
    /// When it was reviewed.
    pub reviewed_at: Option<DateTimeUtc>,
    /// Why it was rejected.
    pub rejection_reason: Option<String>,
    /// When it was uploaded.
    pub created_at: DateTimeUtc,
    /// When the row last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of a document.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The organisation.
    #[sea_orm(
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::Id"
    )]
    Customer,
}

impl Related<super::customer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
