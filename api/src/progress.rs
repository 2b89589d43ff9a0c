//! A progress bar for `billfold bill`, drawn by hand on stderr (a crate for it would bring a
//! terminal library and Unicode tables for one line of text). On a terminal the line is
//! redrawn in place a few times a second; otherwise (a log file, CI) a plain line is written
//! every few seconds, so the output stays readable.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::services::invoices::RunProgress;

/// Width of the bar, in characters.
const WIDTH: usize = 30;

/// Draws `progress` on stderr until dropped.
pub struct ProgressBar {
    task: tokio::task::JoinHandle<()>,
    progress: Arc<RunProgress>,
    started: Instant,
    terminal: bool,
}

impl ProgressBar {
    /// Starts drawing. Must be called within a Tokio runtime.
    pub fn start(progress: Arc<RunProgress>) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let every = if terminal {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(5)
        };
        let started = Instant::now();
        let task = tokio::spawn({
            let progress = Arc::clone(&progress);
            async move {
                let mut ticks = tokio::time::interval(every);
                ticks.tick().await;
                loop {
                    ticks.tick().await;
                    draw(&progress, started, terminal, false);
                }
            }
        });
        Self {
            task,
            progress,
            started,
            terminal,
        }
    }

    /// Stops and draws the final state.
    pub fn finish(self) {
        self.task.abort();
        draw(&self.progress, self.started, self.terminal, true);
    }
}

fn draw(progress: &RunProgress, started: Instant, terminal: bool, last: bool) {
    let (due, invoiced, failed) = progress.snapshot();
    let line = line(due, invoiced, failed, started.elapsed());
    let mut err = std::io::stderr().lock();
    let _ = if terminal {
        write!(err, "\r{line}\x1b[K{}", if last { "\n" } else { "" })
    } else {
        writeln!(err, "{line}")
    };
    let _ = err.flush();
}

/// `[#########.....]  1,234 invoices · 7 failed · 12.3 s · 1,003/s` — the bar counts
/// subscriptions done (invoiced or failed) against those due at the start; a subscription
/// that missed several periods gets more than one invoice, so it fills at most to the end.
fn line(due: u64, invoiced: u64, failed: u64, elapsed: Duration) -> String {
    let done = invoiced.saturating_add(failed).min(due);
    let filled = done
        .saturating_mul(WIDTH as u64)
        .checked_div(due)
        .map_or(WIDTH, |n| usize::try_from(n).unwrap_or(WIDTH));
    // Integers throughout: the workspace allows no floating point, display included.
    let millis = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    let rate = invoiced
        .saturating_mul(1000)
        .checked_div(millis)
        .unwrap_or(0);
    format!(
        "[{}{}] {invoiced} invoices of {due} due · {failed} failed · {}.{} s · {rate}/s",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        millis / 1000,
        millis % 1000 / 100,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_subscriptions_done_and_no_further() {
        let half = line(10, 4, 1, Duration::from_secs(2));
        assert!(
            half.starts_with(&format!("[{}{}]", "#".repeat(15), ".".repeat(15))),
            "{half}"
        );
        assert!(
            half.ends_with("4 invoices of 10 due · 1 failed · 2.0 s · 2/s"),
            "{half}"
        );
        let over = line(2, 5, 0, Duration::from_secs(1));
        assert!(
            over.starts_with(&format!("[{}]", "#".repeat(WIDTH))),
            "{over}"
        );
        let nothing = line(0, 0, 0, Duration::ZERO);
        assert!(
            nothing.starts_with(&format!("[{}]", "#".repeat(WIDTH))),
            "{nothing}"
        );
    }
}
