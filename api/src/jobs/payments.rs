//! The collection worker of `billfold serve`: every `payments.collect_every_seconds` it runs
//! one collection tick (see `services::payments::collection`): settles processing debits,
//! resumes interrupted attempts, charges due invoices with their default method. Any number of
//! instances may run it.

use std::time::Duration;

use crate::services::payments::PaymentsService;

/// Collects payments in the background for as long as it is held; dropping it stops the task.
pub struct CollectionWorker(tokio::task::JoinHandle<()>);

impl CollectionWorker {
    /// Starts the worker. Must be called within a Tokio runtime.
    pub fn start(payments: PaymentsService, every: Duration) -> Self {
        Self(tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match payments.collect_due().await {
                    Ok(report) if report == Default::default() => {}
                    Ok(report) => tracing::info!(
                        charged = report.charged,
                        succeeded = report.succeeded,
                        failed = report.failed,
                        settled = report.settled,
                        resumed = report.resumed,
                        "payment collection"
                    ),
                    Err(error) => tracing::error!(?error, "payment collection failed; retrying"),
                }
            }
        }))
    }
}

impl Drop for CollectionWorker {
    fn drop(&mut self) {
        self.0.abort();
    }
}
