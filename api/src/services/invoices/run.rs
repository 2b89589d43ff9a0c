//! Billing runs: every subscription whose next invoice is due gets, for each period that is due,
//! exactly the invoice its upcoming charges showed, finalised (numbered, `open`) in one
//! transaction that also marks the prorations and one-off charges it took and advances the
//! subscription.
//!
//! A run is N workers; each repeatedly claims the next due subscription inside its own write
//! transaction ([`super::claim`]: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the single writer on
//! SQLite) and bills that one period in it. A subscription that missed several periods is
//! claimed again for each, oldest first.
//!
//! Exactly once: the claim locks the subscription's row until the period commits, and a unique
//! index on (subscription, period start) refuses a second invoice for a period whatever
//! happens. Nothing is written until the commit, so a crash leaves no half-written invoice and,
//! numbers being taken in the same transaction, no gap in the numbers: a rerun finishes the
//! work. [`CrashPoint`]s let tests prove it.
//!
//! Recorded runs (staff, the scheduler, the command line) wrap this in
//! [`super::recorded`]; this module knows nothing of the `billing_runs` table.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate, Utc};
use entity::{subscription, unbilled_charge};
use ids::{CustomerId, InvoiceId, SubscriptionId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::claim::{self, Claim};
use super::crash::{CrashPoint, Crashes, is_injected};
use super::finalise::{Finalised, insert_invoice};
use super::numbering::{DocumentKind, take_next};
use super::upcoming::next_invoice;
use crate::db::{Db, TenantWrite};
use crate::error::{ServiceError, ServiceResult};
use crate::services::{charges, credits, subscriptions, tenant_state};

/// One invoice a run finalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BilledPeriod {
    /// The customer.
    pub customer: CustomerId,
    /// The subscription.
    pub subscription: SubscriptionId,
    /// The invoice.
    pub invoice: InvoiceId,
    /// Its number.
    pub number: String,
    /// First day of the period it bills.
    pub period_start: NaiveDate,
}

/// One subscription whose next period could not be billed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedPeriod {
    /// The subscription.
    pub subscription: SubscriptionId,
    /// The error's stable code (`INTERNAL`, …).
    pub code: &'static str,
    /// What a client may be told (an internal error says no more: the log has its cause).
    pub message: String,
    /// The full error, for the log and the command line.
    pub detail: String,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// The invoices finalised, in the order they were committed.
    pub invoiced: Vec<BilledPeriod>,
    /// Subscriptions whose next period could not be billed, with why (logged too). The run goes
    /// on with the others; nothing of a failed period is written, so the next run retries it.
    pub failed: Vec<(SubscriptionId, String)>,
}

/// How far a run has got, updated as it goes; read by progress bars and the run's record.
#[derive(Debug, Default)]
pub struct RunProgress {
    /// Subscriptions due when the run started.
    pub due: AtomicU64,
    /// Invoices finalised so far (a subscription that missed periods gets several).
    pub invoiced: AtomicU64,
    /// Subscriptions that failed so far.
    pub failed: AtomicU64,
    /// Those failures, with why: kept here rather than in the report so that a run that stops
    /// with an error still records the failures it had.
    pub failures: Mutex<Vec<FailedPeriod>>,
}

impl RunProgress {
    /// (due, invoiced, failed) now.
    pub fn snapshot(&self) -> (u64, u64, u64) {
        (
            self.due.load(Ordering::Relaxed),
            self.invoiced.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
        )
    }
}

/// The most workers one run may have: more than the database's connections would only queue.
pub const MAX_WORKERS: u32 = 16;

/// Billing runs. Clones share the crash point armed for tests.
#[derive(Clone)]
pub struct BillingRuns {
    pub(super) db: Db,
    crashes: Crashes,
}

/// What the workers of one run share.
struct Shared {
    as_of: NaiveDate,
    progress: Arc<RunProgress>,
    /// Subscriptions that failed in this run: not claimed again by it.
    failed: Mutex<Vec<SubscriptionId>>,
    report: Mutex<RunReport>,
    /// Set when a worker stopped dead (an injected crash, a lost database): the others stop
    /// before their next claim.
    stop: AtomicBool,
}

impl BillingRuns {
    /// Runs over `db`.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            crashes: Crashes::default(),
        }
    }

    /// Tests only: the next period that reaches `point` stops dead there (its transaction
    /// dropped uncommitted) and its run ends with an error; then the point disarms itself.
    /// `None` disarms it. See [`CrashPoint`].
    pub fn set_crash_point(&self, point: Option<CrashPoint>) {
        self.crashes.arm(point);
    }

    /// Bills every period due by `as_of` (the business date) with one worker: see
    /// [`BillingRuns::run_with`].
    pub async fn run(&self, as_of: NaiveDate) -> ServiceResult<RunReport> {
        self.run_with(as_of, 1, Arc::default()).await
    }

    /// Bills every period due by `as_of` with `workers` concurrent workers (at least one), one
    /// invoice per subscription and period, oldest period first, so a subscription that missed
    /// several periods gets one invoice for each. Running it again bills nothing twice. One
    /// subscription's failure is reported and does not stop the others; a database that cannot
    /// be reached, or an injected crash, stops the run with an error (what was committed
    /// stays, and a rerun finishes the work). `progress` is updated as periods are billed.
    pub async fn run_with(
        &self,
        as_of: NaiveDate,
        workers: u32,
        progress: Arc<RunProgress>,
    ) -> ServiceResult<RunReport> {
        let due = claim::count_due(self.db.reads(), as_of).await?;
        progress.due.store(due, Ordering::Relaxed);
        let shared = Arc::new(Shared {
            as_of,
            progress,
            failed: Mutex::default(),
            report: Mutex::default(),
            stop: AtomicBool::new(false),
        });
        let tasks: Vec<_> = (0..workers.clamp(1, MAX_WORKERS))
            .map(|_| tokio::spawn(self.clone().work(Arc::clone(&shared))))
            .collect();
        let mut outcome = Ok(());
        for task in tasks {
            let result = task
                .await
                .unwrap_or_else(|e| Err(ServiceError::internal(e.to_string())));
            if outcome.is_ok() {
                outcome = result;
            }
        }
        outcome?;
        let report = std::mem::take(&mut *lock(&shared.report));
        Ok(report)
    }

    /// One worker: claims and bills periods until none is due or the run stops.
    async fn work(self, shared: Arc<Shared>) -> ServiceResult<()> {
        while !shared.stop.load(Ordering::Relaxed) {
            let skip = lock(&shared.failed).clone();
            let claimed = async {
                let txn = self.db.begin_tenant_write().await?;
                let claim = claim::next_due(&txn, shared.as_of, &skip).await?;
                Ok::<_, ServiceError>(claim.map(|c| (txn, c)))
            }
            .await;
            let (txn, claim) = match claimed {
                Ok(Some(claimed)) => claimed,
                Ok(None) => return Ok(()),
                Err(error) => return Err(stop(&shared, error)),
            };
            match self.bill_claimed_period(txn, claim).await {
                Ok(Some(billed)) => {
                    shared.progress.invoiced.fetch_add(1, Ordering::Relaxed);
                    lock(&shared.report).invoiced.push(billed);
                }
                // Ended with nothing to bill.
                Ok(None) => {}
                Err(error) if is_injected(&error) => return Err(stop(&shared, error)),
                Err(error) => fail(&shared, claim.subscription, &error),
            }
        }
        Ok(())
    }

    /// Bills the period after the claimed subscription's current one, in the claim's
    /// transaction: builds exactly its upcoming invoice, takes its number, writes it (`open`)
    /// and its lines, marks what it took as billed, applies credit and coupons, advances the
    /// subscription and commits. Nothing of it is visible before the commit.
    async fn bill_claimed_period(
        &self,
        txn: TenantWrite,
        claim: Claim,
    ) -> ServiceResult<Option<BilledPeriod>> {
        let Claim {
            customer,
            subscription,
        } = claim;
        self.crashes.at(CrashPoint::AfterClaim)?;
        let state = tenant_state::load(&txn, customer).await?;
        let row = state
            .subscriptions
            .iter()
            .find(|s| s.id == subscription)
            .ok_or_else(|| ServiceError::internal("a claimed subscription vanished"))?;
        let upcoming = next_invoice(&state, row)?;
        let period = upcoming.invoice.period;
        let issue_date = row.next_invoice_date;
        // Cancelled at the end of the period that just ended: a last invoice of what is pending
        // (none when nothing is), then the subscription is cancelled instead of advanced.
        let ending = subscriptions::rows::ends_at_next_invoice(row);
        if ending && upcoming.invoice.lines.is_empty() {
            cancel(&txn, subscription).await?;
            self.crashes.at(CrashPoint::BeforeCommit)?;
            txn.commit(customer).await?;
            return Ok(None);
        }
        let invoice = InvoiceId::new();
        let number = take_next(&txn, DocumentKind::Invoice, issue_date.year()).await?;
        self.crashes.at(CrashPoint::AfterNumber)?;
        insert_invoice(
            &txn,
            &Finalised {
                customer: &state.customer,
                // A last invoice bills no new period: the unique key on (subscription, period
                // start) is for period invoices; the claim's lock and the cancellation in this
                // transaction keep it single.
                subscription: (!ending).then_some(row.id),
                id: invoice,
                number: &number.to_string(),
                issue_date,
                invoice: &upcoming.invoice,
                po_number: None,
                notes: None,
                crashes: Some(&self.crashes),
            },
        )
        .await?;
        // The prorations this invoice took are billed: the next upcoming invoice starts afresh.
        let taken: Vec<_> = state
            .unbilled
            .iter()
            .filter(|c| {
                c.subscription_id == subscription
                    && c.kind == unbilled_charge::ChargeKind::Proration
            })
            .map(|c| c.id)
            .collect();
        if !taken.is_empty() {
            unbilled_charge::Entity::update_many()
                .col_expr(unbilled_charge::Column::InvoicedAt, Expr::value(Utc::now()))
                .col_expr(unbilled_charge::Column::InvoiceId, Expr::value(invoice))
                .filter(unbilled_charge::Column::Id.is_in(taken))
                .exec(&txn)
                .await?;
        }
        credits::ledger::apply_to_invoice(
            &txn,
            customer,
            invoice,
            &number.to_string(),
            upcoming.invoice.totals.credits_applied,
            Utc::now(),
        )
        .await?;
        charges::rows::mark_invoiced(&txn, &state, subscription, invoice, Utc::now()).await?;
        crate::services::coupons::record_redemptions(&txn, &state, subscription, &upcoming.invoice)
            .await?;
        if ending {
            cancel(&txn, subscription).await?;
        } else {
            advance(&txn, subscription, period).await?;
        }
        self.crashes.at(CrashPoint::BeforeCommit)?;
        txn.commit(customer).await?;
        Ok(Some(BilledPeriod {
            customer,
            subscription,
            invoice,
            number: number.to_string(),
            period_start: period.start(),
        }))
    }
}

/// Cancels a subscription whose scheduled cancellation has come.
async fn cancel(txn: &TenantWrite, subscription: SubscriptionId) -> ServiceResult<()> {
    subscription::Entity::update_many()
        .col_expr(
            subscription::Column::Status,
            Expr::value(subscription::SubscriptionStatus::Cancelled),
        )
        .filter(subscription::Column::Id.eq(subscription))
        .exec(txn)
        .await?;
    Ok(())
}

/// Moves a subscription to the period just billed; a trial ends with its first period.
async fn advance(
    txn: &TenantWrite,
    subscription: SubscriptionId,
    period: billing::Period,
) -> ServiceResult<()> {
    subscription::Entity::update_many()
        .col_expr(
            subscription::Column::CurrentPeriodStart,
            Expr::value(period.start()),
        )
        .col_expr(
            subscription::Column::CurrentPeriodEnd,
            Expr::value(period.end()),
        )
        .col_expr(
            subscription::Column::NextInvoiceDate,
            Expr::value(period.end()),
        )
        .col_expr(
            subscription::Column::Status,
            Expr::value(subscription::SubscriptionStatus::Active),
        )
        .filter(subscription::Column::Id.eq(subscription))
        .exec(txn)
        .await?;
    Ok(())
}

/// Stops the run's other workers; `error` ends the run.
fn stop(shared: &Shared, error: ServiceError) -> ServiceError {
    tracing::error!(?error, "billing run stopped");
    shared.stop.store(true, Ordering::Relaxed);
    error
}

/// Records one subscription's failure (once, should two workers have tried it).
fn fail(shared: &Shared, subscription: SubscriptionId, error: &ServiceError) {
    let mut failed = lock(&shared.failed);
    if failed.contains(&subscription) {
        return;
    }
    failed.push(subscription);
    drop(failed);
    tracing::error!(%subscription, ?error, "billing a period failed");
    let detail = format!("{error:?}");
    lock(&shared.progress.failures).push(FailedPeriod {
        subscription,
        code: error.code().as_str(),
        message: error.public_message(),
        detail: detail.clone(),
    });
    shared.progress.failed.fetch_add(1, Ordering::Relaxed);
    lock(&shared.report).failed.push((subscription, detail));
}

/// The data behind these locks is only pushed to: a panic elsewhere cannot leave it
/// half-written, so a poisoned lock is still sound to use.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
