//! Sending a refund to the processor and recording its answer, never twice: the refund is
//! looked up by its key among the payment's refunds at the processor before it is created
//! (the processor forgets keys: Stripe after 24 hours); an answer lost is left pending and
//! sent again later (by the caller with the same key, or by the collection job).

use entity::payment;
use entity::refund::{self, RefundStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;

use super::processor::{ListedRefundState, ProcessorError, RefundOutcome};
use super::staff::owed_again;
use super::{PaymentError, PaymentsService};
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};

impl PaymentsService {
    /// Sends again, each with its own key, the refunds whose processor answer was lost (pending
    /// for longer than an attempt's lease); the collection job calls it. How many it sent.
    pub(super) async fn resume_refunds(&self) -> ServiceResult<u64> {
        let before = self.clock.now() - self.settings.lease;
        let pending = refund::Entity::find()
            .filter(refund::Column::Status.eq(RefundStatus::Pending))
            .filter(refund::Column::CreatedAt.lte(before))
            .order_by_asc(refund::Column::CreatedAt)
            .limit(50)
            .all(self.db.reads())
            .await?;
        let mut sent = 0;
        for row in pending {
            let Some(payment) = payment::Entity::find_by_id(row.payment_id)
                .one(self.db.reads())
                .await?
            else {
                continue;
            };
            sent += 1;
            if let Err(error) = self.send_refund(row, &payment, None, None).await {
                tracing::warn!(?error, "resuming a refund failed");
            }
        }
        Ok(sent)
    }

    /// Sends a pending refund to the processor with its key and records the answer: succeeded;
    /// failed (its amount released, an audit entry); or, unanswered, still pending
    /// (`REFUND_UNCONFIRMED`), to be sent again with the same key.
    pub(super) async fn send_refund(
        &self,
        row: refund::Model,
        payment: &payment::Model,
        user: Option<&crate::auth::AuthenticatedActor>,
        request_id: Option<&str>,
    ) -> ServiceResult<refund::Model> {
        let reference = payment.processor_payment.clone().unwrap_or_default();
        let answer = self.made_or_make(&reference, &row).await;
        let txn = self.db.begin_plain_write().await?;
        // Another caller may have recorded its outcome meanwhile.
        let current = refund::Entity::find_by_id(row.id)
            .one(&txn)
            .await?
            .ok_or(PaymentError::PaymentNotFound)?;
        if current.status != RefundStatus::Pending {
            txn.commit().await?;
            return Ok(current);
        }
        match answer {
            Ok(outcome) => {
                let done = refund::Model {
                    status: RefundStatus::Succeeded,
                    processor_refund: Some(outcome.refund),
                    ..current
                };
                refund::Entity::update(done.clone().into_active_model().reset_all())
                    .exec(&txn)
                    .await?;
                owed_again(&txn, payment.invoice_id, row.amount_minor).await?;
                txn.commit().await?;
                Ok(done)
            }
            Err(ProcessorError::Unavailable(detail)) => {
                // The amount stays reserved: the refund may have happened.
                tracing::warn!(refund = %row.id, %detail, "the processor did not answer a refund");
                txn.commit().await?;
                Err(PaymentError::RefundUnconfirmed.into())
            }
            Err(error) => {
                let message = match &error {
                    ProcessorError::Refused { message }
                    | ProcessorError::Rejected { message, .. } => message.clone(),
                    ProcessorError::Unavailable(m) => m.clone(),
                };
                let failed = refund::Model {
                    status: RefundStatus::Failed,
                    failure_message: Some(message.clone()),
                    ..current
                };
                refund::Entity::update(failed.into_active_model().reset_all())
                    .exec(&txn)
                    .await?;
                payment::Entity::update_many()
                    .col_expr(
                        payment::Column::RefundedMinor,
                        Expr::col(payment::Column::RefundedMinor).sub(row.amount_minor),
                    )
                    .filter(payment::Column::Id.eq(payment.id))
                    .exec(&txn)
                    .await?;
                audit::record(
                    &txn,
                    user,
                    request_id,
                    AuditEntry {
                        customer: Some(payment.customer_id),
                        action: "payment.refund_failed",
                        subject_type: "payment",
                        subject_id: payment.id.to_string(),
                        before: None,
                        after: Some(json!({
                            "refund": row.id.to_string(),
                            "amount_minor": row.amount_minor,
                            "message": message,
                        })),
                    },
                )
                .await?;
                txn.commit().await?;
                Err(PaymentError::Processor(error).into())
            }
        }
    }

    /// The refund the processor made under `row`'s key, else a new one: never made twice, even
    /// after the processor forgot the key (Stripe: 24 hours). The payment's refunds are looked
    /// up first; when the processor cannot list them now, the refund is not sent (its outcome
    /// stays unknown, to be resumed). A refund found refused or cancelled is answered as
    /// refused.
    async fn made_or_make(
        &self,
        reference: &str,
        row: &refund::Model,
    ) -> Result<RefundOutcome, ProcessorError> {
        match self.processor.refunds(reference).await {
            Ok(listed) => {
                let ours = listed
                    .into_iter()
                    .find(|r| r.key.as_deref() == Some(row.idempotency_key.as_str()));
                match ours {
                    Some(found) if found.state == ListedRefundState::Failed => {
                        Err(ProcessorError::Refused {
                            message: "the processor refused this refund".into(),
                        })
                    }
                    Some(found) => Ok(RefundOutcome {
                        refund: found.refund,
                    }),
                    None => {
                        self.processor
                            .refund(reference, row.amount_minor, &row.idempotency_key)
                            .await
                    }
                }
            }
            Err(ProcessorError::Unavailable(detail)) => Err(ProcessorError::Unavailable(detail)),
            // The payment is not one the processor lists (refused for good): creating the
            // refund gets its authoritative answer.
            Err(_) => {
                self.processor
                    .refund(reference, row.amount_minor, &row.idempotency_key)
                    .await
            }
        }
    }
}
