//! Sending what the outbox holds, exactly once per message as far as the mail server can tell
//! us, across crashes and any number of instances.
//!
//! 1. **Claim** (a short transaction): up to a batch of due pending rows get this worker's
//!    `claim_token`, a lease (`claimed_until`) and one more attempt. PostgreSQL skips rows
//!    another worker holds (`FOR UPDATE SKIP LOCKED`); SQLite's writes are serial anyway. A
//!    row under a live lease is never claimed, so two workers never send one message.
//! 2. **Send** each, outside any transaction.
//! 3. **Record** the outcome, only if the claim is still this worker's: sent; or back to
//!    pending with a later `next_attempt_at` (backoff); or failed, for good (a permanent
//!    refusal, or the last attempt).
//!
//! A crash before 3 leaves the row claimed until the lease ends; it is then claimed again and
//! sent. The only window for a second copy is between the server's acceptance and step 3's
//! commit: the copy carries the same `Message-ID` (the row's id), which mail systems use to
//! recognise duplicates, and the file transport rewrites the same file.

use chrono::{DateTime, Duration, Utc};
use entity::outbox_message::{self, MessageKind, MessageStatus};
use ids::{CreditNoteId, InvoiceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, QueryFilter, Statement};
use uuid::Uuid;

use super::MailService;
use super::compose;
use super::transport::SendError;
use crate::error::{ServiceError, ServiceResult};

/// How long a claim holds a message: far longer than an SMTP conversation may take (each step
/// times out after `mail.smtp.timeout_seconds`), so a live worker never loses its claim.
pub const LEASE: Duration = Duration::minutes(10);

/// Messages claimed at once by one worker.
const BATCH: i64 = 50;

/// Waits before attempt 2, 3, …: a minute, then longer, up to half a day.
const BACKOFF_SECONDS: [i64; 7] = [60, 300, 900, 3_600, 10_800, 21_600, 43_200];

/// What one pass over the outbox did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Messages the mail server accepted.
    pub sent: usize,
    /// Messages that failed and will be tried again later.
    pub retrying: usize,
    /// Messages given up (shown to staff).
    pub failed: usize,
}

/// The wait before the attempt after `attempts` failed ones.
pub fn backoff(attempts: i32) -> Duration {
    let index = usize::try_from(attempts.max(1) - 1).unwrap_or(0);
    Duration::seconds(BACKOFF_SECONDS[index.min(BACKOFF_SECONDS.len() - 1)])
}

impl MailService {
    /// Sends every message due now, batch after batch, until none is left to claim.
    pub async fn deliver_due(&self) -> ServiceResult<DeliveryReport> {
        let mut report = DeliveryReport::default();
        loop {
            let now = self.clock.now();
            let token = Uuid::now_v7();
            let claimed = self.claim(token, now).await?;
            if claimed.is_empty() {
                return Ok(report);
            }
            for message in claimed {
                match self.send_one(&message).await {
                    Ok(()) => {
                        self.record_sent(&message, token).await?;
                        report.sent += 1;
                    }
                    Err(error) => {
                        let gave_up = error.permanent || message.attempts >= self.max_attempts;
                        tracing::warn!(
                            id = %message.id,
                            attempt = message.attempts,
                            gave_up,
                            error = %error.message,
                            "sending an e-mail failed"
                        );
                        self.record_failure(&message, token, &error, gave_up)
                            .await?;
                        if gave_up {
                            report.failed += 1;
                        } else {
                            report.retrying += 1;
                        }
                    }
                }
            }
        }
    }

    /// Claims up to a batch of due messages for `token`.
    async fn claim(
        &self,
        token: Uuid,
        now: DateTime<Utc>,
    ) -> ServiceResult<Vec<outbox_message::Model>> {
        let backend = self.db.backend();
        let skip_locked = if backend == DbBackend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let (p1, p2, p3, p4) = match backend {
            DbBackend::Postgres => ("$1", "$2", "$3", "$4"),
            _ => ("?", "?", "?", "?"),
        };
        let sql = format!(
            "UPDATE outbox_messages \
             SET claim_token = {p1}, claimed_until = {p2}, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox_messages \
                 WHERE status = 'pending' AND next_attempt_at <= {p3} \
                   AND (claimed_until IS NULL OR claimed_until < {p3}) \
                 ORDER BY next_attempt_at, id LIMIT {p4}{skip_locked}) \
             RETURNING *"
        );
        let sql = if backend == DbBackend::Postgres {
            sql
        } else {
            // SQLite numbers `?` by position: the third is used twice.
            sql.replacen("claimed_until < ?", "claimed_until < ?3", 1)
                .replacen("next_attempt_at <= ?", "next_attempt_at <= ?3", 1)
                .replacen("LIMIT ?", "LIMIT ?4", 1)
                .replacen("claim_token = ?", "claim_token = ?1", 1)
                .replacen("claimed_until = ?,", "claimed_until = ?2,", 1)
        };
        let txn = self.db.begin_plain_write().await?;
        let mut rows = outbox_message::Entity::find()
            .from_raw_sql(Statement::from_sql_and_values(
                backend,
                sql,
                [token.into(), (now + LEASE).into(), now.into(), BATCH.into()],
            ))
            .all(&txn)
            .await?;
        txn.commit().await?;
        // `RETURNING` promises no order (PostgreSQL returns rows as it updated them): send the
        // oldest first, as they were queued (an invoice's address before its contacts).
        rows.sort_by_key(|row| (row.next_attempt_at, row.id));
        Ok(rows)
    }

    /// Composes and sends one claimed message.
    async fn send_one(&self, message: &outbox_message::Model) -> Result<(), SendError> {
        let composed = self.compose(message).await.map_err(|e| SendError {
            // A document that cannot be read or rendered now may be later (storage down).
            permanent: false,
            message: format!("composing the message: {e:?}"),
        })?;
        self.mailer.send(&message.id.to_string(), &composed).await
    }

    async fn compose(&self, message: &outbox_message::Model) -> ServiceResult<lettre::Message> {
        let id = message.id.to_string();
        match message.kind {
            MessageKind::Invoice | MessageKind::InvoiceCopy => {
                let invoice_id = InvoiceId::from(message.document_id);
                let pdf = self.documents.invoice_pdf_by_id(invoice_id).await?;
                let row = entity::invoice::Entity::find_by_id(invoice_id)
                    .one(self.db.reads())
                    .await?
                    .ok_or(ServiceError::NotFound { entity: "invoice" })?;
                compose::invoice_message(
                    &self.sender,
                    &id,
                    &message.recipient,
                    &row,
                    &pdf,
                    self.payment_instructions.as_deref(),
                )
            }
            MessageKind::CreditNote => {
                let note_id = CreditNoteId::from(message.document_id);
                let pdf = self.documents.credit_note_pdf_by_id(note_id).await?;
                let note = entity::credit_note::Entity::find_by_id(note_id)
                    .one(self.db.reads())
                    .await?
                    .ok_or(ServiceError::NotFound {
                        entity: "credit note",
                    })?;
                let invoice = entity::invoice::Entity::find_by_id(note.invoice_id)
                    .one(self.db.reads())
                    .await?
                    .ok_or(ServiceError::NotFound { entity: "invoice" })?;
                compose::credit_note_message(
                    &self.sender,
                    &id,
                    &message.recipient,
                    &note,
                    &invoice,
                    &pdf,
                )
            }
            MessageKind::PaymentReceipt => {
                let payment =
                    entity::payment::Entity::find_by_id(ids::PaymentId::from(message.document_id))
                        .one(self.db.reads())
                        .await?
                        .ok_or(ServiceError::NotFound { entity: "payment" })?;
                let invoice = entity::invoice::Entity::find_by_id(payment.invoice_id)
                    .one(self.db.reads())
                    .await?
                    .ok_or(ServiceError::NotFound { entity: "invoice" })?;
                compose::payment_message(
                    &self.sender,
                    &id,
                    &message.recipient,
                    &invoice,
                    &compose::PaymentNotice::Receipt { payment: &payment },
                )
            }
            MessageKind::PaymentFailed => {
                let attempt = entity::payment_attempt::Entity::find_by_id(
                    ids::PaymentAttemptId::from(message.document_id),
                )
                .one(self.db.reads())
                .await?
                .ok_or(ServiceError::NotFound {
                    entity: "payment attempt",
                })?;
                let invoice = entity::invoice::Entity::find_by_id(attempt.invoice_id)
                    .one(self.db.reads())
                    .await?
                    .ok_or(ServiceError::NotFound { entity: "invoice" })?;
                // A retry is promised only if collection will make it: not once the invoice's
                // subscription has automatic payment off.
                let automatic = crate::services::payments::collection::collected_automatically(
                    self.db.reads(),
                    &invoice,
                    false,
                )
                .await?;
                let next_attempt = entity::invoice_collection::Entity::find_by_id(invoice.id)
                    .one(self.db.reads())
                    .await?
                    .filter(|c| {
                        automatic
                            && c.state == entity::invoice_collection::CollectionState::Scheduled
                            && invoice.status == entity::invoice::InvoiceStatus::Open
                    })
                    .map(|c| c.next_attempt_at);
                compose::payment_message(
                    &self.sender,
                    &id,
                    &message.recipient,
                    &invoice,
                    &compose::PaymentNotice::Failed {
                        attempt: &attempt,
                        next_attempt,
                    },
                )
            }
            MessageKind::Invitation => {
                let invitation = entity::invitation::Entity::find_by_id(ids::InvitationId::from(
                    message.document_id,
                ))
                .one(self.db.reads())
                .await?
                .ok_or(ServiceError::NotFound {
                    entity: "invitation",
                })?;
                let organisation = entity::customer::Entity::find_by_id(invitation.customer_id)
                    .one(self.db.reads())
                    .await?
                    .ok_or(ServiceError::NotFound { entity: "customer" })?;
                let token = message.secret.as_deref().ok_or_else(|| {
                    ServiceError::internal("an invitation message without its token")
                })?;
                compose::invitation_message(
                    &self.sender,
                    &id,
                    &message.recipient,
                    &organisation.name,
                    crate::services::accounts::invitations::role_label(invitation.role),
                    invitation.expires_at,
                    token,
                )
            }
        }
    }

    async fn record_sent(&self, message: &outbox_message::Model, token: Uuid) -> ServiceResult<()> {
        let now = self.clock.now();
        let recorded = outbox_message::Entity::update_many()
            .col_expr(
                outbox_message::Column::Status,
                Expr::value(MessageStatus::Sent),
            )
            .col_expr(outbox_message::Column::SentAt, Expr::value(Some(now)))
            // Delivered: the secret (an invitation's token) is the recipient's alone now.
            .col_expr(
                outbox_message::Column::Secret,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                outbox_message::Column::LastError,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                outbox_message::Column::ClaimToken,
                Expr::value(Option::<Uuid>::None),
            )
            .col_expr(
                outbox_message::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(outbox_message::Column::Id.eq(message.id))
            .filter(outbox_message::Column::ClaimToken.eq(token))
            .exec(self.db.writes())
            .await?;
        if recorded.rows_affected == 0 {
            tracing::warn!(id = %message.id, "an e-mail was sent after its claim lapsed");
        }
        Ok(())
    }

    async fn record_failure(
        &self,
        message: &outbox_message::Model,
        token: Uuid,
        error: &SendError,
        gave_up: bool,
    ) -> ServiceResult<()> {
        let now = self.clock.now();
        let status = if gave_up {
            MessageStatus::Failed
        } else {
            MessageStatus::Pending
        };
        outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::Status, Expr::value(status))
            .col_expr(
                outbox_message::Column::NextAttemptAt,
                Expr::value(now + backoff(message.attempts)),
            )
            .col_expr(
                outbox_message::Column::LastError,
                Expr::value(Some(truncate(&error.message, 2_000))),
            )
            .col_expr(
                outbox_message::Column::ClaimToken,
                Expr::value(Option::<Uuid>::None),
            )
            .col_expr(
                outbox_message::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(outbox_message::Column::Id.eq(message.id))
            .filter(outbox_message::Column::ClaimToken.eq(token))
            .exec(self.db.writes())
            .await?;
        Ok(())
    }
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_half_a_day() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(5));
        assert_eq!(backoff(7), Duration::hours(12));
        assert_eq!(backoff(40), Duration::hours(12));
        assert_eq!(backoff(0), Duration::minutes(1));
    }
}
