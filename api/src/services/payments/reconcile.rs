//! A payment the processor reports, checked against the attempt it is for before it is
//! applied: the same amount, currency and customer, and not a success after the attempt
//! finished without money here. What does not fit is logged with its ids and left in the
//! audit log for staff (`payment.mismatch`, `payment.succeeded_after_failure`); an invoice is
//! never paid by it, and never twice.

use entity::payment_attempt;
use serde_json::json;

use super::PaymentsService;
use super::processor::{ChargeOutcome, ChargeStatus};
use super::webhooks::EventError;
use crate::db::PlainWrite;
use crate::services::audit::{self, AuditEntry};

/// What a processor's payment says differently from the attempt it is for: `amount`,
/// `currency`, `customer`; empty when it matches (or the processor did not say).
pub(super) fn mismatch(
    attempt: &payment_attempt::Model,
    outcome: &ChargeOutcome,
) -> Vec<&'static str> {
    let mut wrong = Vec::new();
    let Some(charged) = &outcome.charged else {
        return wrong;
    };
    if charged.amount_minor != attempt.amount_minor {
        wrong.push("amount");
    }
    if !charged.currency.eq_ignore_ascii_case(&attempt.currency) {
        wrong.push("currency");
    }
    if charged
        .customer
        .as_deref()
        .is_some_and(|c| c != attempt.processor_customer)
    {
        wrong.push("customer");
    }
    wrong
}

impl PaymentsService {
    /// Whether a payment the processor reports may be applied to `attempt`. Not when it is
    /// for another amount, currency or customer than the attempt charged (a mix-up at the
    /// processor or in our metadata), nor when it succeeded after the attempt had finished
    /// without money here (failed or cancelled locally, e.g. an authentication that expired):
    /// each is logged with its ids and left for staff in the audit log, and the event is
    /// recorded so that Stripe does not send it again. An invoice is never paid twice.
    pub(super) async fn believable_in(
        &self,
        txn: &PlainWrite,
        event: &str,
        attempt: &payment_attempt::Model,
        outcome: &ChargeOutcome,
    ) -> Result<bool, EventError> {
        let mismatch = outcome.charged.as_ref().and_then(|charged| {
            let wrong = mismatch(attempt, outcome);
            (!wrong.is_empty()).then(|| (wrong, charged.clone()))
        });
        let (action, details) = if let Some((wrong, charged)) = mismatch {
            tracing::error!(
                event,
                attempt = %attempt.id,
                invoice = %attempt.invoice_id,
                payment = %outcome.payment,
                ?wrong,
                expected_amount = attempt.amount_minor,
                reported_amount = charged.amount_minor,
                "a processor payment does not match its attempt: not applied"
            );
            (
                "payment.mismatch",
                json!({
                    "invoice": attempt.invoice_id.to_string(),
                    "payment": outcome.payment,
                    "wrong": wrong,
                    "expected": { "amount_minor": attempt.amount_minor,
                        "currency": attempt.currency,
                        "customer": attempt.processor_customer },
                    "reported": { "amount_minor": charged.amount_minor,
                        "currency": charged.currency, "customer": charged.customer },
                }),
            )
        } else if outcome.status == ChargeStatus::Succeeded
            && attempt.status == payment_attempt::AttemptStatus::Failed
        {
            tracing::error!(
                event,
                attempt = %attempt.id,
                invoice = %attempt.invoice_id,
                payment = %outcome.payment,
                "the processor collected a payment whose attempt had failed here: staff must \
                 record or refund it"
            );
            (
                "payment.succeeded_after_failure",
                json!({
                    "invoice": attempt.invoice_id.to_string(),
                    "payment": outcome.payment,
                    "amount_minor": attempt.amount_minor,
                    "currency": attempt.currency,
                    "failure_code": attempt.failure_code,
                }),
            )
        } else {
            return Ok(true);
        };
        audit::record(
            txn,
            None,
            Some(event),
            AuditEntry {
                customer: Some(attempt.customer_id),
                action,
                subject_type: "payment_attempt",
                subject_id: attempt.id.to_string(),
                before: None,
                after: Some(details),
            },
        )
        .await?;
        Ok(false)
    }
}
