//! Applying Stripe's webhook events (`POST /webhooks/stripe`, signature checked by the
//! handler with [`super::stripe::signature`]). Each event is recorded by its id in
//! `stripe_events` in the same transaction that applies it, so a second delivery changes
//! nothing; an event about an object that is not ours (no attempt, payment or customer of
//! ours) is refused with nothing written, except `payment_method.detached` of a method we do
//! not hold (removed in the portal first, or never saved), which is acknowledged with nothing
//! written. A payment whose amount, currency or customer differs from its attempt's, or that
//! succeeded after its attempt failed here, is not applied: it is logged and left in the audit
//! log for staff, and the event recorded. Events are applied through the same services
//! the sandbox path uses: an attempt's outcome through `record_outcome_in`, a saved method
//! through `insert_method_in`.
//!
//! What an event says is never taken on trust beyond its object's id and our own metadata on
//! it: a payment's state is asked of the processor again (events arrive out of order; the
//! state now is what counts), and so are a setup's method, a mandate's status and method, and
//! a refunded payment's refunds (those made in Stripe's dashboard are recorded once each,
//! [`super::outside_refunds`]). A setup that saved a kind of method we do not take is
//! acknowledged (200) with nothing written, and logged.

use entity::payment_attempt;
use entity::{payment, payment_method, refund, stripe_event};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::{Value, json};

use super::PaymentsService;
use super::methods::audit_view as audit_method;
use super::processor::{ChargeOutcome, ListedRefund, ProcessorError, SetupOutcome};
use super::stripe::UNSUPPORTED_METHOD;
use crate::db::PlainWrite;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};

/// What became of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventOutcome {
    /// Applied now.
    Applied,
    /// Applied before: nothing changed.
    Replayed,
    /// A type Billfold does not act on: acknowledged, not recorded.
    Ignored,
}

/// Why an event was refused.
#[derive(Debug)]
pub enum EventError {
    /// Not a Stripe event (no `id`, `type` or `data.object.id`).
    Malformed,
    /// About an object that is not ours, or that the processor does not know.
    UnknownObject,
    /// We could not apply it now (the processor or the database did not answer): Stripe sends
    /// it again later.
    Failed(ServiceError),
}

impl From<ServiceError> for EventError {
    fn from(error: ServiceError) -> Self {
        EventError::Failed(error)
    }
}

impl From<sea_orm::DbErr> for EventError {
    fn from(error: sea_orm::DbErr) -> Self {
        EventError::Failed(error.into())
    }
}

/// The event types applied.
pub const HANDLED: [&str; 7] = [
    "setup_intent.succeeded",
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.processing",
    "charge.refunded",
    "mandate.updated",
    "payment_method.detached",
];

/// What an event asks for, prepared before the transaction (processor calls happen here).
enum Prepared {
    Payment {
        outcome: ChargeOutcome,
        key: Option<String>,
    },
    Setup(SetupOutcome),
    Refunded {
        payment: String,
        listed: Vec<ListedRefund>,
    },
    MethodGone {
        method: String,
    },
    MandateActive {
        method: String,
    },
}

fn unavailable(detail: String) -> EventError {
    EventError::Failed(ServiceError::internal(format!(
        "payment processor unavailable: {detail}"
    )))
}

fn text<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

fn known(result: Result<ChargeOutcome, ProcessorError>) -> Result<ChargeOutcome, EventError> {
    match result {
        Ok(outcome) => Ok(outcome),
        Err(ProcessorError::Unavailable(detail)) => Err(EventError::Failed(
            ServiceError::internal(format!("payment processor unavailable: {detail}")),
        )),
        Err(_) => Err(EventError::UnknownObject),
    }
}

impl PaymentsService {
    /// Applies one verified Stripe event (its raw JSON body).
    pub async fn apply_stripe_event(&self, body: &[u8]) -> Result<EventOutcome, EventError> {
        let event: Value = serde_json::from_slice(body).map_err(|_| EventError::Malformed)?;
        let (Some(id), Some(kind), Some(object_id)) = (
            text(&event, "/id"),
            text(&event, "/type"),
            text(&event, "/data/object/id"),
        ) else {
            return Err(EventError::Malformed);
        };
        if !HANDLED.contains(&kind) {
            return Ok(EventOutcome::Ignored);
        }
        if stripe_event::Entity::find_by_id(id.to_owned())
            .one(self.db.reads())
            .await?
            .is_some()
        {
            return Ok(EventOutcome::Replayed);
        }
        let object = &event["data"]["object"];
        let prepared = match kind {
            "payment_intent.succeeded"
            | "payment_intent.payment_failed"
            | "payment_intent.processing" => Prepared::Payment {
                outcome: known(self.processor.retrieve(object_id).await)?,
                key: text(object, "/metadata/billfold_key").map(str::to_owned),
            },
            "setup_intent.succeeded" => match self.processor.finish_setup(object_id).await {
                Ok(Some(outcome)) => Prepared::Setup(outcome),
                Err(ProcessorError::Rejected { code, .. }) if code == UNSUPPORTED_METHOD => {
                    // A kind of method we do not take (saved by another integration, or a
                    // Payment Element configured wider): nothing to save, and a refusal would
                    // only make Stripe deliver it again for days.
                    tracing::info!(
                        event = id,
                        setup = object_id,
                        "a setup of a method kind Billfold does not take: acknowledged"
                    );
                    return Ok(EventOutcome::Ignored);
                }
                Ok(None)
                | Err(ProcessorError::Refused { .. } | ProcessorError::Rejected { .. }) => {
                    return Err(EventError::UnknownObject);
                }
                Err(ProcessorError::Unavailable(detail)) => return Err(unavailable(detail)),
            },
            "charge.refunded" => {
                // Only the payment's id is taken from the event: its refunds are listed by
                // the processor.
                let payment = text(object, "/payment_intent")
                    .ok_or(EventError::UnknownObject)?
                    .to_owned();
                let listed = match self.processor.refunds(&payment).await {
                    Ok(listed) => listed,
                    Err(ProcessorError::Unavailable(detail)) => return Err(unavailable(detail)),
                    Err(_) => return Err(EventError::UnknownObject),
                };
                Prepared::Refunded { payment, listed }
            }
            "payment_method.detached" => {
                if !self.stores_method(object_id).await? {
                    // Removed in the portal first (our removal detached it), or never ours
                    // (a kind we do not take, another integration's): nothing to do, and a
                    // refusal would only make Stripe deliver it again for days.
                    tracing::info!(
                        event = id,
                        method = object_id,
                        "a detached method Billfold does not hold: acknowledged"
                    );
                    return Ok(EventOutcome::Ignored);
                }
                Prepared::MethodGone {
                    method: object_id.to_owned(),
                }
            }
            // mandate.updated: the mandate as Stripe holds it now, not as the event says.
            _ => {
                let mandate = match self.processor.mandate(object_id).await {
                    Ok(mandate) => mandate,
                    Err(ProcessorError::Unavailable(detail)) => return Err(unavailable(detail)),
                    Err(_) => return Err(EventError::UnknownObject),
                };
                if mandate.active {
                    Prepared::MandateActive {
                        method: mandate.method,
                    }
                } else {
                    Prepared::MethodGone {
                        method: mandate.method,
                    }
                }
            }
        };

        let txn = self.db.begin_plain_write().await?;
        let inserted = stripe_event::Entity::insert(
            stripe_event::Model {
                id: id.to_owned(),
                kind: kind.to_owned(),
                object: object_id.to_owned(),
                received_at: self.clock.now(),
            }
            .into_active_model(),
        )
        .on_conflict(
            OnConflict::column(stripe_event::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        if inserted == 0 {
            // Delivered twice at once: the other delivery applied it.
            return Ok(EventOutcome::Replayed);
        }
        let refunds_to_confirm = self.apply_in(&txn, id, prepared).await?;
        txn.commit().await?;
        if let Some(payment) = refunds_to_confirm {
            self.confirm_refunds(&payment).await?;
        }
        Ok(EventOutcome::Applied)
    }

    /// Applies a prepared event in `txn`. Answers the payment whose unconfirmed refunds the
    /// processor now says were made (confirmed after the commit).
    async fn apply_in(
        &self,
        txn: &PlainWrite,
        event: &str,
        prepared: Prepared,
    ) -> Result<Option<payment::Model>, EventError> {
        match prepared {
            Prepared::Payment { outcome, key } => {
                let mut attempt = payment_attempt::Entity::find()
                    .filter(payment_attempt::Column::ProcessorPayment.eq(outcome.payment.as_str()))
                    .one(txn)
                    .await?;
                if attempt.is_none()
                    && let Some(key) = &key
                {
                    // Charged, but its answer was lost before we recorded it: found by the key
                    // we put in the payment's metadata.
                    attempt = payment_attempt::Entity::find()
                        .filter(payment_attempt::Column::IdempotencyKey.eq(key.as_str()))
                        .one(txn)
                        .await?;
                }
                let attempt = attempt.ok_or(EventError::UnknownObject)?;
                if !self.believable_in(txn, event, &attempt, &outcome).await? {
                    return Ok(None);
                }
                self.record_outcome_in(txn, attempt.id, &outcome, None, Some(event))
                    .await?;
                Ok(None)
            }
            Prepared::Setup(outcome) => {
                let customer = outcome
                    .our_customer
                    .as_deref()
                    .and_then(|c| c.parse::<ids::CustomerId>().ok())
                    .ok_or(EventError::UnknownObject)?;
                entity::customer::Entity::find_by_id(customer)
                    .one(txn)
                    .await?
                    .ok_or(EventError::UnknownObject)?;
                self.save_setup_in(txn, None, Some(event), customer, outcome)
                    .await?;
                Ok(None)
            }
            Prepared::Refunded { payment, listed } => {
                let row = payment::Entity::find()
                    .filter(payment::Column::ProcessorPayment.eq(payment.as_str()))
                    .one(txn)
                    .await?
                    .ok_or(EventError::UnknownObject)?;
                self.record_outside_refunds_in(txn, event, &row, &listed)
                    .await?;
                Ok(Some(row))
            }
            Prepared::MethodGone { method } => {
                let row = payment_method::Entity::find()
                    .filter(payment_method::Column::Processor.eq(self.processor.name()))
                    .filter(payment_method::Column::ProcessorMethod.eq(method.as_str()))
                    .one(txn)
                    .await?;
                match row {
                    Some(row) => self.forget_method_in(txn, &row, event).await?,
                    // Removed by the portal between our look-up and this transaction: the
                    // event is recorded, nothing else is left to do.
                    None => {
                        tracing::info!(event, method = %method, "a detached method already removed")
                    }
                }
                Ok(None)
            }
            Prepared::MandateActive { method } => {
                payment_method::Entity::find()
                    .filter(payment_method::Column::Processor.eq(self.processor.name()))
                    .filter(payment_method::Column::ProcessorMethod.eq(method.as_str()))
                    .one(txn)
                    .await?
                    .ok_or(EventError::UnknownObject)?;
                Ok(None)
            }
        }
    }

    /// Whether a method of this processor is saved (any organisation).
    async fn stores_method(&self, method: &str) -> Result<bool, EventError> {
        Ok(payment_method::Entity::find()
            .filter(payment_method::Column::Processor.eq(self.processor.name()))
            .filter(payment_method::Column::ProcessorMethod.eq(method))
            .one(self.db.reads())
            .await?
            .is_some())
    }

    /// A method the processor no longer charges (detached, or its mandate revoked): removed,
    /// with an audit entry. It was the default: the organisation has none until it picks one.
    async fn forget_method_in(
        &self,
        txn: &PlainWrite,
        row: &payment_method::Model,
        event: &str,
    ) -> ServiceResult<()> {
        payment_method::Entity::delete_by_id(row.id)
            .exec(txn)
            .await?;
        audit::record(
            txn,
            None,
            Some(event),
            AuditEntry {
                customer: Some(row.customer_id),
                action: "payment_method.detached",
                subject_type: "payment_method",
                subject_id: row.id.to_string(),
                before: Some(audit_method(row)),
                after: Some(json!({ "by": "processor" })),
            },
        )
        .await?;
        Ok(())
    }

    /// The processor says `payment` was refunded: its refunds whose answer was lost are sent
    /// again with their own keys (the processor answers the refund it already made) and
    /// recorded through the refunds service. The event is recorded already: one that fails
    /// here is left to the collection job, which resumes unconfirmed refunds too.
    async fn confirm_refunds(&self, payment: &payment::Model) -> Result<(), EventError> {
        let pending = refund::Entity::find()
            .filter(refund::Column::PaymentId.eq(payment.id))
            .filter(refund::Column::Status.eq(entity::refund::RefundStatus::Pending))
            .all(self.db.reads())
            .await?;
        for row in pending {
            if let Err(error) = self.send_refund(row, payment, None, None).await {
                tracing::warn!(?error, "confirming a refund Stripe reported failed");
            }
        }
        Ok(())
    }
}
