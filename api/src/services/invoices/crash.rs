//! Crash injection for the billing run's tests: a [`CrashPoint`] set on a
//! [`super::BillingRuns`] makes the next period that reaches that point stop dead there — its
//! transaction is dropped without a commit, exactly what a killed process leaves behind, and the
//! whole run ends with an error. It fires once and then clears itself, so a rerun finishes the
//! work. Unset (always, outside tests) it costs one relaxed atomic load per point.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::error::ServiceError;

/// Where in a period's transaction a run can be made to stop dead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrashPoint {
    /// The subscription is claimed (locked); nothing is written yet.
    AfterClaim,
    /// The invoice row is written (numbered, open), its lines not yet.
    AfterInvoiceRow,
    /// The lines are written.
    AfterLines,
    /// The invoice's number is taken from its sequence; the invoice is not written yet.
    AfterNumber,
    /// Everything is written: only the commit is left.
    BeforeCommit,
}

impl CrashPoint {
    /// Every point, in the order a period's transaction passes them.
    pub const ALL: [CrashPoint; 5] = [
        CrashPoint::AfterClaim,
        CrashPoint::AfterNumber,
        CrashPoint::AfterInvoiceRow,
        CrashPoint::AfterLines,
        CrashPoint::BeforeCommit,
    ];

    fn code(self) -> u8 {
        match self {
            CrashPoint::AfterClaim => 1,
            CrashPoint::AfterNumber => 2,
            CrashPoint::AfterInvoiceRow => 3,
            CrashPoint::AfterLines => 4,
            CrashPoint::BeforeCommit => 5,
        }
    }
}

/// The armed crash point of one `BillingRuns` (shared by its clones), or none.
#[derive(Clone, Debug, Default)]
pub(crate) struct Crashes(Arc<AtomicU8>);

impl Crashes {
    /// Arms `point` (or disarms, with `None`).
    pub(crate) fn arm(&self, point: Option<CrashPoint>) {
        self.0
            .store(point.map_or(0, CrashPoint::code), Ordering::SeqCst);
    }

    /// Fails, once, when `point` is the armed one. The caller returns the error with its
    /// transaction still open, so the transaction is dropped, uncommitted.
    pub(crate) fn at(&self, point: CrashPoint) -> Result<(), ServiceError> {
        let code = point.code();
        if self.0.load(Ordering::Relaxed) == code
            && self
                .0
                .compare_exchange(code, 0, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        {
            return Err(ServiceError::internal(InjectedCrash(point)));
        }
        Ok(())
    }
}

/// The error an injected crash ends its run with.
#[derive(Debug)]
pub(crate) struct InjectedCrash(pub(crate) CrashPoint);

impl std::fmt::Display for InjectedCrash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "crash injected at {:?}", self.0)
    }
}

impl std::error::Error for InjectedCrash {}

/// Whether `error` is an injected crash (which stops the run) rather than one subscription's
/// failure (which the run reports and goes on from).
pub(crate) fn is_injected(error: &ServiceError) -> bool {
    matches!(error, ServiceError::Internal(source) if source.is::<InjectedCrash>())
}
