//! The mail worker of `billfold serve`: every `mail.poll_seconds` it renders the documents
//! finalised since its last look (so each is stored once, right after it is issued) and sends
//! what the outbox holds. Any number of instances may run it: documents are recorded once
//! (first hash wins) and messages are claimed under a lease (see `services::mail::deliver`).

use std::time::Duration;

use crate::services::documents::DocumentsService;
use crate::services::mail::MailService;

/// Documents rendered per look, so a large billing run's backlog is worked through in turns
/// with sending.
const RENDER_BATCH: u64 = 200;

/// Sends mail in the background for as long as it is held; dropping it stops the task.
pub struct MailWorker(tokio::task::JoinHandle<()>);

impl MailWorker {
    /// Starts the worker. Must be called within a Tokio runtime.
    pub fn start(documents: DocumentsService, mail: MailService, every: Duration) -> Self {
        Self(tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match documents.render_pending(RENDER_BATCH).await {
                    Ok(0) => {}
                    Ok(rendered) => tracing::info!(rendered, "documents rendered"),
                    Err(error) => tracing::error!(?error, "rendering documents failed; retrying"),
                }
                match mail.deliver_due().await {
                    Ok(report) if report == Default::default() => {}
                    Ok(report) => tracing::info!(
                        sent = report.sent,
                        retrying = report.retrying,
                        failed = report.failed,
                        "mail outbox"
                    ),
                    Err(error) => tracing::error!(?error, "sending mail failed; retrying"),
                }
            }
        }))
    }
}

impl Drop for MailWorker {
    fn drop(&mut self) {
        self.0.abort();
    }
}
