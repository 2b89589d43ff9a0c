//! Abandoned authentications. A payment that asked its customer to authenticate (3-D Secure)
//! blocks its invoice: nothing else may collect it while the attempt is unfinished. After
//! `payments.authentication_expiry_hours` the collection tick asks the processor where the
//! payment is (the customer may have authenticated and the answer been lost), and cancels it
//! if it still waits. The cancelled attempt is an ordinary failure: an automatic one follows
//! the retry schedule and e-mails the customer, and the invoice can be collected again.

use entity::payment_attempt::{self, AttemptStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::PaymentsService;
use super::processor::ChargeStatus;
use crate::error::ServiceResult;

/// Attempts looked at per tick.
const BATCH: u64 = 50;

/// What one pass over the waiting attempts did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Expired {
    /// Attempts cancelled because nobody authenticated them in time.
    pub cancelled: u64,
    /// Attempts found finished at the processor (their answer had been lost).
    pub finished: u64,
}

impl PaymentsService {
    /// Cancels the attempts that waited for authentication longer than the setting allows;
    /// see the module docs. One attempt the processor cannot answer for is left for the next
    /// tick and does not stop the others.
    pub(super) async fn expire_authentications(&self) -> ServiceResult<Expired> {
        let now = self.clock.now();
        let waiting_since = now - self.settings.authentication_expiry;
        let waiting = payment_attempt::Entity::find()
            .filter(payment_attempt::Column::Status.eq(AttemptStatus::RequiresAction))
            .filter(payment_attempt::Column::UpdatedAt.lte(waiting_since))
            .order_by_asc(payment_attempt::Column::UpdatedAt)
            .limit(BATCH)
            .all(self.db.reads())
            .await?;
        let mut done = Expired::default();
        for attempt in waiting {
            let Some(reference) = attempt.processor_payment.as_deref() else {
                continue;
            };
            let answer = match self.processor.retrieve(reference).await {
                Ok(outcome) if outcome.status == ChargeStatus::RequiresAction => {
                    self.processor.cancel(reference).await.map(|o| (o, true))
                }
                Ok(outcome) => Ok((outcome, false)),
                Err(error) => Err(error),
            };
            let (outcome, cancelled) = match answer {
                Ok(answer) => answer,
                Err(error) => {
                    tracing::warn!(attempt = %attempt.id, ?error, "expiring an authentication");
                    continue;
                }
            };
            if outcome.status == ChargeStatus::RequiresAction {
                continue; // the processor would not cancel it: asked again next tick
            }
            match self.record_outcome(attempt.id, &outcome, None, None).await {
                Ok(_) if cancelled => done.cancelled += 1,
                Ok(_) => done.finished += 1,
                Err(error) => {
                    tracing::warn!(attempt = %attempt.id, ?error, "recording an expired attempt")
                }
            }
        }
        Ok(done)
    }
}
