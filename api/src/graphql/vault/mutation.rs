//! Operator staff's decision on a document.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};

use super::types::Document;
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::vault::review::Decision;

/// What the operator decides about a pending document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum DocumentDecision {
    /// It is what it claims to be. An accepted proof of address verifies its address.
    Accept,
    /// It is not: `reason` says why, and the organisation reads it.
    Reject,
}

/// Input of `reviewDocument`.
#[derive(InputObject)]
pub struct ReviewDocumentInput {
    /// The document (`doc_…`), pending.
    pub document_id: ID,
    /// Accept or reject.
    pub decision: DocumentDecision,
    /// Why it is rejected, 1 to 500 characters: required to reject, ignored to accept.
    pub reason: Option<String>,
}

/// Result of `reviewDocument`.
#[derive(SimpleObject)]
pub struct ReviewDocumentPayload {
    /// The document as reviewed.
    pub document: Document,
}

/// Vault mutations.
#[derive(Default)]
pub struct VaultMutation;

#[Object]
impl VaultMutation {
    /// Accepts or rejects a pending document (operator staff). A document already reviewed
    /// answers `CONFLICT` (`DOCUMENT_REVIEWED`).
    async fn review_document(
        &self,
        ctx: &Context<'_>,
        input: ReviewDocumentInput,
    ) -> Result<ReviewDocumentPayload> {
        let id = parse_id(&input.document_id, "input.documentId")?;
        let decision = match input.decision {
            DocumentDecision::Accept => Decision::Accept,
            DocumentDecision::Reject => Decision::Reject {
                reason: input.reason.unwrap_or_default(),
            },
        };
        let services = ctx.services();
        let row = services
            .vault
            .review(
                ctx.actor(),
                ctx.request_id(),
                id,
                decision,
                services.clock.now(),
            )
            .await?;
        Ok(ReviewDocumentPayload {
            document: Document(row),
        })
    }
}
