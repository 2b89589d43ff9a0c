//! A closed-loop load generator: `tasks` tokio tasks, each sending its next request as soon as
//! the previous one has answered, for a fixed time. Every latency is kept, so the percentiles
//! are exact rather than estimated from buckets.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

/// How hard and how long to push.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    /// Concurrent tasks, each with at most one request in flight.
    pub tasks: usize,
    /// How long the tasks keep starting new requests.
    pub duration: Duration,
    /// A request without an answer after this long counts as an error.
    pub timeout: Duration,
}

/// What one run measured.
#[derive(Debug, Default)]
pub struct Measured {
    /// Requests that completed, errors included.
    pub requests: u64,
    /// Requests that failed (as judged by the request function) or timed out.
    pub errors: u64,
    /// The first failure, to show when `errors` is not zero.
    pub first_error: Option<String>,
    /// From the start until the last request answered.
    pub elapsed: Duration,
    /// Every request's latency in microseconds, sorted.
    pub latencies_us: Vec<u64>,
}

impl Measured {
    /// Completed requests per second of `elapsed`.
    pub fn per_second(&self) -> u64 {
        let micros = self.elapsed.as_micros().max(1);
        u64::try_from(u128::from(self.requests) * 1_000_000 / micros).unwrap_or(u64::MAX)
    }

    /// The latency at `percent` (1..=100) by the nearest-rank method: the smallest latency that
    /// at least `percent` % of the requests did not exceed. 0 when nothing was measured.
    pub fn percentile_us(&self, percent: usize) -> u64 {
        let rank = (percent * self.latencies_us.len()).div_ceil(100).max(1);
        self.latencies_us.get(rank - 1).copied().unwrap_or(0)
    }

    /// The slowest request, in microseconds.
    pub fn max_us(&self) -> u64 {
        self.latencies_us.last().copied().unwrap_or(0)
    }

    /// Counts an error, keeping the first description.
    pub(super) fn failed(&mut self, error: String) {
        self.errors += 1;
        self.first_error.get_or_insert(error);
    }

    fn absorb(&mut self, other: Measured) {
        self.requests += other.requests;
        self.errors += other.errors;
        if let Some(error) = other.first_error {
            self.first_error.get_or_insert(error);
        }
        self.latencies_us.extend(other.latencies_us);
    }
}

/// Runs `request` in a closed loop on `load.tasks` tasks for `load.duration`, then waits for
/// the requests in flight. `request` returns `Err` with a description when the answer is wrong.
pub async fn run<F, Fut>(load: Load, request: F) -> Measured
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let request = Arc::new(request);
    let started = Instant::now();
    let deadline = started + load.duration;
    let mut tasks = JoinSet::new();
    for _ in 0..load.tasks {
        let request = Arc::clone(&request);
        tasks.spawn(async move {
            let mut measured = Measured {
                latencies_us: Vec::with_capacity(64 * 1024),
                ..Measured::default()
            };
            while Instant::now() < deadline {
                let sent = Instant::now();
                let outcome = tokio::time::timeout(load.timeout, request()).await;
                let micros = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
                measured.latencies_us.push(micros);
                measured.requests += 1;
                match outcome {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => measured.failed(error),
                    Err(_) => measured.failed(format!("no answer within {:?}", load.timeout)),
                }
            }
            measured
        });
    }
    let mut total = Measured::default();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(measured) => total.absorb(measured),
            Err(error) => total.failed(format!("a load task failed: {error}")),
        }
    }
    total.elapsed = started.elapsed();
    total.latencies_us.sort_unstable();
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(latencies_us: Vec<u64>, elapsed: Duration) -> Measured {
        Measured {
            requests: latencies_us.len() as u64,
            elapsed,
            latencies_us,
            ..Measured::default()
        }
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let m = measured((1..=100).collect(), Duration::from_secs(1));
        assert_eq!(m.percentile_us(50), 50);
        assert_eq!(m.percentile_us(99), 99);
        assert_eq!(m.percentile_us(100), 100);
        assert_eq!(m.max_us(), 100);
        let m = measured(vec![7, 9, 30], Duration::from_secs(1));
        assert_eq!(m.percentile_us(50), 9);
        assert_eq!(m.percentile_us(99), 30);
        assert_eq!(measured(vec![], Duration::ZERO).percentile_us(99), 0);
    }

    #[test]
    fn rate_is_requests_over_elapsed() {
        let m = measured(vec![1; 2_500], Duration::from_millis(500));
        assert_eq!(m.per_second(), 5_000);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn counts_requests_and_errors() {
        let calls = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = Arc::clone(&calls);
        let load = Load {
            tasks: 4,
            duration: Duration::from_millis(100),
            timeout: Duration::from_secs(1),
        };
        let measured = run(load, move || {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            async move {
                tokio::time::sleep(Duration::from_millis(1)).await;
                if n == 3 { Err("third".into()) } else { Ok(()) }
            }
        })
        .await;
        assert_eq!(
            measured.requests,
            calls.load(std::sync::atomic::Ordering::Relaxed)
        );
        assert_eq!(measured.errors, 1);
        assert_eq!(measured.first_error.as_deref(), Some("third"));
        assert!(measured.elapsed >= load.duration);
        assert!(measured.latencies_us.is_sorted());
    }
}
