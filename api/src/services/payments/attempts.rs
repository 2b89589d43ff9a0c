//! Paying an invoice, never twice. An attempt is a row committed *before* the processor is
//! called, carrying the idempotency key the processor sees (the invoice id and the attempt
//! number); its outcome is committed after. In between, the attempt is leased to its caller.
//!
//! - Two payments of one invoice at once: the invoice row is locked while the attempt is
//!   written, so the second sees the first's attempt and gets `PAYMENT_IN_FLIGHT`.
//! - A crash (or a processor that does not answer) between the charge and our commit leaves a
//!   `pending` attempt. Once its lease has run out, the next payment of the invoice, or the
//!   collection job, resumes it with the same key: the processor answers the payment it
//!   already made, and we record it once. While an attempt is unfinished, nothing else settles
//!   the invoice ([`refuse_if_in_flight`]); should one be found on an invoice that is no longer
//!   open, the processor is asked whether its key was ever charged: if not, the attempt is
//!   cancelled instead of sent, and if so, the payment is recorded and what it brought in
//!   beyond what was owed is credited to the organisation's balance.
//! - A caller's own idempotency key (`payInvoice(idempotencyKey)`) answers the attempt it
//!   made the first time.

use chrono::{DateTime, Utc};
use entity::invoice::{self, InvoiceStatus};
use entity::invoice_collection::{self, CollectionState};
use entity::payment::{self, PaymentKind};
use entity::payment_attempt::{self, AttemptStatus};
use entity::payment_method;
use ids::{InvoiceId, PaymentAttemptId, PaymentId, PaymentMethodId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use super::collection::collected_automatically;
use super::processor::{ChargeOutcome, ChargeRequest, ChargeStatus, ProcessorError};
use super::{PaymentError, PaymentsService, method_label};
use crate::auth::{Actor, AuthenticatedActor};
use crate::config::AfterLastRetry;
use crate::db::PlainWrite;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::audit::{self, AuditEntry};
use crate::services::catalog;
use crate::services::credits::ledger::{BalanceChange, change_balance};
use crate::services::invoices::owed::owed_minor;
use crate::services::mail::outbox::{self, NewMessage};

/// What a payment of an invoice asks for.
#[derive(Clone, Debug)]
pub struct PayRequest {
    /// The invoice.
    pub invoice: InvoiceId,
    /// The method; the organisation's default when `None`.
    pub method: Option<PaymentMethodId>,
    /// The caller's idempotency key: the same key answers the first attempt again.
    pub request_key: Option<String>,
}

/// The processor's key for attempt `number` of `invoice`.
pub fn attempt_key(invoice: InvoiceId, number: i32) -> String {
    format!("{invoice}:attempt:{number}")
}

/// The statuses of an attempt that is not finished.
pub(super) const UNFINISHED: [AttemptStatus; 3] = [
    AttemptStatus::Pending,
    AttemptStatus::Processing,
    AttemptStatus::RequiresAction,
];

/// Refuses (`CONFLICT`, `PAYMENT_IN_FLIGHT`) while `invoice` has an unfinished attempt
/// (pending, processing, or waiting for authentication): settling it another way now (an
/// offline payment, marking it paid, void or uncollectible, a credit note) would collect it
/// twice once that attempt succeeds. Call it under the invoice's lock.
pub(crate) async fn refuse_if_in_flight<C: ConnectionTrait>(
    db: &C,
    invoice: InvoiceId,
) -> ServiceResult<()> {
    let unfinished = payment_attempt::Entity::find()
        .filter(payment_attempt::Column::InvoiceId.eq(invoice))
        .filter(payment_attempt::Column::Status.is_in(UNFINISHED))
        .count(db)
        .await?;
    if unfinished > 0 {
        return Err(PaymentError::InFlight {
            message: "a payment of this invoice is being processed: wait for its outcome \
                      before settling the invoice another way",
        }
        .into());
    }
    Ok(())
}

/// Takes the invoice's row lock (PostgreSQL; SQLite's writer is already exclusive): payments
/// of one invoice queue here. `false` when there is no such invoice.
pub(super) async fn lock_invoice(txn: &PlainWrite, id: InvoiceId) -> ServiceResult<bool> {
    let locked = invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::col(invoice::Column::Status))
        .filter(invoice::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(locked.rows_affected == 1)
}

/// A succeeded attempt answers itself; a failed one answers `PAYMENT_FAILED` with its message.
pub fn finish(attempt: payment_attempt::Model) -> ServiceResult<payment_attempt::Model> {
    if attempt.status == AttemptStatus::Failed {
        return Err(ServiceError::PaymentFailed {
            decline_code: attempt.failure_code.clone().unwrap_or_default(),
            message: attempt
                .failure_message
                .clone()
                .unwrap_or_else(|| "The payment was refused.".into()),
        });
    }
    Ok(attempt)
}

fn lease_expired(attempt: &payment_attempt::Model, now: DateTime<Utc>) -> bool {
    attempt.lease_until.is_none_or(|until| until <= now)
}

/// Where receipts and payment notices go: the invoice address, else the organisation's.
pub(super) fn notice_recipient(customer: &entity::customer::Model) -> String {
    customer
        .invoice_email
        .clone()
        .unwrap_or_else(|| customer.email.clone())
}

impl PaymentsService {
    /// Pays an open invoice now with a method of its organisation (or the default), for its
    /// owners and billing admins and staff. Answers the attempt: `SUCCEEDED`, `PROCESSING`
    /// (a direct debit settles later) or `REQUIRES_ACTION` (authenticate it, then
    /// `confirm_authentication`); a refusal answers `PAYMENT_FAILED` with a message a person
    /// understands, after the failed attempt is recorded.
    pub async fn pay_invoice(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        request: PayRequest,
    ) -> ServiceResult<payment_attempt::Model> {
        let user = actor.authenticated()?;
        let scope = user.scope();
        invoice::Entity::find_by_id(request.invoice)
            .filter(scope.condition(invoice::Column::CustomerId))
            .filter(invoice::Column::Status.ne(InvoiceStatus::Draft))
            .one(self.db.reads())
            .await?
            .ok_or(PaymentError::InvoiceNotFound)?;
        if let Some(method) = request.method {
            // Another organisation's method is not found, whatever the caller's role.
            payment_method::Entity::find_by_id(method)
                .filter(scope.condition(payment_method::Column::CustomerId))
                .one(self.db.reads())
                .await?
                .ok_or(PaymentError::MethodNotFound)?;
        }
        user.require_billing_write()?;
        if let Some(key) = &request.request_key
            && (key.trim().is_empty() || key.chars().count() > 200)
        {
            return Err(PaymentError::BadText {
                field: "input.idempotencyKey",
                message: "an idempotency key has 1 to 200 characters".into(),
            }
            .into());
        }
        let attempt = self
            .start_attempt(
                Some(user),
                request.invoice,
                request.method,
                request.request_key,
                Automatic::No,
            )
            .await?;
        match attempt {
            Started::Answered(attempt) => finish(attempt),
            Started::Run(attempt) => {
                let done = self
                    .run_attempt(attempt, Sent::Never, Some(user), request_id)
                    .await?;
                finish(done)
            }
            Started::Resume(attempt) => {
                let done = self
                    .run_attempt(attempt, Sent::Maybe, Some(user), request_id)
                    .await?;
                finish(done)
            }
        }
    }

    /// Writes (or finds again) the attempt to run, under the invoice's lock.
    pub(super) async fn start_attempt(
        &self,
        user: Option<&AuthenticatedActor>,
        invoice_id: InvoiceId,
        method: Option<PaymentMethodId>,
        request_key: Option<String>,
        automatic: Automatic,
    ) -> ServiceResult<Started> {
        let off_session = automatic != Automatic::No;
        let now = self.clock.now();
        let txn = self.db.begin_plain_write().await?;
        if !lock_invoice(&txn, invoice_id).await? {
            return Err(PaymentError::InvoiceNotFound.into());
        }
        if let Some(key) = &request_key {
            let earlier = payment_attempt::Entity::find()
                .filter(payment_attempt::Column::InvoiceId.eq(invoice_id))
                .filter(payment_attempt::Column::RequestKey.eq(key.as_str()))
                .one(&txn)
                .await?;
            if let Some(earlier) = earlier {
                if method.is_some_and(|m| earlier.payment_method_id != Some(m)) {
                    return Err(PaymentError::KeyReused.into());
                }
                if earlier.status == AttemptStatus::Pending && lease_expired(&earlier, now) {
                    let earlier = self.take_lease(&txn, earlier, now).await?;
                    txn.commit().await?;
                    return Ok(Started::Resume(earlier));
                }
                txn.commit().await?;
                return Ok(Started::Answered(earlier));
            }
        }
        let unfinished = payment_attempt::Entity::find()
            .filter(payment_attempt::Column::InvoiceId.eq(invoice_id))
            .filter(payment_attempt::Column::Status.is_in(UNFINISHED))
            .order_by_asc(payment_attempt::Column::Number)
            .one(&txn)
            .await?;
        if let Some(attempt) = unfinished {
            return match attempt.status {
                AttemptStatus::Pending if lease_expired(&attempt, now) => {
                    // Interrupted before its outcome was recorded: resume it, same key.
                    let attempt = self.take_lease(&txn, attempt, now).await?;
                    txn.commit().await?;
                    Ok(Started::Resume(attempt))
                }
                AttemptStatus::Pending => Err(PaymentError::InFlight {
                    message: "a payment of this invoice is being processed: wait a moment",
                }
                .into()),
                AttemptStatus::Processing => Err(PaymentError::InFlight {
                    message: "a direct debit of this invoice is being processed: it settles \
                              within a few days",
                }
                .into()),
                _ => Err(PaymentError::InFlight {
                    message: "a payment of this invoice waits for authentication: \
                              authenticate it or let it fail first",
                }
                .into()),
            };
        }
        if automatic == Automatic::Scheduled {
            // Another worker may have charged it since the claim: only if it is still due.
            let waiting = invoice_collection::Entity::find_by_id(invoice_id)
                .one(&txn)
                .await?
                .is_some_and(|c| c.state == CollectionState::Exhausted || c.next_attempt_at > now);
            if waiting {
                return Err(PaymentError::InFlight {
                    message: "the next automatic attempt is not due yet",
                }
                .into());
            }
        }
        let row = invoice::Entity::find_by_id(invoice_id)
            .one(&txn)
            .await?
            .ok_or(PaymentError::InvoiceNotFound)?;
        if row.status != InvoiceStatus::Open {
            return Err(PaymentError::NotOpen(row.status).into());
        }
        if automatic == Automatic::Scheduled && !collected_automatically(&txn, &row, true).await? {
            // Staff turned its subscription's automatic payment off since the claim.
            return Err(PaymentError::InFlight {
                message: "automatic payment is off for this invoice's subscription",
            }
            .into());
        }
        let amount = owed_minor(&row)?;
        if amount <= 0 {
            return Err(PaymentError::NothingDue.into());
        }
        // A method is charged only through the processor that holds it: one left from another
        // processor (a sandbox card after switching to Stripe) is not there to be charged.
        let mut select = payment_method::Entity::find()
            .filter(payment_method::Column::CustomerId.eq(row.customer_id))
            .filter(payment_method::Column::Processor.eq(self.processor.name()));
        select = match method {
            Some(id) => select.filter(payment_method::Column::Id.eq(id)),
            None => select.filter(payment_method::Column::IsDefault.eq(true)),
        };
        let chosen = select.one(&txn).await?.ok_or(match method {
            Some(_) => PaymentError::MethodNotFound,
            None => PaymentError::NoMethod,
        })?;
        let number = payment_attempt::Entity::find()
            .select_only()
            .column_as(payment_attempt::Column::Number.max(), "max")
            .filter(payment_attempt::Column::InvoiceId.eq(invoice_id))
            .into_tuple::<Option<i32>>()
            .one(&txn)
            .await?
            .flatten()
            .unwrap_or(0)
            + 1;
        let attempt = payment_attempt::Model {
            id: PaymentAttemptId::new(),
            invoice_id,
            customer_id: row.customer_id,
            number,
            idempotency_key: attempt_key(invoice_id, number),
            request_key,
            payment_method_id: Some(chosen.id),
            method_label: method_label(&chosen),
            processor_customer: chosen.processor_customer.clone(),
            processor_method: chosen.processor_method.clone(),
            amount_minor: amount,
            currency: row.currency.clone(),
            off_session,
            status: AttemptStatus::Pending,
            processor_payment: None,
            failure_code: None,
            failure_message: None,
            lease_until: Some(now + self.settings.lease),
            created_by: user.map(|u| u.user_id),
            created_at: now,
            updated_at: now,
        };
        payment_attempt::Entity::insert(attempt.clone().into_active_model())
            .exec_without_returning(&txn)
            .await
            // The caller's key, used a moment ago for another invoice of the organisation
            // (this invoice's lock does not cover that one).
            .map_err(on_unique_violation(|| PaymentError::KeyReused.into()))?;
        txn.commit().await?;
        Ok(Started::Run(attempt))
    }

    async fn take_lease(
        &self,
        txn: &PlainWrite,
        attempt: payment_attempt::Model,
        now: DateTime<Utc>,
    ) -> ServiceResult<payment_attempt::Model> {
        let until = now + self.settings.lease;
        payment_attempt::Entity::update_many()
            .col_expr(
                payment_attempt::Column::LeaseUntil,
                Expr::value(Some(until)),
            )
            .filter(payment_attempt::Column::Id.eq(attempt.id))
            .exec(txn)
            .await?;
        Ok(payment_attempt::Model {
            lease_until: Some(until),
            ..attempt
        })
    }

    /// Calls the processor for a leased attempt and records what it answered. A processor
    /// that does not answer leaves the attempt pending with its lease released, to be resumed
    /// with the same key (`PAYMENT_UNCONFIRMED`).
    pub(super) async fn run_attempt(
        &self,
        attempt: payment_attempt::Model,
        sent: Sent,
        user: Option<&AuthenticatedActor>,
        request_id: Option<&str>,
    ) -> ServiceResult<payment_attempt::Model> {
        let still_open = invoice::Entity::find_by_id(attempt.invoice_id)
            .select_only()
            .column(invoice::Column::Status)
            .into_tuple::<InvoiceStatus>()
            .one(self.db.writes())
            .await?
            == Some(InvoiceStatus::Open);
        if !still_open {
            // Resumed on an invoice settled meanwhile: charge nothing new. Record the payment
            // only if the processor already made it under this key.
            return match self.processor.find_by_key(&attempt.idempotency_key).await {
                Ok(Some(outcome)) => {
                    self.record_outcome(attempt.id, &outcome, user, request_id)
                        .await
                }
                Ok(None) => self.cancel_attempt(&attempt, user, request_id).await,
                Err(error) => {
                    tracing::warn!(attempt = %attempt.id, ?error, "the processor could not say whether a key was charged");
                    self.release_lease(&attempt).await?;
                    Err(PaymentError::Unconfirmed.into())
                }
            };
        }
        if sent == Sent::Maybe {
            // The charge may have reached the processor before its answer was lost. Ask for
            // the payment made under the key before sending anything: a processor keeps a key
            // only for a while (Stripe: 24 hours), so a resend is never trusted to be the same
            // payment.
            match self.processor.find_by_key(&attempt.idempotency_key).await {
                Ok(Some(outcome)) => {
                    return self
                        .record_outcome(attempt.id, &outcome, user, request_id)
                        .await;
                }
                Ok(None) => {} // never charged: send it now
                Err(error) => {
                    tracing::warn!(attempt = %attempt.id, ?error, "the processor could not say whether a key was charged");
                    self.release_lease(&attempt).await?;
                    return Err(PaymentError::Unconfirmed.into());
                }
            }
        }
        let charged = self
            .processor
            .charge(&ChargeRequest {
                customer: &attempt.processor_customer,
                method: &attempt.processor_method,
                amount_minor: attempt.amount_minor,
                currency: &attempt.currency,
                idempotency_key: &attempt.idempotency_key,
                off_session: attempt.off_session,
            })
            .await;
        let outcome = match charged {
            Ok(outcome) => outcome,
            Err(ProcessorError::Unavailable(detail)) => {
                tracing::warn!(attempt = %attempt.id, %detail, "the processor did not answer a charge; it will be resumed");
                self.release_lease(&attempt).await?;
                return Err(PaymentError::Unconfirmed.into());
            }
            Err(ProcessorError::Refused { message }) => ChargeOutcome {
                payment: String::new(),
                status: ChargeStatus::Failed {
                    code: "processor_refused".into(),
                    message,
                },
                charged: None,
            },
            Err(ProcessorError::Rejected { message, .. }) => ChargeOutcome {
                payment: String::new(),
                status: ChargeStatus::Failed {
                    code: "processor_refused".into(),
                    message,
                },
                charged: None,
            },
        };
        self.record_outcome(attempt.id, &outcome, user, request_id)
            .await
    }

    /// Releases a pending attempt's lease: the next caller resumes it with its key.
    async fn release_lease(&self, attempt: &payment_attempt::Model) -> ServiceResult<()> {
        payment_attempt::Entity::update_many()
            .col_expr(
                payment_attempt::Column::LeaseUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(payment_attempt::Column::Id.eq(attempt.id))
            .filter(payment_attempt::Column::Status.eq(AttemptStatus::Pending))
            .exec(self.db.writes())
            .await?;
        Ok(())
    }

    /// Cancels a pending attempt the processor never charged (its invoice was settled before
    /// it was sent): failed with code `cancelled`, no retry, no notice, an audit entry.
    async fn cancel_attempt(
        &self,
        attempt: &payment_attempt::Model,
        user: Option<&AuthenticatedActor>,
        request_id: Option<&str>,
    ) -> ServiceResult<payment_attempt::Model> {
        let now = self.clock.now();
        let txn = self.db.begin_plain_write().await?;
        lock_invoice(&txn, attempt.invoice_id).await?;
        let current = payment_attempt::Entity::find_by_id(attempt.id)
            .one(&txn)
            .await?
            .ok_or(PaymentError::AttemptNotFound)?;
        if current.status != AttemptStatus::Pending {
            txn.commit().await?;
            return Ok(current);
        }
        let cancelled = payment_attempt::Model {
            status: AttemptStatus::Failed,
            failure_code: Some("cancelled".into()),
            failure_message: Some(
                "This payment was cancelled before it was sent: the invoice was settled \
                 another way."
                    .into(),
            ),
            lease_until: None,
            updated_at: now,
            ..current
        };
        payment_attempt::Entity::update(cancelled.clone().into_active_model().reset_all())
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            user,
            request_id,
            AuditEntry {
                customer: Some(cancelled.customer_id),
                action: "payment.cancelled",
                subject_type: "payment_attempt",
                subject_id: cancelled.id.to_string(),
                before: Some(json!({ "status": "pending" })),
                after: Some(json!({
                    "status": "failed",
                    "code": "cancelled",
                    "invoice": cancelled.invoice_id.to_string(),
                    "amount_minor": cancelled.amount_minor,
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(cancelled)
    }

    /// Records what the processor says of an attempt, once: a finished attempt is left as it
    /// is. Success records the payment, settles the invoice and queues the receipt; an
    /// automatic attempt's failure schedules the next retry and queues the notice.
    pub(super) async fn record_outcome(
        &self,
        id: PaymentAttemptId,
        outcome: &ChargeOutcome,
        user: Option<&AuthenticatedActor>,
        request_id: Option<&str>,
    ) -> ServiceResult<payment_attempt::Model> {
        let txn = self.db.begin_plain_write().await?;
        let recorded = self
            .record_outcome_in(&txn, id, outcome, user, request_id)
            .await?;
        txn.commit().await?;
        Ok(recorded)
    }

    /// [`Self::record_outcome`] within the caller's transaction (a webhook records its event
    /// and the outcome together); the caller commits.
    pub(super) async fn record_outcome_in(
        &self,
        txn: &PlainWrite,
        id: PaymentAttemptId,
        outcome: &ChargeOutcome,
        user: Option<&AuthenticatedActor>,
        request_id: Option<&str>,
    ) -> ServiceResult<payment_attempt::Model> {
        let now = self.clock.now();
        let attempt = payment_attempt::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(PaymentError::AttemptNotFound)?;
        lock_invoice(txn, attempt.invoice_id).await?;
        // Read again under the lock: another caller may have recorded it meanwhile.
        let attempt = payment_attempt::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(PaymentError::AttemptNotFound)?;
        let status = match &outcome.status {
            ChargeStatus::Succeeded => AttemptStatus::Succeeded,
            ChargeStatus::Processing => AttemptStatus::Processing,
            ChargeStatus::RequiresAction => AttemptStatus::RequiresAction,
            ChargeStatus::Failed { .. } => AttemptStatus::Failed,
        };
        if matches!(
            attempt.status,
            AttemptStatus::Succeeded | AttemptStatus::Failed
        ) || (attempt.status == status && attempt.processor_payment.is_some())
        {
            return Ok(attempt);
        }
        let (code, message) = match &outcome.status {
            ChargeStatus::Failed { code, message } => (Some(code.clone()), Some(message.clone())),
            _ => (None, None),
        };
        let payment_ref = (!outcome.payment.is_empty()).then(|| outcome.payment.clone());
        let updated = payment_attempt::Model {
            status,
            processor_payment: payment_ref.clone().or(attempt.processor_payment.clone()),
            failure_code: code,
            failure_message: message.clone(),
            lease_until: None,
            updated_at: now,
            ..attempt.clone()
        };
        payment_attempt::Entity::update(updated.clone().into_active_model().reset_all())
            .exec(txn)
            .await?;
        match status {
            AttemptStatus::Succeeded => {
                let payment = payment::Model {
                    id: PaymentId::new(),
                    invoice_id: attempt.invoice_id,
                    customer_id: attempt.customer_id,
                    attempt_id: Some(attempt.id),
                    kind: PaymentKind::Processor,
                    amount_minor: attempt.amount_minor,
                    refunded_minor: 0,
                    currency: attempt.currency.clone(),
                    processor_payment: updated.processor_payment.clone(),
                    method_text: attempt.method_label.clone(),
                    reference: None,
                    request_key: None,
                    recorded_by: None,
                    created_at: now,
                };
                self.receive(txn, &payment, user, request_id, now).await?;
            }
            AttemptStatus::Failed => {
                audit::record(
                    txn,
                    user,
                    request_id,
                    AuditEntry {
                        customer: Some(attempt.customer_id),
                        action: "payment.failed",
                        subject_type: "payment_attempt",
                        subject_id: attempt.id.to_string(),
                        before: None,
                        after: Some(json!({
                            "invoice": attempt.invoice_id.to_string(),
                            "amount_minor": attempt.amount_minor,
                            "method": attempt.method_label,
                            "code": updated.failure_code,
                            "off_session": attempt.off_session,
                        })),
                    },
                )
                .await?;
                // A failure the customer saw on the page (a payment from the portal refused at
                // once) is not e-mailed; one found later (a debit that bounced, an
                // authentication abandoned, automatic collection) is.
                let seen_on_the_page =
                    !attempt.off_session && attempt.status == AttemptStatus::Pending;
                if attempt.off_session {
                    self.schedule_retry(txn, &updated, now, true).await?;
                } else if invoice_collection::Entity::find_by_id(attempt.invoice_id)
                    .one(txn)
                    .await?
                    .is_none()
                {
                    // The schedule starts, so that the collection tick does not charge the
                    // invoice again at once.
                    self.schedule_retry(txn, &updated, now, !seen_on_the_page)
                        .await?;
                } else if !seen_on_the_page {
                    self.notify_failure(txn, &updated, now).await?;
                }
            }
            _ => {}
        }
        Ok(updated)
    }

    /// Records money received: the payment row, the invoice paid once nothing is outstanding,
    /// the end of its dunning, the receipt e-mail and an audit entry. What it brings in beyond
    /// what the invoice still asked for (all of it on an invoice no longer open) is credited to
    /// the organisation's balance through the credits ledger, with a `payment.overpaid` audit
    /// entry. The invoice is locked by the caller.
    pub(super) async fn receive(
        &self,
        txn: &PlainWrite,
        payment: &payment::Model,
        user: Option<&AuthenticatedActor>,
        request_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> ServiceResult<()> {
        let row = invoice::Entity::find_by_id(payment.invoice_id)
            .one(txn)
            .await?
            .ok_or(PaymentError::InvoiceNotFound)?;
        let before = owed_minor(&row)?;
        payment::Entity::insert(payment.clone().into_active_model())
            .exec_without_returning(txn)
            .await
            .map_err(on_unique_violation(|| PaymentError::KeyReused.into()))?;
        let mut after_status = row.status;
        let currency = catalog::rows::currency(&row.currency)?;
        let received = billing::Money::from_minor(payment.amount_minor, currency);
        let as_minor = |m: Result<billing::Money, billing::Error>| {
            m.and_then(|m| m.to_minor())
                .map_err(|e| ServiceError::from_billing(e, "input.amount"))
        };
        // What the invoice did not need is credited to the balance: all of it when the invoice
        // was settled another way meanwhile (a resumed attempt found the money arrived).
        let surplus = if row.status == InvoiceStatus::Open {
            let owed = billing::Money::from_minor(before, currency);
            let applied = as_minor(billing::settled_by_payment(owed, received))?;
            let left = as_minor(billing::due_after_payment(owed, received))?;
            // The caller holds the invoice's row lock: this is the only writer of what was paid.
            let mut update = invoice::Entity::update_many()
                .col_expr(
                    invoice::Column::AmountPaidMinor,
                    Expr::col(invoice::Column::AmountPaidMinor).add(applied),
                )
                .filter(invoice::Column::Id.eq(row.id));
            if left == 0 {
                // Nothing left to pay: paid. The amount due stays what the invoice asked.
                update = update.col_expr(invoice::Column::Status, Expr::value(InvoiceStatus::Paid));
                after_status = InvoiceStatus::Paid;
            }
            update.exec(txn).await?;
            if left == 0 {
                invoice_collection::Entity::delete_by_id(row.id)
                    .exec(txn)
                    .await?;
            }
            billing::overpaid(owed, received)
                .map_err(|e| ServiceError::from_billing(e, "input.amount"))?
        } else {
            received
        };
        audit::record(
            txn,
            user,
            request_id,
            AuditEntry {
                customer: Some(payment.customer_id),
                action: match payment.kind {
                    PaymentKind::Processor => "payment.succeeded",
                    PaymentKind::Offline => "payment.recorded",
                },
                subject_type: "payment",
                subject_id: payment.id.to_string(),
                before: Some(json!({
                    "invoice": row.id.to_string(),
                    "status": sea_orm::ActiveEnum::to_value(&row.status),
                    "outstanding_minor": before,
                })),
                after: Some(json!({
                    "status": sea_orm::ActiveEnum::to_value(&after_status),
                    "amount_minor": payment.amount_minor,
                    "method": payment.method_text,
                    "reference": payment.reference,
                })),
            },
        )
        .await?;
        if !surplus.is_zero() {
            self.credit_overpayment(txn, payment, &row, surplus, user, request_id, now)
                .await?;
        }
        let customer = entity::customer::Entity::find_by_id(payment.customer_id)
            .one(txn)
            .await?
            .ok_or(PaymentError::CustomerNotFound)?;
        outbox::enqueue(
            txn,
            vec![NewMessage::payment_receipt(
                customer.id,
                payment.id,
                &notice_recipient(&customer),
            )],
            now,
        )
        .await?;
        Ok(())
    }

    /// Credits `surplus` of `payment` to its organisation's balance and writes the
    /// `payment.overpaid` audit entry staff find it by.
    #[allow(clippy::too_many_arguments)]
    async fn credit_overpayment(
        &self,
        txn: &PlainWrite,
        payment: &payment::Model,
        row: &invoice::Model,
        surplus: billing::Money,
        user: Option<&AuthenticatedActor>,
        request_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> ServiceResult<()> {
        let entry = change_balance(
            txn,
            BalanceChange {
                customer: payment.customer_id,
                delta: surplus,
                kind: entity::credit_entry::CreditEntryKind::Adjustment,
                description: format!(
                    "Overpayment of invoice {}",
                    row.number.as_deref().unwrap_or("")
                ),
                invoice: Some(row.id),
                credit_note: None,
                quote: None,
                by: user.map(|u| u.user_id),
                field: "input.amount",
            },
            now,
        )
        .await?;
        use sea_orm::sea_query::ExprTrait as _;
        // Upcoming charges read the balance, which the tenant's cached state holds: bump its
        // revision here, in this transaction (the ledger took the customer's row lock already).
        entity::customer::Entity::update_many()
            .col_expr(
                entity::customer::Column::Revision,
                Expr::col(entity::customer::Column::Revision).add(1),
            )
            .filter(entity::customer::Column::Id.eq(payment.customer_id))
            .exec(txn)
            .await?;
        tracing::warn!(payment = %payment.id, invoice = %row.id, surplus_minor = entry.amount_minor, "a payment brought in more than was owed; credited to the balance");
        audit::record(
            txn,
            user,
            request_id,
            AuditEntry {
                customer: Some(payment.customer_id),
                action: "payment.overpaid",
                subject_type: "payment",
                subject_id: payment.id.to_string(),
                before: Some(json!({
                    "invoice": row.id.to_string(),
                    "status": sea_orm::ActiveEnum::to_value(&row.status),
                })),
                after: Some(json!({
                    "amount_minor": payment.amount_minor,
                    "credited_minor": entry.amount_minor,
                    "balance_after_minor": entry.balance_after_minor,
                    "credit_entry": entry.id.to_string(),
                })),
            },
        )
        .await?;
        Ok(())
    }

    /// After a failed attempt: the next retry per the schedule, or, after the last, past due
    /// (stays open) or uncollectible; and, when `notify` (the customer was not there to see
    /// it), the notice to the customer.
    async fn schedule_retry<C: ConnectionTrait>(
        &self,
        txn: &C,
        attempt: &payment_attempt::Model,
        now: DateTime<Utc>,
        notify: bool,
    ) -> ServiceResult<()> {
        let existing = invoice_collection::Entity::find_by_id(attempt.invoice_id)
            .one(txn)
            .await?;
        let failures = existing.as_ref().map_or(0, |c| c.failures) + 1;
        let delay = billing::retry_delay_days(
            u32::try_from(failures).unwrap_or(u32::MAX),
            &self.settings.retry_days,
        );
        let (state, next) = match delay {
            Some(days) => (
                CollectionState::Scheduled,
                now + chrono::Duration::days(i64::from(days)),
            ),
            None => (CollectionState::Exhausted, now),
        };
        let row = invoice_collection::Model {
            invoice_id: attempt.invoice_id,
            customer_id: attempt.customer_id,
            failures,
            state,
            next_attempt_at: next,
            last_failure: attempt.failure_message.clone(),
            updated_at: now,
        };
        if existing.is_some() {
            invoice_collection::Entity::update(row.into_active_model().reset_all())
                .exec(txn)
                .await?;
        } else {
            invoice_collection::Entity::insert(row.into_active_model())
                .exec_without_returning(txn)
                .await?;
        }
        if state == CollectionState::Exhausted
            && self.settings.after_last_retry == AfterLastRetry::Uncollectible
        {
            let moved = invoice::Entity::update_many()
                .col_expr(
                    invoice::Column::Status,
                    Expr::value(InvoiceStatus::Uncollectible),
                )
                .filter(invoice::Column::Id.eq(attempt.invoice_id))
                .filter(invoice::Column::Status.eq(InvoiceStatus::Open))
                .exec(txn)
                .await?;
            if moved.rows_affected == 1 {
                audit::record(
                    txn,
                    None,
                    None,
                    AuditEntry {
                        customer: Some(attempt.customer_id),
                        action: "invoice.uncollectible",
                        subject_type: "invoice",
                        subject_id: attempt.invoice_id.to_string(),
                        before: Some(json!({ "status": "open" })),
                        after: Some(json!({ "status": "uncollectible", "failures": failures })),
                    },
                )
                .await?;
            }
        }
        if notify {
            self.notify_failure(txn, attempt, now).await?;
        }
        Ok(())
    }

    /// Queues the payment-failed e-mail of `attempt`.
    async fn notify_failure<C: ConnectionTrait>(
        &self,
        txn: &C,
        attempt: &payment_attempt::Model,
        now: DateTime<Utc>,
    ) -> ServiceResult<()> {
        let customer = entity::customer::Entity::find_by_id(attempt.customer_id)
            .one(txn)
            .await?
            .ok_or(PaymentError::CustomerNotFound)?;
        outbox::enqueue(
            txn,
            vec![NewMessage::payment_failed(
                customer.id,
                attempt.id,
                &notice_recipient(&customer),
            )],
            now,
        )
        .await?;
        Ok(())
    }

    /// The customer's answer to an authentication request (the portal's "Authenticate" or
    /// "Fail authentication"): the payment goes on or fails. `NOT_FOUND` for another
    /// tenant's attempt; `CONFLICT` (`NOT_AUTHENTICATING`) when it does not wait for one.
    pub async fn confirm_authentication(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: PaymentAttemptId,
        passed: bool,
    ) -> ServiceResult<payment_attempt::Model> {
        let attempt = self.attempt(actor, id).await?;
        let user = actor.authenticated()?;
        user.require_billing_write()?;
        if attempt.status != AttemptStatus::RequiresAction {
            return Err(PaymentError::NotAuthenticating.into());
        }
        let payment = attempt.processor_payment.clone().ok_or_else(|| {
            ServiceError::internal("an attempt waiting for authentication without its payment")
        })?;
        let outcome = self
            .processor
            .authenticate(&payment, passed)
            .await
            .map_err(PaymentError::Processor)?;
        let done = self
            .record_outcome(id, &outcome, Some(user), request_id)
            .await?;
        finish(done)
    }
}

/// Whether an attempt is automatic collection (off session: the customer is not there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Automatic {
    /// The customer (or staff for them) pays now.
    No,
    /// The collection job, when the invoice's next attempt is due.
    Scheduled,
    /// Staff's "retry now": off session, whatever the schedule says.
    Forced,
}

/// What `start_attempt` found to do.
pub(super) enum Started {
    /// A new attempt to run: its key was never sent.
    Run(payment_attempt::Model),
    /// An interrupted attempt to resume with its key, which may have been sent.
    Resume(payment_attempt::Model),
    /// The attempt the caller's idempotency key made before.
    Answered(payment_attempt::Model),
}

/// Whether an attempt's key may already have reached the processor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sent {
    /// A new attempt.
    Never,
    /// Resumed after its answer was lost (a crash, a timeout, a lease run out).
    Maybe,
}
