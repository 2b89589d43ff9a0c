//! Documents an organisation is asked for. A change of its default billing address asks for a
//! new company registration certificate ([`require`], called in the address change's
//! transaction); it stays required until a certificate uploaded since the change is accepted
//! ([`satisfy`], called in the accepting transaction). A second change while one is open moves
//! its date: the certificate must postdate the latest change.

use chrono::{DateTime, Utc};
use entity::document::{self, DocumentKind};
use entity::document_requirement::{self, RequirementReason};
use ids::{CustomerId, DocumentRequirementId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::{VaultService, kind_name};
use crate::auth::{Actor, AuthenticatedActor};
use crate::error::{ServiceResult, on_unique_violation};
use crate::services::audit::{self, AuditEntry};

impl VaultService {
    /// The documents `customer` is asked for and has not had accepted yet, oldest first.
    pub async fn required(
        &self,
        actor: &Actor,
        customer: CustomerId,
    ) -> ServiceResult<Vec<document_requirement::Model>> {
        let scope = actor.authenticated()?.scope();
        Ok(document_requirement::Entity::find()
            .filter(scope.condition(document_requirement::Column::CustomerId))
            .filter(document_requirement::Column::CustomerId.eq(customer))
            .filter(document_requirement::Column::SatisfiedAt.is_null())
            .order_by_asc(document_requirement::Column::CreatedAt)
            .order_by_asc(document_requirement::Column::Id)
            .all(self.db.reads())
            .await?)
    }
}

/// Asks `customer` for a document of `kind` uploaded from `now` on, in the caller's
/// transaction; an open request for the same type moves to `now`.
pub async fn require<C: ConnectionTrait>(
    txn: &C,
    actor: &AuthenticatedActor,
    request_id: Option<&str>,
    customer: CustomerId,
    kind: DocumentKind,
    reason: RequirementReason,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let moved = document_requirement::Entity::update_many()
        .col_expr(
            document_requirement::Column::RequiredSince,
            Expr::value(now),
        )
        .col_expr(document_requirement::Column::Reason, Expr::value(reason))
        .filter(document_requirement::Column::CustomerId.eq(customer))
        .filter(document_requirement::Column::Kind.eq(kind))
        .filter(document_requirement::Column::SatisfiedAt.is_null())
        .exec(txn)
        .await?;
    let id = DocumentRequirementId::new();
    if moved.rows_affected == 0 {
        document_requirement::Entity::insert(document_requirement::ActiveModel::from(
            document_requirement::Model {
                id,
                customer_id: customer,
                kind,
                reason,
                required_since: now,
                satisfied_by: None,
                satisfied_at: None,
                created_at: now,
            },
        ))
        .exec_without_returning(txn)
        .await
        .map_err(on_unique_violation(|| {
            crate::error::ServiceError::Conflict {
                message: "the organisation's required documents just changed: try again".into(),
            }
        }))?;
    }
    audit::record(
        txn,
        Some(actor),
        request_id,
        AuditEntry {
            customer: Some(customer),
            action: "document.require",
            subject_type: "customer",
            subject_id: customer.to_string(),
            before: None,
            after: Some(json!({ "type": kind_name(kind), "required_since": now })),
        },
    )
    .await?;
    Ok(())
}

/// Marks the requests that the accepted `row` answers (same organisation and type, asked at
/// or before its upload) as satisfied, in the accepting transaction.
pub(super) async fn satisfy<C: ConnectionTrait>(
    txn: &C,
    actor: &AuthenticatedActor,
    request_id: Option<&str>,
    row: &document::Model,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let met = document_requirement::Entity::update_many()
        .col_expr(
            document_requirement::Column::SatisfiedAt,
            Expr::value(Some(now)),
        )
        .col_expr(
            document_requirement::Column::SatisfiedBy,
            Expr::value(Some(row.id)),
        )
        .filter(document_requirement::Column::CustomerId.eq(row.customer_id))
        .filter(document_requirement::Column::Kind.eq(row.kind))
        .filter(document_requirement::Column::SatisfiedAt.is_null())
        .filter(document_requirement::Column::RequiredSince.lte(row.created_at))
        .exec(txn)
        .await?;
    if met.rows_affected > 0 {
        audit::record(
            txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "document.requirement_met",
                subject_type: "document",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(json!({ "type": kind_name(row.kind) })),
            },
        )
        .await?;
    }
    Ok(())
}
