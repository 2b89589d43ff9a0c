//! Billing runs as records (`billing_runs`): staff start one that proceeds in the background and
//! read its progress; the scheduler and `billfold bill` record theirs the same way. At most one
//! run is `running` at a time, across every process on the database (a partial unique index):
//! a second start answers `CONFLICT`. While a run goes on, its counts and a heartbeat are
//! written every [`FLUSH_EVERY`]; a `running` row whose heartbeat is older than
//! [`ABANDONED_AFTER`] belonged to a process that died, and the next start marks it failed.
//!
//! The bookkeeping is plain writes: it is no part of any tenant's cached state (DESIGN §9).

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use entity::billing_run::{self, RunOrigin, RunStatus};
use ids::BillingRunId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::run::{BillingRuns, MAX_WORKERS, RunProgress, RunReport, lock};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::audit::{self, AuditEntry};
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};

/// How often a running run writes its counts and heartbeat.
pub const FLUSH_EVERY: Duration = Duration::from_millis(500);

/// A `running` run silent for this long was abandoned (its process died).
pub const ABANDONED_AFTER: Duration = Duration::from_secs(60);

/// Runs, newest first.
/// Which billing runs a list keeps; the default keeps every run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunFilter {
    /// Only runs in this status.
    pub status: Option<RunStatus>,
    /// Only runs that could not bill some subscriptions (`failed > 0`), whatever their status.
    pub with_failures: bool,
}

const RUNS: Keyset<billing_run::Entity> = Keyset {
    list: "billing_runs",
    columns: &[
        (billing_run::Column::StartedAt, KeyKind::Time),
        (billing_run::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Descending,
    key: |r| time_key(r.started_at, r.id),
};

/// What staff ask for; `None` takes the default.
#[derive(Clone, Debug, Default)]
pub struct StartRun {
    /// The business date to bill up to, `YYYY-MM-DD` (default: today).
    pub as_of: Option<String>,
    /// Concurrent workers, 1 to [`MAX_WORKERS`] (default: 1).
    pub workers: Option<i32>,
}

impl BillingRuns {
    /// Starts a run for operator staff and answers at once with its record, the run going on
    /// in the background. `today` is the business date: `asOf` may not be after it.
    /// `BAD_USER_INPUT` on `input.asOf` or `input.workers`; `CONFLICT` while another run is
    /// running; `FORBIDDEN` for customers.
    pub async fn start(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        today: NaiveDate,
        input: StartRun,
    ) -> ServiceResult<billing_run::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let as_of = match input.as_of.as_deref() {
            None => today,
            Some(text) => parse_as_of(text, today)?,
        };
        let workers = parse_workers(input.workers)?;
        let row = self
            .begin_record(as_of, workers, RunOrigin::Staff, Some(staff.user_id))
            .await?;
        let txn = self.db.begin_plain_write().await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: None,
                action: "billing_run.start",
                subject_type: "billing_run",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(json!({ "as_of": as_of, "workers": workers })),
            },
        )
        .await?;
        txn.commit().await?;
        let runs = self.clone();
        let id = row.id;
        tokio::spawn(async move {
            // The outcome is in the run's record (and the log); nobody awaits the task.
            let _ = runs.execute(id, as_of, workers, Arc::default()).await;
        });
        Ok(row)
    }

    /// Runs and records a run started by the scheduler or the command line, with `progress`
    /// for a progress bar. `CONFLICT` while another run is running.
    pub async fn record(
        &self,
        origin: RunOrigin,
        as_of: NaiveDate,
        workers: u32,
        progress: Arc<RunProgress>,
    ) -> ServiceResult<(BillingRunId, RunReport)> {
        let workers = workers.clamp(1, MAX_WORKERS);
        let row = self.begin_record(as_of, workers, origin, None).await?;
        let report = self.execute(row.id, as_of, workers, progress).await?;
        Ok((row.id, report))
    }

    /// One run (operator staff). `NOT_FOUND` when there is none with that id.
    pub async fn get(&self, actor: &Actor, id: BillingRunId) -> ServiceResult<billing_run::Model> {
        actor.authenticated()?.require_staff_reader()?;
        billing_run::Entity::find_by_id(id)
            .one(self.db.reads())
            .await?
            .ok_or(ServiceError::NotFound {
                entity: "billing run",
            })
    }

    /// Runs, newest first, those `filter` keeps (operator staff).
    pub async fn list(
        &self,
        actor: &Actor,
        filter: RunFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<billing_run::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        let mut select = billing_run::Entity::find();
        if let Some(status) = filter.status {
            select = select.filter(billing_run::Column::Status.eq(status));
        }
        if filter.with_failures {
            select = select.filter(billing_run::Column::Failed.gt(0));
        }
        Ok(fetch_page(self.db.reads(), select, &RUNS, &page).await?)
    }

    /// Writes the `running` record, after marking abandoned runs failed. `CONFLICT` when
    /// another run is running.
    async fn begin_record(
        &self,
        as_of: NaiveDate,
        workers: u32,
        origin: RunOrigin,
        started_by: Option<ids::UserId>,
    ) -> ServiceResult<billing_run::Model> {
        let now = Utc::now();
        let silent_since =
            now - chrono::Duration::from_std(ABANDONED_AFTER).map_err(ServiceError::internal)?;
        let txn = self.db.begin_plain_write().await?;
        billing_run::Entity::update_many()
            .col_expr(billing_run::Column::Status, Expr::value(RunStatus::Failed))
            .col_expr(billing_run::Column::FinishedAt, Expr::value(now))
            .col_expr(
                billing_run::Column::Error,
                Expr::value("abandoned: its process stopped without finishing it"),
            )
            .filter(billing_run::Column::Status.eq(RunStatus::Running))
            .filter(billing_run::Column::HeartbeatAt.lt(silent_since))
            .exec(&txn)
            .await?;
        let row = billing_run::Model {
            id: BillingRunId::new(),
            as_of,
            workers: i32::try_from(workers).map_err(ServiceError::internal)?,
            status: RunStatus::Running,
            origin,
            started_by,
            started_at: now,
            heartbeat_at: now,
            finished_at: None,
            due: 0,
            invoiced: 0,
            failed: 0,
            failures: json!([]),
            error: None,
        };
        billing_run::Entity::insert(billing_run::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(|| ServiceError::Conflict {
                message: "a billing run is already running: wait for it to finish".into(),
            }))?;
        txn.commit().await?;
        Ok(row)
    }

    /// Runs, writing progress as it goes and the outcome at the end.
    async fn execute(
        &self,
        id: BillingRunId,
        as_of: NaiveDate,
        workers: u32,
        progress: Arc<RunProgress>,
    ) -> ServiceResult<RunReport> {
        self.live.insert(id, Arc::clone(&progress));
        let done = Arc::new(tokio::sync::Notify::new());
        let flusher = tokio::spawn({
            let (runs, progress, done) = (self.clone(), Arc::clone(&progress), Arc::clone(&done));
            async move {
                loop {
                    tokio::select! {
                        () = done.notified() => break,
                        () = tokio::time::sleep(FLUSH_EVERY) => {}
                    }
                    if let Err(error) = runs.flush(id, &progress, None).await {
                        tracing::warn!(%id, ?error, "writing a billing run's progress failed");
                    }
                }
            }
        });
        let result = self
            .run_recorded(as_of, workers, Arc::clone(&progress), Some(id))
            .await;
        // Wakes the flusher between two writes (`notify_one` keeps the permit if it is busy).
        done.notify_one();
        let _ = flusher.await;
        let outcome = match &result {
            Ok(_) => (RunStatus::Completed, None),
            Err(error) => {
                tracing::error!(%id, ?error, "billing run stopped");
                (
                    RunStatus::Failed,
                    Some(format!(
                        "the run stopped: {} (the server log has the cause, under {id})",
                        error.public_message()
                    )),
                )
            }
        };
        let recorded = self.flush(id, &progress, Some(outcome)).await;
        // Watchers read the outcome from the record: it is written (or could not be) by now.
        progress.finish();
        self.live.remove(id);
        recorded?;
        result
    }

    /// Writes the run's counts, failures and heartbeat, and its end when `outcome` is given.
    async fn flush(
        &self,
        id: BillingRunId,
        progress: &RunProgress,
        outcome: Option<(RunStatus, Option<String>)>,
    ) -> ServiceResult<()> {
        let (due, invoiced, failed) = progress.snapshot();
        let failures = failures_json(progress);
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let now = Utc::now();
        let mut update = billing_run::Entity::update_many()
            .col_expr(billing_run::Column::Due, Expr::value(count(due)))
            .col_expr(billing_run::Column::Invoiced, Expr::value(count(invoiced)))
            .col_expr(billing_run::Column::Failed, Expr::value(count(failed)))
            .col_expr(billing_run::Column::Failures, Expr::value(failures))
            .col_expr(billing_run::Column::HeartbeatAt, Expr::value(now))
            .filter(billing_run::Column::Id.eq(id));
        if let Some((status, error)) = outcome {
            update = update
                .col_expr(billing_run::Column::Status, Expr::value(status))
                .col_expr(billing_run::Column::FinishedAt, Expr::value(now))
                .col_expr(billing_run::Column::Error, Expr::value(error));
        }
        update.exec(self.db.writes()).await?;
        Ok(())
    }
}

/// The failures of `progress` as the record's `failures` column holds them.
pub(super) fn failures_json(progress: &RunProgress) -> Value {
    lock(&progress.failures)
        .iter()
        .map(|f| {
            json!({
                "subscription_id": f.subscription.to_string(),
                "code": f.code,
                "message": f.message,
            })
        })
        .collect()
}

/// `asOf`: a date, not after the business date (a run bills what is due, never ahead).
fn parse_as_of(text: &str, today: NaiveDate) -> ServiceResult<NaiveDate> {
    let date: NaiveDate = text.parse().map_err(|_| {
        ServiceError::bad_input("input.asOf", "asOf must be a date written YYYY-MM-DD")
    })?;
    if date > today {
        return Err(ServiceError::bad_input(
            "input.asOf",
            format!("asOf may not be after today's business date ({today})"),
        ));
    }
    Ok(date)
}

/// `workers`: 1 to [`MAX_WORKERS`].
fn parse_workers(workers: Option<i32>) -> ServiceResult<u32> {
    let Some(workers) = workers else {
        return Ok(1);
    };
    u32::try_from(workers)
        .ok()
        .filter(|n| (1..=MAX_WORKERS).contains(n))
        .ok_or_else(|| {
            ServiceError::bad_input(
                "input.workers",
                format!("workers must be between 1 and {MAX_WORKERS}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_is_a_date_not_after_today() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap_or_default();
        assert_eq!(parse_as_of("2026-05-01", today).ok(), Some(today));
        assert!(parse_as_of("2026-05-02", today).is_err());
        assert!(parse_as_of("1 May", today).is_err());
    }

    #[test]
    fn workers_are_one_to_the_maximum() {
        assert_eq!(parse_workers(None).ok(), Some(1));
        assert_eq!(parse_workers(Some(16)).ok(), Some(16));
        assert!(parse_workers(Some(0)).is_err());
        assert!(parse_workers(Some(17)).is_err());
        assert!(parse_workers(Some(-1)).is_err());
    }
}
