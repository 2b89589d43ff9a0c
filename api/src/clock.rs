//! Business time: the instant billing rules are evaluated at (proration days, quote expiry,
//! current periods). It is the system clock, except where a test or a demo pins it; tokens
//! and logs always use real time.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};

/// The billing clock, shared by every service (cheap to clone).
#[derive(Clone, Debug, Default)]
pub struct Clock(Arc<RwLock<Option<DateTime<Utc>>>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// The current business instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.0.read().ok().and_then(|t| *t).unwrap_or_else(Utc::now)
    }

    /// Pins business time at `at` (tests, demos).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut t) = self.0.write() {
            *t = Some(at);
        }
    }

    /// Moves pinned business time forward (from now, if it was not pinned).
    pub fn advance(&self, by: Duration) {
        let next = self.now() + by;
        self.set(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_stays_until_advanced() {
        let clock = Clock::system();
        let at = DateTime::parse_from_rfc3339("2026-04-02T08:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .ok();
        let at = at.unwrap_or_else(Utc::now);
        clock.set(at);
        assert_eq!(clock.now(), at);
        clock.advance(Duration::minutes(16));
        assert_eq!(clock.now(), at + Duration::minutes(16));
    }
}
