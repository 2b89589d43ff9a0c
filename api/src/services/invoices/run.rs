//! Billing runs: every subscription whose next invoice is due gets, for each period that is due,
//! exactly the invoice its upcoming charges showed, finalised (numbered, `open`) in a
//! transaction that also marks the prorations, one-off charges, usage records and calls it took
//! and advances the subscription. Usage and calls are taken first, marked with the invoice's id
//! as they are read ([`arrears::take`]), so the records summed are exactly the records billed.
//!
//! A run is N workers; each repeatedly claims a batch of due subscriptions inside its own write
//! transaction ([`super::claim`]: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the single writer on
//! SQLite, along a keyset so that no claim walks what was billed before it) and bills the
//! batch's periods in it: one read of the customers' states, one block of numbers, a few
//! multi-row inserts and one commit for up to [`DEFAULT_BATCH_SIZE`] invoices. A subscription
//! that missed several periods is claimed again for each, oldest first.
//!
//! Exactly once: the claim locks the subscriptions' rows until the batch commits, and a unique
//! index on (subscription, period start) refuses a second invoice for a period whatever
//! happens. Nothing is written until the commit, so a crash leaves no half-written invoice and,
//! numbers being taken in the same transaction, no gap in the numbers: a rerun finishes the
//! work. [`CrashPoint`]s let tests prove it. Every invoice is still built, numbered and
//! written whole or not at all; a batch only shares the transaction's fixed costs (its commit
//! waits for the disk once, not once per invoice, and the sequence's lock is held once per
//! batch), which is what a gapless sequence otherwise serialises every invoice on.
//!
//! Recorded runs (staff, the scheduler, the command line) wrap this in
//! [`super::recorded`]; this module knows nothing of the `billing_runs` table.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate, Utc};
use entity::subscription;
use ids::{BillingRunId, CustomerId, InvoiceId, SubscriptionId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::arrears::{self, Arrears};
use super::claim::{self, Claim, DueKey};
use super::crash::{CrashPoint, Crashes, is_injected};
use super::finalise::{Finalised, insert_invoices, mark_prorations_billed};
use super::numbering::{DocumentKind, Numbering};
pub use super::progress::RunProgress;
use super::upcoming::{UpcomingInvoice, billing_order, next_invoice};
use super::watch::LiveRuns;
use crate::db::{Db, TenantWrite};
use crate::error::{ServiceError, ServiceResult};
use crate::services::tenant_state::{self, TenantState};
use crate::services::{charges, credits, subscriptions};

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

/// How long a worker waits for due subscriptions that other transactions hold locked before
/// it leaves them to the next run.
const LOCKED_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// The most workers one run may have: more than the database's connections would only queue.
pub const MAX_WORKERS: u32 = 16;

/// Billing runs. Clones share the crash point armed for tests.
#[derive(Clone)]
pub struct BillingRuns {
    pub(super) db: Db,
    crashes: Crashes,
    /// Subscriptions a worker claims and bills in one transaction.
    batch_size: u64,
    /// The configured number prefixes.
    numbering: Numbering,
    /// The recorded runs going on in this process, for their watchers.
    pub(super) live: LiveRuns,
}

/// Subscriptions a worker bills in one transaction unless told otherwise: enough that the
/// commit (an fsync, ~8 ms on this machine's PostgreSQL) and the per-statement costs are shared
/// by many invoices, few enough that a batch's locks and memory stay small.
pub const DEFAULT_BATCH_SIZE: u64 = 250;

/// What the workers of one run share.
struct Shared {
    as_of: NaiveDate,
    /// The run's record, which its invoices name.
    record: Option<BillingRunId>,
    progress: Arc<RunProgress>,
    /// Subscriptions that failed in this run: not claimed again by it.
    failed: Mutex<Vec<SubscriptionId>>,
    report: Mutex<RunReport>,
    /// Set when a worker stopped dead (an injected crash, a lost database): the others stop
    /// before their next claim.
    stop: AtomicBool,
}

impl BillingRuns {
    /// Runs over `db`, numbering invoices with `numbering`.
    pub fn new(db: Db, numbering: Numbering) -> Self {
        Self {
            db,
            crashes: Crashes::default(),
            batch_size: DEFAULT_BATCH_SIZE,
            numbering,
            live: LiveRuns::default(),
        }
    }

    /// The same runs billing up to `size` subscriptions per transaction (at least one).
    pub fn with_batch_size(mut self, size: u64) -> Self {
        self.batch_size = size.max(1);
        self
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
        self.run_recorded(as_of, workers, progress, None).await
    }

    /// [`BillingRuns::run_with`], each invoice naming `record`, the run's record.
    pub(super) async fn run_recorded(
        &self,
        as_of: NaiveDate,
        workers: u32,
        progress: Arc<RunProgress>,
        record: Option<BillingRunId>,
    ) -> ServiceResult<RunReport> {
        let due = claim::count_due(self.db.reads(), as_of).await?;
        progress.due.store(due, Ordering::Relaxed);
        progress.changed();
        let shared = Arc::new(Shared {
            as_of,
            record,
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

    /// One worker: claims batches of due subscriptions along the due order and bills each
    /// batch in one transaction, until a pass from the start finds none due or the run stops.
    ///
    /// Reaching the end of the due order starts a new pass from the start: it finds the
    /// subscriptions that missed several periods (due again once advanced), those another
    /// worker's batch held locked and then gave back, and those put off by a batch (two of one
    /// customer). A batch that fails as a whole (a database error) is rolled back and its
    /// subscriptions are billed again one by one, so that one bad period fails alone.
    async fn work(self, shared: Arc<Shared>) -> ServiceResult<()> {
        let mut after: Option<DueKey> = None;
        // Since when passes from the start have found due subscriptions, but all locked.
        let mut waiting_since: Option<std::time::Instant> = None;
        // Claims left to bill one at a time after a failed batch.
        let mut alone = 0usize;
        let mut billed_in_pass = 0usize;
        while !shared.stop.load(Ordering::Relaxed) {
            let skip = lock(&shared.failed).clone();
            let size = if alone > 0 { 1 } else { self.batch_size };
            let claimed = async {
                let txn = self.db.begin_tenant_write().await?;
                let claims = claim::next_due(&txn, shared.as_of, after, &skip, size).await?;
                Ok::<_, ServiceError>((txn, claims))
            }
            .await;
            let (txn, claims) = match claimed {
                Ok(claimed) => claimed,
                Err(error) => return Err(stop(&shared, error)),
            };
            // A run stopped while this worker waited for its claim (on SQLite, for the writer
            // the stopping worker held) bills nothing more.
            if shared.stop.load(Ordering::Relaxed) {
                break;
            }
            let Some(last) = claims.last().map(|c| c.key) else {
                if after.is_none() {
                    // Nothing claimable from the start. The run is over only when nothing is
                    // due: on PostgreSQL a due subscription may be locked by another worker's
                    // batch, or by a request's transaction whose rollback the pool has not sent
                    // yet, and ending now would leave it unbilled with no failure to show.
                    let due = claim::any_due(&txn, shared.as_of, &skip)
                        .await
                        .map_err(|error| stop(&shared, error.into()))?;
                    let waited = waiting_since.get_or_insert_with(std::time::Instant::now);
                    if !due {
                        return Ok(());
                    }
                    if waited.elapsed() > LOCKED_PATIENCE {
                        tracing::warn!(
                            "due subscriptions stayed locked by other transactions: \
                             the next run bills them"
                        );
                        return Ok(());
                    }
                    drop(txn);
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
                // A pass that billed nothing met only customers another transaction held: give
                // it a moment rather than spin on them.
                if billed_in_pass == 0 {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                after = None;
                billed_in_pass = 0;
                continue;
            };
            waiting_since = None;
            let batch_start = after;
            after = Some(last);
            alone = alone.saturating_sub(1);
            match self.bill_batch(&shared, txn, &claims).await {
                Ok(billed) => {
                    billed_in_pass += billed.len();
                    shared
                        .progress
                        .invoiced
                        .fetch_add(billed.len() as u64, Ordering::Relaxed);
                    shared.progress.changed();
                    lock(&shared.report).invoiced.extend(billed);
                }
                Err(error) if is_injected(&error) => return Err(stop(&shared, error)),
                Err(error) if claims.len() > 1 => {
                    tracing::warn!(?error, "a batch failed: billing its periods one by one");
                    after = batch_start;
                    alone = claims.len();
                }
                Err(error) => fail(&shared, claims[0].subscription, &error),
            }
        }
        Ok(())
    }

    /// Bills the period after each claimed subscription's current one, all in the claims'
    /// transaction: reads the customers' states at once, builds exactly each upcoming invoice
    /// (one that cannot be built fails alone and is left for the next run), marks what each
    /// took as billed, advances each subscription, takes a block of numbers, writes the
    /// invoices and their lines, applies credit and commits. Nothing is visible before the
    /// commit; any error rolls the whole batch back.
    ///
    /// A customer is billed once per batch, for its first claimed subscription, and only for
    /// the subscription due first among its subscriptions due in this run
    /// ([`waits_for_an_earlier_one`]); the others are put off to the worker's next pass. The
    /// earliest due subscription is held by one claim only, so no two workers ever bill one
    /// customer at once, each invoice is built from the state the customer's previous one
    /// left, exactly as upcoming charges show them one after the other, and the customer's row
    /// is locked last (by the revision bump at commit), as every other write locks it: the run
    /// takes no lock another write could be waiting for in the other order.
    async fn bill_batch(
        &self,
        shared: &Shared,
        txn: TenantWrite,
        claims: &[Claim],
    ) -> ServiceResult<Vec<BilledPeriod>> {
        self.crashes.at(CrashPoint::AfterClaim)?;
        let mut seen = HashSet::new();
        let claims: Vec<Claim> = claims
            .iter()
            .filter(|c| seen.insert(c.customer))
            .copied()
            .collect();
        let customers: Vec<CustomerId> = claims.iter().map(|c| c.customer).collect();
        let states = tenant_state::load_many(&txn, &customers).await?;
        // A customer's invoices are built in the order upcoming charges show them: one whose
        // customer has another subscription due earlier in this run waits for that one.
        let failed = lock(&shared.failed).clone();
        let claims: Vec<Claim> = claims
            .into_iter()
            .filter(|c| !waits_for_an_earlier_one(&states, c, shared.as_of, &failed))
            .collect();
        let now = Utc::now();
        let mut periods = Vec::with_capacity(claims.len());
        let mut cancelled = Vec::new();
        for claim in &claims {
            // The invoice's id first: the usage and calls it bills are marked with it as it is taken, so
            // exactly the records summed are the records billed.
            let id = InvoiceId::new();
            let arrears = take_arrears(&txn, &states, claim, id).await?;
            match plan(&states, claim, id, &arrears) {
                Ok(Plan::Invoice(period)) => periods.push(period),
                Ok(Plan::Cancel) => {
                    release_arrears(&txn, &states, claim, id).await?;
                    cancelled.push(claim.subscription);
                }
                Err(error) => {
                    release_arrears(&txn, &states, claim, id).await?;
                    fail(shared, claim.subscription, &error);
                }
            }
        }
        // What the invoices took is billed; the subscriptions move on.
        for period in &periods {
            let state = &states[&period.customer];
            mark_prorations_billed(&txn, state, period.subscription, period.id, now).await?;
            charges::rows::mark_invoiced(&txn, state, period.subscription, period.id, now).await?;
            crate::services::coupons::record_redemptions(
                &txn,
                state,
                period.subscription,
                &period.upcoming.invoice,
            )
            .await?;
        }
        cancelled.extend(periods.iter().filter(|p| p.ending).map(|p| p.subscription));
        cancel(&txn, &cancelled).await?;
        advance(&txn, periods.iter().filter(|p| !p.ending)).await?;
        // Numbers last, one block per year: the sequence's lock is held from here to the
        // commit, over a few multi-row statements only.
        let numbers = take_numbers(&txn, self.numbering, &periods).await?;
        self.crashes.at(CrashPoint::AfterNumber)?;
        let finalised: Vec<Finalised<'_>> = periods
            .iter()
            .zip(&numbers)
            .map(|(period, number)| {
                let state = &states[&period.customer];
                Finalised {
                    customer: &state.customer,
                    // A last invoice bills no new period: the unique key on (subscription,
                    // period start) is for period invoices; the claim's lock and the
                    // cancellation in this transaction keep it single.
                    subscription: (!period.ending).then_some(period.subscription),
                    collection_subscription: Some(period.subscription),
                    id: period.id,
                    number,
                    tax: state.tax.as_ref(),
                    billing_address: state.billing_address.as_ref(),
                    issue_date: period.issue_date,
                    invoice: &period.upcoming.invoice,
                    po_number: period.upcoming.details.po_number.as_deref(),
                    notes: period.upcoming.details.notes.as_deref(),
                    crashes: Some(&self.crashes),
                    billing_run: shared.record,
                }
            })
            .collect();
        insert_invoices(&txn, &finalised).await?;
        // In customer order, as every batch takes the customers' row locks.
        let mut by_customer: Vec<_> = periods.iter().zip(&numbers).collect();
        by_customer.sort_by_key(|(p, _)| p.customer);
        for (period, number) in by_customer {
            credits::ledger::apply_to_invoice(
                &txn,
                period.customer,
                period.id,
                number,
                period.upcoming.invoice.totals.credits_applied,
                now,
            )
            .await?;
        }
        self.crashes.at(CrashPoint::BeforeCommit)?;
        let changed: Vec<CustomerId> = periods
            .iter()
            .map(|p| p.customer)
            .chain(cancelled.iter().filter_map(|s| {
                claims
                    .iter()
                    .find(|c| c.subscription == *s)
                    .map(|c| c.customer)
            }))
            .collect();
        txn.commit_tenants(&changed).await?;
        Ok(periods
            .into_iter()
            .zip(numbers)
            .map(|(period, number)| BilledPeriod {
                customer: period.customer,
                subscription: period.subscription,
                invoice: period.id,
                number,
                period_start: period.upcoming.invoice.period.start(),
            })
            .collect())
    }
}

/// Whether another subscription of the claim's customer is due in this run before the claimed
/// one ([`billing_order`]), and has not failed in it: that one is billed first, since upcoming
/// charges show the later invoice with what the earlier one leaves (credit, coupon counts).
fn waits_for_an_earlier_one(
    states: &HashMap<CustomerId, TenantState>,
    claim: &Claim,
    as_of: NaiveDate,
    failed: &[SubscriptionId],
) -> bool {
    let Some(state) = states.get(&claim.customer) else {
        return false;
    };
    let claimed = (claim.key.next_invoice_date, claim.subscription);
    state.subscriptions.iter().any(|s| {
        s.id != claim.subscription
            && subscriptions::rows::is_billed(s)
            && s.next_invoice_date <= as_of
            && !failed.contains(&s.id)
            && billing_order(s) < claimed
    })
}

/// What billing a claimed subscription's next period comes to.
enum Plan {
    /// An invoice to finalise.
    Invoice(Box<PlannedPeriod>),
    /// A scheduled cancellation has come with nothing pending: no invoice, the subscription
    /// just ends.
    Cancel,
}

/// One invoice of a batch, built and not yet written.
struct PlannedPeriod {
    customer: CustomerId,
    subscription: SubscriptionId,
    id: InvoiceId,
    issue_date: NaiveDate,
    upcoming: UpcomingInvoice,
    /// The subscription's last invoice (cancelled at the end of its period): it is cancelled
    /// instead of advanced.
    ending: bool,
}

/// Builds the claimed subscription's next invoice from its customer's state: exactly its
/// upcoming invoice.
fn plan(
    states: &HashMap<CustomerId, TenantState>,
    claim: &Claim,
    id: InvoiceId,
    arrears: &Arrears,
) -> ServiceResult<Plan> {
    let state = states
        .get(&claim.customer)
        .ok_or_else(|| ServiceError::internal("a claimed subscription's customer vanished"))?;
    let row = state
        .subscription(claim.subscription)
        .ok_or_else(|| ServiceError::internal("a claimed subscription vanished"))?;
    let upcoming = next_invoice(state, row, arrears)?;
    // Cancelled at the end of the period that just ended: a last invoice of what is pending
    // (none when nothing is), then the subscription is cancelled instead of advanced.
    let ending = subscriptions::rows::ends_at_next_invoice(row);
    if ending && upcoming.invoice.lines.is_empty() {
        return Ok(Plan::Cancel);
    }
    Ok(Plan::Invoice(Box::new(PlannedPeriod {
        customer: claim.customer,
        subscription: claim.subscription,
        id,
        issue_date: row.next_invoice_date,
        upcoming,
        ending,
    })))
}

/// Takes the claimed subscription's usage and calls not yet invoiced, from before the end of
/// its current period, for invoice `id` (marked in this transaction), summed per item or number
/// and period.
async fn take_arrears(
    txn: &TenantWrite,
    states: &HashMap<CustomerId, TenantState>,
    claim: &Claim,
    id: InvoiceId,
) -> ServiceResult<Arrears> {
    let Some(state) = states.get(&claim.customer) else {
        return Ok(Arrears::default());
    };
    let Some(row) = state.subscription(claim.subscription) else {
        return Ok(Arrears::default());
    };
    arrears::take(txn, state, row, id).await
}

/// Gives back what [`take_arrears`] took for invoice `id`.
async fn release_arrears(
    txn: &TenantWrite,
    states: &HashMap<CustomerId, TenantState>,
    claim: &Claim,
    id: InvoiceId,
) -> ServiceResult<()> {
    match states.get(&claim.customer) {
        Some(state) => arrears::release(txn, state, id).await,
        None => Ok(()),
    }
}

/// The numbers of a batch's invoices, in its order: one block per year of issue.
async fn take_numbers(
    txn: &TenantWrite,
    numbering: Numbering,
    periods: &[Box<PlannedPeriod>],
) -> ServiceResult<Vec<String>> {
    let mut years: BTreeMap<i32, u32> = BTreeMap::new();
    for period in periods {
        *years.entry(period.issue_date.year()).or_default() += 1;
    }
    let mut blocks = HashMap::new();
    for (year, count) in years {
        let block = numbering
            .take_block(txn, DocumentKind::Invoice, year, count)
            .await?;
        blocks.insert(year, block);
    }
    periods
        .iter()
        .map(|period| {
            blocks
                .get_mut(&period.issue_date.year())
                .and_then(Iterator::next)
                .map(|n| n.to_string())
                .ok_or_else(|| ServiceError::internal("a block of numbers ran short"))
        })
        .collect()
}

/// Cancels subscriptions whose scheduled cancellation has come.
async fn cancel(txn: &TenantWrite, subscriptions: &[SubscriptionId]) -> ServiceResult<()> {
    if subscriptions.is_empty() {
        return Ok(());
    }
    subscription::Entity::update_many()
        .col_expr(
            subscription::Column::Status,
            Expr::value(subscription::SubscriptionStatus::Cancelled),
        )
        .filter(subscription::Column::Id.is_in(subscriptions.iter().copied()))
        .exec(txn)
        .await?;
    Ok(())
}

/// Moves each subscription to the period just billed: one statement per distinct period (a
/// batch's subscriptions mostly share theirs); a trial ends with its first period.
async fn advance<'a>(
    txn: &TenantWrite,
    periods: impl Iterator<Item = &'a Box<PlannedPeriod>>,
) -> ServiceResult<()> {
    let mut by_period: BTreeMap<(NaiveDate, NaiveDate), Vec<SubscriptionId>> = BTreeMap::new();
    for p in periods {
        let period = p.upcoming.invoice.period;
        by_period
            .entry((period.start(), period.end()))
            .or_default()
            .push(p.subscription);
    }
    for ((start, end), subscriptions) in by_period {
        subscription::Entity::update_many()
            .col_expr(subscription::Column::CurrentPeriodStart, Expr::value(start))
            .col_expr(subscription::Column::CurrentPeriodEnd, Expr::value(end))
            .col_expr(subscription::Column::NextInvoiceDate, Expr::value(end))
            .col_expr(
                subscription::Column::Status,
                Expr::value(subscription::SubscriptionStatus::Active),
            )
            .filter(subscription::Column::Id.is_in(subscriptions))
            .exec(txn)
            .await?;
    }
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
    shared.progress.changed();
    lock(&shared.report).failed.push((subscription, detail));
}

/// The data behind these locks is only pushed to: a panic elsewhere cannot leave it
/// half-written, so a poisoned lock is still sound to use.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
