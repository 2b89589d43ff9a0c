//! The billing scheduler: every `billing.run_every_seconds` (and once at start) it bills every
//! subscription period due by today's business date, recorded as a billing run like a staff
//! one. Instances racing on one database bill each period once: only one run may be running
//! (the others' ticks answer `CONFLICT` and wait for the next), each subscription is claimed
//! under a lock, and a unique index refuses a second invoice.

use std::time::Duration;

use entity::billing_run::RunOrigin;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::services::invoices::BillingRuns;

/// Bills due periods in the background for as long as it is held; dropping it stops the task.
pub struct BillingScheduler(tokio::task::JoinHandle<()>);

impl BillingScheduler {
    /// Starts billing through `runs` every `every`, on the date of `clock` (UTC). Must be
    /// called within a Tokio runtime.
    pub fn start(runs: BillingRuns, clock: Clock, every: Duration) -> Self {
        Self(tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let today = clock.now().date_naive();
                let run = runs
                    .record(RunOrigin::Scheduler, today, 1, Default::default())
                    .await;
                match run {
                    Ok((_, report)) if report.invoiced.is_empty() && report.failed.is_empty() => {}
                    Ok((id, report)) => tracing::info!(
                        %id,
                        invoices = report.invoiced.len(),
                        failed = report.failed.len(),
                        %today,
                        "billing run"
                    ),
                    Err(ServiceError::Conflict { .. }) => {
                        tracing::debug!(%today, "another billing run is running; next tick");
                    }
                    Err(error) => tracing::error!(?error, %today, "billing run failed; retrying"),
                }
            }
        }))
    }
}

impl Drop for BillingScheduler {
    fn drop(&mut self) {
        self.0.abort();
    }
}
