//! Request metrics in the Prometheus text format: a counter by operation and status and a
//! latency histogram by operation. Integer microseconds throughout; no floating point.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in microseconds.
const BUCKETS_US: [u64; 12] = [
    500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
    5_000_000,
];

/// Distinct operation labels kept before new ones are counted as `other`, so that clients
/// choosing operation names cannot grow memory without bound.
const MAX_OPERATIONS: usize = 200;

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS_US.len()],
    count: u64,
    sum_us: u64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

/// The server's request metrics.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

/// The operation a response served, set by handlers that know better than the route (the
/// GraphQL handler names the GraphQL operation).
#[derive(Clone, Debug)]
pub struct OperationLabel(pub String);

impl Metrics {
    /// Records one request.
    pub fn record(&self, operation: &str, status: u16, elapsed: Duration) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let operation =
            if inner.latency.contains_key(operation) || inner.latency.len() < MAX_OPERATIONS {
                operation
            } else {
                "other"
            };
        *inner
            .requests
            .entry((operation.to_owned(), status))
            .or_default() += 1;
        let histogram = inner.latency.entry(operation.to_owned()).or_default();
        let us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        histogram.count += 1;
        histogram.sum_us = histogram.sum_us.saturating_add(us);
        for (bucket, bound) in histogram.buckets.iter_mut().zip(BUCKETS_US) {
            if us <= bound {
                *bucket += 1;
            }
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let Ok(inner) = self.inner.lock() else {
            return String::new();
        };
        let mut out = String::new();
        out.push_str(
            "# HELP billfold_http_requests_total HTTP requests by operation and status.\n",
        );
        out.push_str("# TYPE billfold_http_requests_total counter\n");
        for ((operation, status), count) in &inner.requests {
            let _ = writeln!(
                out,
                "billfold_http_requests_total{{operation=\"{operation}\",status=\"{status}\"}} {count}"
            );
        }
        out.push_str(
            "# HELP billfold_http_request_duration_seconds HTTP request latency by operation.\n",
        );
        out.push_str("# TYPE billfold_http_request_duration_seconds histogram\n");
        for (operation, h) in &inner.latency {
            for (bound, count) in BUCKETS_US.iter().zip(h.buckets) {
                let _ = writeln!(
                    out,
                    "billfold_http_request_duration_seconds_bucket{{operation=\"{operation}\",le=\"{}\"}} {count}",
                    seconds(*bound)
                );
            }
            let _ = writeln!(
                out,
                "billfold_http_request_duration_seconds_bucket{{operation=\"{operation}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "billfold_http_request_duration_seconds_sum{{operation=\"{operation}\"}} {}",
                seconds(h.sum_us)
            );
            let _ = writeln!(
                out,
                "billfold_http_request_duration_seconds_count{{operation=\"{operation}\"}} {}",
                h.count
            );
        }
        out
    }
}

/// Microseconds as decimal seconds, e.g. 2500 -> `0.002500`.
fn seconds(us: u64) -> String {
    format!("{}.{:06}", us / 1_000_000, us % 1_000_000)
}

/// Keeps a label to the characters GraphQL names and routes use, so it cannot break the format.
pub fn sanitise_label(label: &str) -> String {
    label
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '-' | '.'))
        .take(64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let metrics = Metrics::default();
        metrics.record("Viewer", 200, Duration::from_micros(700));
        metrics.record("Viewer", 200, Duration::from_millis(20));
        let text = metrics.render();
        assert!(
            text.contains("billfold_http_requests_total{operation=\"Viewer\",status=\"200\"} 2")
        );
        assert!(text.contains("le=\"0.001000\"} 1"));
        assert!(text.contains("le=\"0.025000\"} 2"));
        assert!(
            text.contains(
                "billfold_http_request_duration_seconds_sum{operation=\"Viewer\"} 0.020700"
            )
        );
    }

    #[test]
    fn labels_cannot_inject_text() {
        assert_eq!(sanitise_label("Q\"} 1\nevil"), "Q1evil");
    }
}
