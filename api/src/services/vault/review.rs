//! Operator staff review a pending document: accept it, or reject it with a reason the
//! organisation reads. Accepting a document is also what it proves: an accepted proof of
//! address verifies its address ([`on_accepted`]).

use chrono::{DateTime, Utc};
use entity::billing_address;
use entity::document::{self, DocumentKind, DocumentStatus};
use ids::DocumentId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{VaultError, VaultService, audited};
use crate::auth::{Actor, AuthenticatedActor};
use crate::db::UniqueLookup;
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};
use crate::services::input::RequiredText;

/// Longest rejection reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// What staff decide about a document.
#[derive(Clone, Debug)]
pub enum Decision {
    /// It is what it claims to be.
    Accept,
    /// It is not, for this reason (shown to the organisation).
    Reject {
        /// Why, 1 to [`MAX_REASON_CHARS`] characters.
        reason: String,
    },
}

impl VaultService {
    /// Records staff's decision on a pending document (`CONFLICT`, `DOCUMENT_REVIEWED`, for a
    /// document already reviewed or published). A tenant write: accepting a proof of address
    /// verifies the address, which the cached tenant state holds.
    pub async fn review(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: DocumentId,
        decision: Decision,
        now: DateTime<Utc>,
    ) -> ServiceResult<document::Model> {
        let actor = actor.authenticated()?;
        actor.require_staff_reader()?;
        let (status, reason) = match decision {
            Decision::Accept => (DocumentStatus::Accepted, None),
            Decision::Reject { reason } => {
                let reason = RequiredText::parse("input.reason", &reason, MAX_REASON_CHARS)
                    .map_err(|_| VaultError::ReasonRequired {
                        max: MAX_REASON_CHARS,
                    })?;
                (DocumentStatus::Rejected, Some(reason.into_inner()))
            }
        };
        let txn = self.db.begin_tenant_write().await?;
        let before = document::Entity::find_by_id(id)
            .one_by_key(&txn)
            .await?
            .ok_or(VaultError::DocumentNotFound)?;
        if before.status != DocumentStatus::Pending {
            return Err(VaultError::AlreadyReviewed.into());
        }
        let after = document::Model {
            status,
            rejection_reason: reason,
            reviewed_by: Some(actor.user_id),
            reviewed_at: Some(now),
            updated_at: now,
            ..before.clone()
        };
        // Only from pending: of two reviews at once, one wins and the other is refused.
        let changed = document::Entity::update_many()
            .col_expr(document::Column::Status, Expr::value(after.status))
            .col_expr(
                document::Column::RejectionReason,
                Expr::value(after.rejection_reason.clone()),
            )
            .col_expr(document::Column::ReviewedBy, Expr::value(after.reviewed_by))
            .col_expr(document::Column::ReviewedAt, Expr::value(after.reviewed_at))
            .col_expr(document::Column::UpdatedAt, Expr::value(now))
            .filter(document::Column::Id.eq(id))
            .filter(document::Column::Status.eq(DocumentStatus::Pending))
            .exec(&txn)
            .await?;
        if changed.rows_affected != 1 {
            return Err(VaultError::AlreadyReviewed.into());
        }
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(after.customer_id),
                action: "document.review",
                subject_type: "document",
                subject_id: id.to_string(),
                before: Some(audited(&before)),
                after: Some(audited(&after)),
            },
        )
        .await?;
        if after.status == DocumentStatus::Accepted {
            on_accepted(&txn, actor, request_id, &after, now).await?;
        }
        txn.commit(after.customer_id).await?;
        Ok(after)
    }
}

/// What an accepted document proves, written in the accepting transaction: it meets the
/// requests for its type made before it was uploaded, and a proof of address verifies its
/// address (a change of the address since detached the proof from it: what was
/// proved is the old one).
pub(super) async fn on_accepted<C: ConnectionTrait>(
    txn: &C,
    actor: &AuthenticatedActor,
    request_id: Option<&str>,
    row: &document::Model,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    super::requirements::satisfy(txn, actor, request_id, row, now).await?;
    if row.kind != DocumentKind::ProofOfAddress {
        return Ok(());
    }
    let Some(address) = row.address_id else {
        return Ok(());
    };
    let verified = billing_address::Entity::update_many()
        .col_expr(billing_address::Column::VerifiedAt, Expr::value(Some(now)))
        .col_expr(
            billing_address::Column::VerifiedBy,
            Expr::value(Some(actor.user_id)),
        )
        .col_expr(billing_address::Column::UpdatedAt, Expr::value(now))
        .filter(billing_address::Column::Id.eq(address))
        .filter(billing_address::Column::CustomerId.eq(row.customer_id))
        .filter(billing_address::Column::VerifiedAt.is_null())
        .exec(txn)
        .await?;
    if verified.rows_affected == 1 {
        audit::record(
            txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "address.verify",
                subject_type: "billing_address",
                subject_id: address.to_string(),
                before: Some(json!({ "verified": false })),
                after: Some(json!({ "verified": true, "proof": row.id.to_string() })),
            },
        )
        .await?;
    }
    Ok(())
}
