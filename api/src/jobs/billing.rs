//! The billing scheduler: every `billing.run_every_seconds` (and once at start) it bills every
//! subscription period due by today's business date. Instances racing on one database bill each
//! period once: the run locks each subscription and a unique index refuses a second invoice.

use std::time::Duration;

use crate::clock::Clock;
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
                match runs.run(today).await {
                    Ok(report) if report.invoiced.is_empty() && report.failed.is_empty() => {}
                    Ok(report) => tracing::info!(
                        invoices = report.invoiced.len(),
                        failed = report.failed.len(),
                        %today,
                        "billing run"
                    ),
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
