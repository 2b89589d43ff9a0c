//! `document_requirements`: a document an organisation is asked for, and since when; open
//! until a document of that type uploaded since then is accepted (`satisfied_by`).

use ids::{CustomerId, DocumentId, DocumentRequirementId};
use sea_orm::entity::prelude::*;

use super::document::DocumentKind;

/// Why a document is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum RequirementReason {
    /// The default billing address changed.
    #[sea_orm(string_value = "default_address_changed")]
    DefaultAddressChanged,
}

/// A document asked of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_requirements")]
pub struct Model {
    /// UUIDv7, exposed as `dreq_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: DocumentRequirementId,
    /// The organisation.
    pub customer_id: CustomerId,
    /// The type of document asked for.
    pub kind: DocumentKind,
    /// Why.
    pub reason: RequirementReason,
    /// Only a document uploaded at or after this instant satisfies it.
    pub required_since: DateTimeUtc,
    /// The accepted document that satisfied it.
    pub satisfied_by: Option<DocumentId>,
    /// When it was satisfied; `None` while it is open.
    pub satisfied_at: Option<DateTimeUtc>,
    /// When it was first asked for.
    pub created_at: DateTimeUtc,
}

/// Document requirements have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
