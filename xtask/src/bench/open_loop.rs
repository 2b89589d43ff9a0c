//! An open-loop ("fixed rate") load generator: request number `i` is due at `start + i / rate`
//! whatever became of the earlier ones, runs in its own tokio task, and its latency is counted
//! from that scheduled time, as wrk2 does.
//!
//! A closed loop cannot judge a latency target: its clients wait for their answers, so when
//! the server stalls they simply send fewer requests and only the one request that was in
//! flight records the stall (coordinated omission), and on a saturated server its latencies
//! measure the queue the clients themselves build (Little's law: mean latency = clients /
//! throughput). Here the offered load does not depend on the answers, and a stall is charged
//! to every request it delays.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::runtime::Handle;
use tokio::sync::Semaphore;
use tokio::task::{JoinError, JoinSet};

use super::load::Measured;

const NANOS_PER_SECOND: u128 = 1_000_000_000;

/// How fast and how long to send, and how much backlog the client accepts.
#[derive(Clone, Copy, Debug)]
pub struct FixedRate {
    /// Requests started per second (0 is taken as 1).
    pub per_second: u64,
    /// Requests are due from the start until this much later.
    pub duration: Duration,
    /// A request without an answer after this long counts as an error.
    pub timeout: Duration,
    /// At most this many requests in flight: a request due while this many are unanswered is
    /// not sent and counts as an error, so that an overloaded server shows as errors instead of
    /// as a client that quietly falls behind its schedule.
    pub max_in_flight: usize,
}

/// What one request task reports.
struct Answered {
    /// From the scheduled send time to the end of the answer (or the timeout).
    latency_us: u64,
    /// Why the request failed, if it did.
    error: Option<String>,
}

/// Runs `request` at `load.per_second` for `load.duration`, then waits for the requests in
/// flight. `request` returns `Err` with a description when the answer is wrong.
///
/// Every due request counts in `requests`; one refused for the in-flight cap also counts as an
/// error and has no latency. `elapsed` runs from the start to the last answer.
pub async fn run_at_rate<F, Fut>(load: FixedRate, request: F) -> Measured
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let request = Arc::new(request);
    let runtime = Handle::current();
    let started = Instant::now();
    // The schedule is kept on a blocking thread with `std::thread::sleep` (high-resolution
    // timers: tens of µs late) rather than with `tokio::time::sleep`, whose 1 ms ticks would add
    // up to a millisecond to every latency counted from the scheduled time.
    let scheduler =
        tokio::task::spawn_blocking(move || send_on_schedule(load, started, &request, &runtime));
    let (mut total, mut tasks) = match scheduler.await {
        Ok(sent) => sent,
        Err(error) => {
            let mut total = Measured::default();
            total.failed(format!("the request scheduler failed: {error}"));
            return total;
        }
    };
    while let Some(joined) = tasks.join_next().await {
        absorb(&mut total, joined);
    }
    total.elapsed = started.elapsed();
    total.latencies_us.sort_unstable();
    total
}

/// Starts every request due in `load.duration` at its scheduled time (at once when the
/// scheduler is late: the schedule never slips) and returns what finished meanwhile with the
/// tasks still running. Runs on a blocking thread.
fn send_on_schedule<F, Fut>(
    load: FixedRate,
    started: Instant,
    request: &Arc<F>,
    runtime: &Handle,
) -> (Measured, JoinSet<Answered>)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let due = requests_due(load.duration, load.per_second);
    let mut total = Measured {
        // Bounded so that an absurd rate cannot reserve gigabytes up front.
        latencies_us: Vec::with_capacity(usize::try_from(due).unwrap_or(0).min(1 << 22)),
        ..Measured::default()
    };
    let in_flight = Arc::new(Semaphore::new(
        load.max_in_flight.min(Semaphore::MAX_PERMITS),
    ));
    let mut tasks = JoinSet::new();
    for index in 0..due {
        let scheduled = started + offset(index, load.per_second);
        let early = scheduled.saturating_duration_since(Instant::now());
        if !early.is_zero() {
            std::thread::sleep(early);
        }
        // Collect finished tasks as we go, so the set holds only the requests in flight.
        while let Some(joined) = tasks.try_join_next() {
            absorb(&mut total, joined);
        }
        let Ok(permit) = Arc::clone(&in_flight).try_acquire_owned() else {
            total.requests += 1;
            total.failed(backlog_error(load.max_in_flight));
            continue;
        };
        let request = Arc::clone(request);
        let timeout = load.timeout;
        tasks.spawn_on(
            async move {
                let outcome = tokio::time::timeout(timeout, request()).await;
                let latency_us = u64::try_from(scheduled.elapsed().as_micros()).unwrap_or(u64::MAX);
                drop(permit);
                let error = match outcome {
                    Ok(Ok(())) => None,
                    Ok(Err(error)) => Some(error),
                    Err(_) => Some(format!("no answer within {timeout:?}")),
                };
                Answered { latency_us, error }
            },
            runtime,
        );
    }
    (total, tasks)
}

/// Adds one finished request task to `total`.
fn absorb(total: &mut Measured, joined: Result<Answered, JoinError>) {
    match joined {
        Ok(answered) => {
            total.requests += 1;
            total.latencies_us.push(answered.latency_us);
            if let Some(error) = answered.error {
                total.failed(error);
            }
        }
        Err(error) => total.failed(format!("a request task failed: {error}")),
    }
}

/// The error of a request refused because `max_in_flight` requests are unanswered.
fn backlog_error(max_in_flight: usize) -> String {
    format!("client backlog: more than {max_in_flight} requests in flight")
}

/// When request `index` is due after the start: `index / per_second` seconds, in whole
/// nanoseconds computed from the index (so the schedule does not drift by accumulated rounding).
fn offset(index: u64, per_second: u64) -> Duration {
    let nanos = u128::from(index) * NANOS_PER_SECOND / u128::from(per_second.max(1));
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// How many requests are due within `duration`: those whose offset is less than it.
fn requests_due(duration: Duration, per_second: u64) -> u64 {
    // offset(i) < duration  <=>  i * 10⁹ < duration_ns * per_second  <=>  i < ⌈that / 10⁹⌉.
    let due = (duration.as_nanos() * u128::from(per_second.max(1))).div_ceil(NANOS_PER_SECOND);
    u64::try_from(due).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    fn fixed_rate(per_second: u64, duration_ms: u64) -> FixedRate {
        FixedRate {
            per_second,
            duration: Duration::from_millis(duration_ms),
            timeout: Duration::from_secs(5),
            max_in_flight: 512,
        }
    }

    #[test]
    fn schedule_is_exact_and_does_not_drift() {
        assert_eq!(offset(0, 1_000), Duration::ZERO);
        assert_eq!(offset(1, 3), Duration::from_nanos(333_333_333));
        assert_eq!(offset(2, 3), Duration::from_nanos(666_666_666));
        assert_eq!(offset(3, 3), Duration::from_secs(1));
        assert_eq!(offset(3_000_000, 3), Duration::from_secs(1_000_000));
        assert_eq!(offset(5, 2_000), Duration::from_micros(2_500));
        assert_eq!(requests_due(Duration::from_millis(200), 1_000), 200);
        assert_eq!(requests_due(Duration::from_secs(1), 3), 3);
        assert_eq!(requests_due(Duration::from_millis(1_001), 3), 4);
        assert_eq!(requests_due(Duration::from_secs(10), 2_000), 20_000);
        assert_eq!(requests_due(Duration::ZERO, 1_000), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sends_at_the_offered_rate() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let recorder = Arc::clone(&calls);
        let before = Instant::now();
        let load = fixed_rate(1_000, 200);
        let measured = run_at_rate(load, move || {
            if let Ok(mut calls) = recorder.lock() {
                calls.push(Instant::now());
            }
            async { Ok(()) }
        })
        .await;
        let calls = calls.lock().unwrap().clone();
        // Every request due is sent, late or not, so the count is exact.
        assert_eq!(measured.requests, 200);
        assert_eq!(calls.len(), 200);
        assert_eq!(measured.errors, 0);
        assert_eq!(measured.latencies_us.len(), 200);
        assert!(measured.latencies_us.is_sorted());
        // Never ahead of the schedule: request i is not sent before i ms. (Lateness is possible
        // on a loaded machine, hence only lower bounds on time.)
        let ahead = calls
            .iter()
            .filter(|at| at.duration_since(before) < Duration::from_millis(100))
            .count();
        assert!(ahead <= 100, "{ahead} requests in the first 100 ms");
        assert!(measured.elapsed >= Duration::from_millis(199));
        assert!(measured.per_second() <= 1_010, "{}", measured.per_second());
        assert!(measured.per_second() >= 100, "{}", measured.per_second());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn latency_includes_the_time_to_answer() {
        let load = fixed_rate(1_000, 50);
        let measured = run_at_rate(load, || async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(())
        })
        .await;
        assert_eq!(measured.requests, 50);
        assert_eq!(measured.errors, 0);
        assert!(measured.percentile_us(1) >= 20_000, "{measured:?}");
        // The requests overlap: one after the other they would take a second.
        assert!(
            measured.elapsed < Duration::from_millis(900),
            "{measured:?}"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_stall_is_charged_to_every_request_it_delays() {
        // A one-at-a-time "server" whose first request holds it for 50 ms: every request due
        // during the stall waits for its end, and is charged from its scheduled time. A closed
        // loop with one client would have recorded a single slow request.
        let server = Arc::new(tokio::sync::Mutex::new(()));
        let calls = Arc::new(AtomicU64::new(0));
        let load = fixed_rate(1_000, 100);
        let measured = run_at_rate(load, move || {
            let server = Arc::clone(&server);
            let stalls = calls.fetch_add(1, Ordering::Relaxed) == 0;
            async move {
                let _serving = server.lock().await;
                if stalls {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Ok(())
            }
        })
        .await;
        assert_eq!(measured.requests, 100);
        assert_eq!(measured.errors, 0);
        let delayed = measured
            .latencies_us
            .iter()
            .filter(|latency| **latency >= 20_000)
            .count();
        assert!(delayed >= 25, "{delayed} requests delayed by 20 ms or more");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn refuses_requests_beyond_the_in_flight_cap() {
        let calls = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&calls);
        let load = FixedRate {
            max_in_flight: 4,
            ..fixed_rate(1_000, 50)
        };
        // Every answer takes longer than the whole schedule, so only 4 requests are sent
        // (more only if the scheduler is so late that some answered already).
        let measured = run_at_rate(load, move || {
            counter.fetch_add(1, Ordering::Relaxed);
            async {
                tokio::time::sleep(Duration::from_millis(150)).await;
                Ok(())
            }
        })
        .await;
        let sent = calls.load(Ordering::Relaxed);
        assert_eq!(measured.requests, 50);
        assert!(sent >= 4, "{sent} sent");
        assert!(measured.errors > 0);
        assert_eq!(measured.errors + sent, 50);
        assert_eq!(measured.latencies_us.len() as u64, sent);
        assert_eq!(
            measured.first_error.as_deref(),
            Some("client backlog: more than 4 requests in flight")
        );
    }
}
