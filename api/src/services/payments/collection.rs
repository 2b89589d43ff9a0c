//! Automatic collection, one tick at a time (`billfold serve` runs it every
//! `payments.collect_every_seconds`; any number of instances may):
//!
//! 1. the processor's time passes (the sandbox settles processing debits);
//! 2. processing attempts learn whether they settled;
//! 3. attempts that waited for authentication longer than
//!    `payments.authentication_expiry_hours` are cancelled as failures (see [`super::expiry`]);
//! 4. pending attempts whose lease ran out (a crash between the charge and our commit) are
//!    resumed: the payment made under their key is recorded, or, when there is none, the
//!    charge is sent with the same key;
//! 5. refunds whose processor answer was lost are sent again with their key;
//! 6. every open invoice with something still owed, whose organisation has a default method, with no
//!    unfinished attempt, whose subscription (if it has one) has automatic payment on, and
//!    whose next automatic attempt is due (never tried, or its retry time has come) is charged
//!    off session, the longest waiting first. Invoices are claimed
//!    with `FOR UPDATE SKIP LOCKED` on PostgreSQL (two workers never claim the same one; the
//!    attempt row written in the claim keeps later claims off it), through the single writer
//!    on SQLite. The processor is called after the claim commits, never inside a billing run.

use entity::payment_attempt::{self, AttemptStatus};
use entity::{invoice, subscription};
use ids::InvoiceId;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};

use super::PaymentsService;
use super::attempts::{Automatic, Sent, Started};
use super::processor::ChargeStatus;
use crate::error::ServiceResult;

/// Invoices claimed per tick.
const CLAIM_BATCH: u64 = 50;

/// What a tick did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CollectionReport {
    /// Processing payments the processor settled.
    pub settled: u64,
    /// Interrupted attempts resumed.
    pub resumed: u64,
    /// Invoices charged.
    pub charged: u64,
    /// Of those and the resumed ones, how many succeeded.
    pub succeeded: u64,
    /// And how many failed.
    pub failed: u64,
    /// Unconfirmed refunds sent again.
    pub refunds_resumed: u64,
    /// Attempts cancelled because nobody authenticated them in time.
    pub authentications_expired: u64,
    /// Invoices claimed but not charged after all (paid, charged by another worker, or their
    /// automatic payment turned off since the claim). Each one took a place in the batch: a
    /// claim that keeps returning them would crowd out the invoices that are due.
    pub skipped: u64,
}

impl PaymentsService {
    /// One collection tick; see the module docs.
    pub async fn collect_due(&self) -> ServiceResult<CollectionReport> {
        let mut report = CollectionReport::default();
        let now = self.clock.now();
        if let Err(error) = self.processor.tick(now).await {
            tracing::warn!(?error, "the processor's tick failed");
        }

        // Processing attempts: ask where they are.
        let processing = payment_attempt::Entity::find()
            .filter(payment_attempt::Column::Status.eq(AttemptStatus::Processing))
            .order_by_asc(payment_attempt::Column::UpdatedAt)
            .limit(CLAIM_BATCH)
            .all(self.db.reads())
            .await?;
        for attempt in processing {
            let Some(reference) = attempt.processor_payment.as_deref() else {
                continue;
            };
            match self.processor.retrieve(reference).await {
                Ok(outcome) if !super::reconcile::mismatch(&attempt, &outcome).is_empty() => {
                    // Not applied (nor by its webhook, which leaves it in the audit log).
                    tracing::error!(
                        attempt = %attempt.id,
                        payment = reference,
                        wrong = ?super::reconcile::mismatch(&attempt, &outcome),
                        "a processor payment does not match its attempt: not applied"
                    );
                }
                Ok(outcome) if outcome.status != ChargeStatus::Processing => {
                    // One attempt that cannot be recorded must not stop the others.
                    match self.record_outcome(attempt.id, &outcome, None, None).await {
                        Ok(done) => {
                            report.settled += 1;
                            count(&mut report, done.status);
                        }
                        Err(error) => {
                            tracing::warn!(attempt = %attempt.id, ?error, "recording a settled payment failed")
                        }
                    }
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(attempt = %attempt.id, ?error, "retrieving a payment failed")
                }
            }
        }

        // Authentications nobody gave in time.
        match self.expire_authentications().await {
            Ok(expired) => {
                report.authentications_expired = expired.cancelled;
                report.failed += expired.cancelled;
            }
            Err(error) => tracing::warn!(?error, "expiring authentications failed"),
        }

        // Pending attempts nobody owns any more: resume them with their key.
        let stale = payment_attempt::Entity::find()
            .filter(payment_attempt::Column::Status.eq(AttemptStatus::Pending))
            .filter(
                payment_attempt::Column::LeaseUntil
                    .is_null()
                    .or(payment_attempt::Column::LeaseUntil.lte(now)),
            )
            .order_by_asc(payment_attempt::Column::CreatedAt)
            .limit(CLAIM_BATCH)
            .all(self.db.reads())
            .await?;
        for attempt in stale {
            let until = now + self.settings.lease;
            let taken = payment_attempt::Entity::update_many()
                .col_expr(
                    payment_attempt::Column::LeaseUntil,
                    Expr::value(Some(until)),
                )
                .filter(payment_attempt::Column::Id.eq(attempt.id))
                .filter(payment_attempt::Column::Status.eq(AttemptStatus::Pending))
                .filter(
                    payment_attempt::Column::LeaseUntil
                        .is_null()
                        .or(payment_attempt::Column::LeaseUntil.lte(now)),
                )
                .exec(self.db.writes())
                .await?;
            if taken.rows_affected != 1 {
                continue; // another worker took it
            }
            report.resumed += 1;
            match self.run_attempt(attempt, Sent::Maybe, None, None).await {
                Ok(done) => count(&mut report, done.status),
                Err(error) => tracing::warn!(?error, "resuming a payment attempt failed"),
            }
        }

        // Refunds whose answer was lost: sent again with their key.
        match self.resume_refunds().await {
            Ok(n) => report.refunds_resumed = n,
            Err(error) => tracing::warn!(?error, "resuming refunds failed"),
        }

        // Due invoices.
        for invoice in self.claim_due(now).await? {
            let started = self
                .start_attempt(None, invoice, None, None, Automatic::Scheduled)
                .await;
            let (attempt, sent) = match started {
                Ok(Started::Run(attempt)) => (attempt, Sent::Never),
                Ok(Started::Resume(attempt)) => (attempt, Sent::Maybe),
                Ok(Started::Answered(_)) => {
                    report.skipped += 1;
                    continue;
                }
                Err(error) => {
                    tracing::debug!(%invoice, ?error, "an invoice was not charged");
                    report.skipped += 1;
                    continue;
                }
            };
            report.charged += 1;
            match self.run_attempt(attempt, sent, None, None).await {
                Ok(done) => count(&mut report, done.status),
                Err(error) => tracing::warn!(%invoice, ?error, "charging an invoice failed"),
            }
        }
        Ok(report)
    }

    /// The invoices due for an automatic attempt, longest waiting first (see the module docs).
    async fn claim_due(&self, now: chrono::DateTime<chrono::Utc>) -> ServiceResult<Vec<InvoiceId>> {
        let backend = self.db.backend();
        let (p1, lock) = match backend {
            DbBackend::Postgres => ("$1", " FOR UPDATE OF i SKIP LOCKED"),
            _ => ("?", ""),
        };
        // Only a default method of the processor in use can be charged (a sandbox card left
        // from before Stripe was configured cannot). The name is ours, never input: inlined.
        let processor = self.processor.name();
        debug_assert!(
            processor
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        );
        let sql = format!(
            "SELECT i.id FROM invoices i \
             WHERE i.status = 'open' AND i.amount_due_minor > i.amount_paid_minor \
               AND EXISTS (SELECT 1 FROM payment_methods m \
                   WHERE m.customer_id = i.customer_id AND m.is_default = TRUE \
                   AND m.processor = '{processor}') \
               AND NOT EXISTS (SELECT 1 FROM subscriptions s \
                   WHERE s.id = i.collection_subscription_id AND s.automatic_payment = FALSE) \
               AND NOT EXISTS (SELECT 1 FROM payment_attempts a WHERE a.invoice_id = i.id \
                   AND a.status IN ('pending', 'processing', 'requires_action')) \
               AND NOT EXISTS (SELECT 1 FROM invoice_collections c WHERE c.invoice_id = i.id \
                   AND (c.state = 'exhausted' OR c.next_attempt_at > {p1})) \
             ORDER BY COALESCE((SELECT c.next_attempt_at FROM invoice_collections c \
                   WHERE c.invoice_id = i.id), i.finalised_at, i.created_at), i.id \
             LIMIT {CLAIM_BATCH}{lock}"
        );
        // The claim holds its locks only while it reads: each invoice is then taken under its
        // own lock by `start_attempt`, which finds an attempt another worker wrote meanwhile.
        let txn = self.db.begin_plain_write().await?;
        let rows = txn
            .query_all_raw(Statement::from_sql_and_values(backend, sql, [now.into()]))
            .await?;
        let ids = rows
            .iter()
            .map(|row| row.try_get::<InvoiceId>("", "id"))
            .collect::<Result<Vec<_>, _>>()?;
        txn.commit().await?;
        Ok(ids)
    }
}

/// Whether automatic collection may charge `invoice`: not when its subscription (the one it
/// bills, or whose license change, cancellation or charges it invoices) has automatic payment
/// off. With `hold`, the subscription's row is held in share mode to the caller's commit
/// (PostgreSQL): a switch being turned off meanwhile is waited for and then seen, and one
/// turned off later waits for the attempt written here (which is not stopped).
pub(crate) async fn collected_automatically(
    db: &impl ConnectionTrait,
    invoice: &invoice::Model,
    hold: bool,
) -> ServiceResult<bool> {
    let Some(subscription_id) = invoice.collection_subscription_id else {
        return Ok(true);
    };
    let mut select = subscription::Entity::find_by_id(subscription_id);
    if hold && db.get_database_backend() == DbBackend::Postgres {
        select = select.lock_shared();
    }
    let switch = select
        .select_only()
        .column(subscription::Column::AutomaticPayment)
        .into_tuple::<bool>()
        .one(db)
        .await?;
    // A subscription that is gone leaves nobody to have turned it off.
    Ok(switch.unwrap_or(true))
}

/// The invoices automatic collection may charge, as a condition on `invoices`, by the same
/// rule as the claim and [`collected_automatically`]: all but those whose subscription has
/// automatic payment off (one without a subscription, or whose subscription is gone, is
/// charged).
pub(crate) fn collected_automatically_condition() -> Condition {
    Condition::any()
        .add(invoice::Column::CollectionSubscriptionId.is_null())
        .add(
            invoice::Column::CollectionSubscriptionId.not_in_subquery(
                Query::select()
                    .column(subscription::Column::Id)
                    .from(subscription::Entity)
                    .and_where(subscription::Column::AutomaticPayment.eq(false))
                    .to_owned(),
            ),
        )
}

fn count(report: &mut CollectionReport, status: AttemptStatus) {
    match status {
        AttemptStatus::Succeeded => report.succeeded += 1,
        AttemptStatus::Failed => report.failed += 1,
        _ => {}
    }
}
