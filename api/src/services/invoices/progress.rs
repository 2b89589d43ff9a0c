//! How far a billing run has got: counts and failures updated by its workers as they go,
//! read by the command line's progress bar, the run's record (flushed every
//! [`super::recorded::FLUSH_EVERY`]) and whoever watches the run (`billingRunProgress`).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tokio::sync::watch;

use super::run::FailedPeriod;

/// How far a run has got, updated as it goes; read by progress bars, the run's record and
/// whoever watches the run ([`RunProgress::watch`]).
#[derive(Debug)]
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
    /// Bumped on every change, so that watchers wait for one rather than poll.
    changes: watch::Sender<()>,
    /// Set once the run's outcome is recorded: nothing changes any more.
    finished: AtomicBool,
}

impl Default for RunProgress {
    fn default() -> Self {
        Self {
            due: AtomicU64::default(),
            invoiced: AtomicU64::default(),
            failed: AtomicU64::default(),
            failures: Mutex::default(),
            changes: watch::Sender::new(()),
            finished: AtomicBool::new(false),
        }
    }
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

    /// A receiver that wakes after each change (counts, failures, the end).
    pub fn watch(&self) -> watch::Receiver<()> {
        self.changes.subscribe()
    }

    /// Whether the run's outcome has been recorded (see [`RunProgress::finish`]).
    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// Marks the run ended, once its outcome is in its record, and wakes the watchers.
    pub fn finish(&self) {
        self.finished.store(true, Ordering::Release);
        self.changed();
    }

    /// Wakes the watchers (`send_replace` works with none).
    pub(super) fn changed(&self) {
        self.changes.send_replace(());
    }
}
