//! Uploading a document: an organisation's owners and billing admins send one for review;
//! operator staff publish one to an organisation (a contract), accepted from the start and not
//! the organisation's to review. The bytes decide the type; the name is only kept for display.

use chrono::{DateTime, Utc};
use entity::document::{self, DocumentKind, DocumentStatus};
use entity::{billing_address, customer};
use ids::{BillingAddressId, CustomerId, DocumentId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::file::{self, MAX_BYTES};
use super::{VaultError, VaultService, audited, kind_from_name, storage_error};
use crate::auth::{Actor, AuthenticatedActor};
use crate::db::UniqueLookup;
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};
use crate::storage::sha256_hex;

/// A document as sent: the upload route's parameters and body.
#[derive(Clone, Debug)]
pub struct NewDocument {
    /// The organisation; a customer user's own when `None`. Staff must name one.
    pub customer: Option<CustomerId>,
    /// The document type's name ([`super::kind_name`]).
    pub kind: String,
    /// The file name as the uploader's browser or client gave it.
    pub file_name: String,
    /// For a proof of address: the billing address it proves.
    pub address: Option<BillingAddressId>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl VaultService {
    /// Checks, stores and records a document. Customer users' documents wait for review;
    /// staff's are published: accepted, reviewed by them.
    pub async fn upload(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        new: NewDocument,
        now: DateTime<Utc>,
    ) -> ServiceResult<document::Model> {
        let actor = actor.authenticated()?;
        if new.bytes.len() > MAX_BYTES {
            return Err(VaultError::TooLarge { max: MAX_BYTES }.into());
        }
        let customer = self.customer_of(actor, new.customer).await?;
        if let Some(address) = new.address {
            billing_address::Entity::find_by_id(address)
                .filter(billing_address::Column::CustomerId.eq(customer))
                .one_by_key(self.db.reads())
                .await?
                .ok_or(VaultError::AddressNotFound)?;
        }
        actor.require_billing_write()?;
        let kind = kind_from_name(new.kind.trim()).ok_or(VaultError::UnknownKind)?;
        match (kind, new.address) {
            (DocumentKind::ProofOfAddress, None) => return Err(VaultError::AddressRequired.into()),
            (DocumentKind::ProofOfAddress, Some(_)) | (_, None) => {}
            (_, Some(_)) => return Err(VaultError::AddressNotExpected.into()),
        }
        if new.bytes.is_empty() {
            return Err(VaultError::Empty.into());
        }
        let file_type = file::sniff(&new.bytes).ok_or(VaultError::UnsupportedType)?;
        let id = DocumentId::new();
        let sha256 = sha256_hex(&new.bytes);
        // Ours, never the uploader's name; the hash in it means an object never changes.
        let storage_key = format!("vault/{customer}/{id}-{sha256}");
        let published = actor.role.is_staff();
        let row = document::Model {
            id,
            customer_id: customer,
            kind,
            status: if published {
                DocumentStatus::Accepted
            } else {
                DocumentStatus::Pending
            },
            file_name: file::normalise_name(&new.file_name, file_type),
            content_type: file_type.content_type().to_owned(),
            size_bytes: i64::try_from(new.bytes.len()).unwrap_or(i64::MAX),
            sha256,
            storage_key,
            address_id: new.address,
            published,
            uploaded_by: Some(actor.user_id),
            reviewed_by: published.then_some(actor.user_id),
            reviewed_at: published.then_some(now),
            rejection_reason: None,
            created_at: now,
            updated_at: now,
        };
        // Stored before the row exists: a failed commit leaves an object nobody points to,
        // never a row without its bytes.
        self.storage
            .put_new(&row.storage_key, new.bytes)
            .await
            .map_err(storage_error)?;
        // A published document is accepted at once, which may verify an address (a tenant
        // write); an upload for review changes nothing cached.
        if published {
            let txn = self.db.begin_tenant_write().await?;
            insert(&txn, actor, request_id, &row).await?;
            super::review::on_accepted(&txn, actor, request_id, &row, now).await?;
            txn.commit(customer).await?;
        } else {
            let txn = self.db.begin_plain_write().await?;
            insert(&txn, actor, request_id, &row).await?;
            txn.commit().await?;
        }
        Ok(row)
    }

    /// The organisation an upload is for: a customer user's own (another one named answers
    /// `NOT_FOUND`), or the one staff name, which must exist.
    async fn customer_of(
        &self,
        actor: &AuthenticatedActor,
        named: Option<CustomerId>,
    ) -> ServiceResult<CustomerId> {
        let id = match (actor.tenant, named) {
            (Some(own), None) => own,
            (_, Some(named)) => named,
            (None, None) => return Err(VaultError::CustomerRequired.into()),
        };
        customer::Entity::find_by_id(id)
            .filter(actor.scope().condition(customer::Column::Id))
            .one_by_key(self.db.reads())
            .await?
            .ok_or(VaultError::CustomerNotFound)?;
        Ok(id)
    }
}

/// Writes the row and its audit entry.
async fn insert<C: sea_orm::ConnectionTrait>(
    txn: &C,
    actor: &AuthenticatedActor,
    request_id: Option<&str>,
    row: &document::Model,
) -> ServiceResult<()> {
    document::Entity::insert(document::ActiveModel::from(row.clone()))
        .exec_without_returning(txn)
        .await?;
    audit::record(
        txn,
        Some(actor),
        request_id,
        AuditEntry {
            customer: Some(row.customer_id),
            action: if row.published {
                "document.publish"
            } else {
                "document.upload"
            },
            subject_type: "document",
            subject_id: row.id.to_string(),
            before: None,
            after: Some(audited(row)),
        },
    )
    .await?;
    Ok(())
}
