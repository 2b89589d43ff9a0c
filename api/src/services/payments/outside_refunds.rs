//! Refunds made at the processor without us (Stripe's dashboard), found when the processor
//! reports a refunded payment (`charge.refunded`): each recorded once, keyed by the
//! processor's refund id (a unique index on `refunds.processor_refund`), the payment's refunded
//! amount raised and the invoice's amount paid lowered as a staff refund does
//! ([`super::staff::owed_again`]), with an audit entry. Our own refunds (our key in their
//! metadata) are not theirs to record: those are confirmed by the refunds service.

use entity::payment;
use entity::refund::{self, RefundStatus};
use ids::RefundId;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::json;

use super::PaymentsService;
use super::processor::{ListedRefund, ListedRefundState};
use super::staff::owed_again;
use crate::db::PlainWrite;
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};

/// The reason recorded on a refund made at the processor.
pub const OUTSIDE_REASON: &str = "Refunded at the payment processor";

impl PaymentsService {
    /// Records, in `txn`, the refunds of `payment` in `listed` that we did not make and have
    /// not recorded yet. How many were recorded.
    pub(super) async fn record_outside_refunds_in(
        &self,
        txn: &PlainWrite,
        event: &str,
        payment: &payment::Model,
        listed: &[ListedRefund],
    ) -> ServiceResult<u64> {
        let ours: Vec<String> = refund::Entity::find()
            .filter(refund::Column::PaymentId.eq(payment.id))
            .all(txn)
            .await?
            .into_iter()
            .map(|r| r.idempotency_key)
            .collect();
        let mut recorded = 0;
        for found in listed {
            if found.state == ListedRefundState::Failed
                || found.key.as_ref().is_some_and(|k| ours.contains(k))
            {
                continue;
            }
            if !found.currency.eq_ignore_ascii_case(&payment.currency) {
                tracing::error!(event, refund = %found.refund, payment = %payment.id,
                    "a processor refund in another currency than its payment: not recorded");
                continue;
            }
            if self.record_outside_in(txn, event, payment, found).await? {
                recorded += 1;
            }
        }
        Ok(recorded)
    }

    /// Records one refund made at the processor; `false` when it was recorded before, or does
    /// not fit in what is left of the payment (logged and audited for staff).
    async fn record_outside_in(
        &self,
        txn: &PlainWrite,
        event: &str,
        payment: &payment::Model,
        found: &ListedRefund,
    ) -> ServiceResult<bool> {
        let row = refund::Model {
            id: RefundId::new(),
            payment_id: payment.id,
            invoice_id: payment.invoice_id,
            customer_id: payment.customer_id,
            amount_minor: found.amount_minor,
            currency: payment.currency.clone(),
            status: RefundStatus::Succeeded,
            idempotency_key: format!("processor:{}", found.refund),
            request_key: None,
            processor_refund: Some(found.refund.clone()),
            reason: Some(OUTSIDE_REASON.into()),
            failure_message: None,
            created_by: None,
            created_at: self.clock.now(),
        };
        let inserted = refund::Entity::insert(row.clone().into_active_model())
            .on_conflict(
                OnConflict::column(refund::Column::ProcessorRefund)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        if inserted == 0 {
            return Ok(false);
        }
        let raised = payment::Entity::update_many()
            .col_expr(
                payment::Column::RefundedMinor,
                Expr::col(payment::Column::RefundedMinor).add(found.amount_minor),
            )
            .filter(payment::Column::Id.eq(payment.id))
            .filter(
                Expr::col(payment::Column::RefundedMinor)
                    .add(found.amount_minor)
                    .lte(Expr::col(payment::Column::AmountMinor)),
            )
            .exec(txn)
            .await?;
        let fits = raised.rows_affected == 1;
        if fits {
            owed_again(txn, payment.invoice_id, found.amount_minor).await?;
        } else {
            // More than is left here (a refund of ours still reserved that the processor
            // never made?): the money is gone at the processor, staff must look.
            tracing::error!(event, refund = %found.refund, payment = %payment.id,
                amount = found.amount_minor,
                "a processor refund larger than what is left of its payment here");
        }
        audit::record(
            txn,
            None,
            Some(event),
            AuditEntry {
                customer: Some(payment.customer_id),
                action: if fits {
                    "payment.refunded"
                } else {
                    "payment.refund_unexplained"
                },
                subject_type: "payment",
                subject_id: payment.id.to_string(),
                before: None,
                after: Some(json!({
                    "refund": row.id.to_string(),
                    "processor_refund": found.refund,
                    "amount_minor": found.amount_minor,
                    "status": "succeeded",
                    "by": "processor",
                })),
            },
        )
        .await?;
        Ok(true)
    }
}
