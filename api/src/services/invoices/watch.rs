//! Watching a billing run: its record as it changes, until it ends (GraphQL's
//! `billingRunProgress`).
//!
//! A run recorded by this process ([`super::recorded`]) registers its [`RunProgress`] in
//! [`LiveRuns`] for as long as it goes on: a watcher wakes on each change of the counts and reads
//! them from memory, so it sees them before the next flush. A run of another process (another
//! server, `billfold bill`) is watched by reading its record every [`FLUSH_EVERY`], the rate at
//! which that process writes it. Either way the last item is the record as the run left it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use entity::billing_run::{self, RunStatus};
use futures_util::Stream;
use ids::BillingRunId;
use sea_orm::EntityTrait;
use tokio::sync::watch;

use super::recorded::{ABANDONED_AFTER, FLUSH_EVERY, failures_json};
use super::run::{BillingRuns, RunProgress, lock};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult};

/// The shortest time between two items of a live run: a run finalises thousands of invoices a
/// second, and a watcher needs a few updates a second, not one per batch.
pub const MIN_INTERVAL: Duration = Duration::from_millis(200);

/// The recorded runs going on in this process, by id. Clones share the map.
#[derive(Clone, Debug, Default)]
pub struct LiveRuns(Arc<Mutex<HashMap<BillingRunId, Arc<RunProgress>>>>);

impl LiveRuns {
    /// Registers run `id`'s progress while it goes on.
    pub(super) fn insert(&self, id: BillingRunId, progress: Arc<RunProgress>) {
        lock(&self.0).insert(id, progress);
    }

    /// Forgets run `id`, once its outcome is recorded.
    pub(super) fn remove(&self, id: BillingRunId) {
        lock(&self.0).remove(&id);
    }

    /// The progress of run `id`, when it goes on in this process.
    fn get(&self, id: BillingRunId) -> Option<Arc<RunProgress>> {
        lock(&self.0).get(&id).cloned()
    }
}

/// What changes an item: an item equal to the previous one is not sent again.
type Counts = (RunStatus, i64, i64, i64);

/// One watcher's state between two items.
struct Watcher {
    runs: BillingRuns,
    /// The record as last read.
    row: billing_run::Model,
    /// The run's progress and a receiver of its changes, when it goes on in this process.
    live: Option<(Arc<RunProgress>, watch::Receiver<()>)>,
    /// The counts of the last item sent.
    sent: Option<Counts>,
    /// The last item has been sent.
    done: bool,
}

impl BillingRuns {
    /// Run `id` (operator staff, support included) as it goes: its record now, then each time
    /// its status or counts change, ending with the record as the run left it; a run that has
    /// ended yields once. `NOT_FOUND` when there is no such run; `FORBIDDEN` for customers. A
    /// `running` record whose process stopped answering (see [`ABANDONED_AFTER`]) yields once
    /// and ends: nothing will change it until the next run marks it failed.
    pub async fn watch(
        &self,
        actor: &Actor,
        id: BillingRunId,
    ) -> ServiceResult<impl Stream<Item = ServiceResult<billing_run::Model>> + Send + use<>> {
        let row = self.get(actor, id).await?;
        let watcher = Watcher {
            runs: self.clone(),
            row,
            live: None,
            sent: None,
            done: false,
        };
        Ok(futures_util::stream::unfold(watcher, Watcher::next))
    }
}

impl Watcher {
    /// The next item and the state after it; `None` once the last one was sent.
    async fn next(mut self) -> Option<(ServiceResult<billing_run::Model>, Self)> {
        if self.done {
            return None;
        }
        loop {
            if self.live.is_none()
                && self.row.status == RunStatus::Running
                && let Some(progress) = self.runs.live.get(self.row.id)
            {
                let changes = progress.watch();
                self.live = Some((progress, changes));
            }
            let view = match &self.live {
                // Its outcome is recorded: the record is the last word.
                Some((progress, _)) if progress.is_finished() => {
                    if let Err(error) = self.reread().await {
                        return Some(self.fail(error));
                    }
                    self.live = None;
                    self.row.clone()
                }
                Some((progress, _)) => with_progress(&self.row, progress),
                None => self.row.clone(),
            };
            if view.status != RunStatus::Running || self.abandoned() {
                self.done = true;
                return Some((Ok(view), self));
            }
            let counts = (view.status, view.due, view.invoiced, view.failed);
            if self.sent != Some(counts) {
                self.sent = Some(counts);
                return Some((Ok(view), self));
            }
            match &mut self.live {
                Some((_, changes)) => {
                    // A dropped sender is a run whose progress is gone: the record says how
                    // it ended, read on the next turn.
                    let _ = changes.changed().await;
                    tokio::time::sleep(MIN_INTERVAL).await;
                }
                None => {
                    tokio::time::sleep(FLUSH_EVERY).await;
                    if let Err(error) = self.reread().await {
                        return Some(self.fail(error));
                    }
                }
            }
        }
    }

    /// Reads the record again.
    async fn reread(&mut self) -> ServiceResult<()> {
        self.row = billing_run::Entity::find_by_id(self.row.id)
            .one(self.runs.db.reads())
            .await?
            .ok_or(ServiceError::NotFound {
                entity: "billing run",
            })?;
        Ok(())
    }

    /// An error as the last item.
    fn fail(mut self, error: ServiceError) -> (ServiceResult<billing_run::Model>, Self) {
        self.done = true;
        (Err(error), self)
    }

    /// A `running` record of another process whose heartbeat stopped.
    fn abandoned(&self) -> bool {
        self.live.is_none()
            && chrono::Duration::from_std(ABANDONED_AFTER)
                .is_ok_and(|after| self.row.heartbeat_at + after < Utc::now())
    }
}

/// `row` with the counts and failures `progress` has now.
fn with_progress(row: &billing_run::Model, progress: &RunProgress) -> billing_run::Model {
    let (due, invoiced, failed) = progress.snapshot();
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    billing_run::Model {
        due: count(due),
        invoiced: count(invoiced),
        failed: count(failed),
        failures: failures_json(progress),
        ..row.clone()
    }
}
