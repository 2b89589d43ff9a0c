//! The HTTP benchmark's report: a markdown table, the machine it ran on, the method and the
//! targets, written as the "HTTP load" section of `BENCHMARKS.md`.

use std::fmt::Write as _;
use std::process::Command;

use super::http::{Row, Scenario, Settings};

/// The heading of the section this report owns in `BENCHMARKS.md`.
pub const HEADING: &str = "## HTTP load (cargo xtask bench)";

/// The targets: overview throughput and preview p99 latency.
const OVERVIEW_TARGET_PER_SECOND: u64 = 5_000;
const PREVIEW_TARGET_P99_US: u64 = 5_000;

/// The machine and toolchain, gathered before the run.
#[derive(Debug)]
pub struct Machine {
    nproc: String,
    model: String,
    date: String,
    rustc: String,
    load_average: String,
}

impl Machine {
    /// Asks `nproc`, `lscpu`, `date`, `rustc` and `/proc/loadavg`; "unknown" where one fails.
    pub fn describe() -> Machine {
        let lscpu = output("lscpu", &[]);
        let model = lscpu
            .lines()
            .find(|line| line.starts_with("Model name"))
            .and_then(|line| line.split_once(':'))
            .map_or_else(
                || "unknown".to_owned(),
                |(_, model)| model.trim().to_owned(),
            );
        let load_average = std::fs::read_to_string("/proc/loadavg")
            .map(|text| {
                text.split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_else(|_| "unknown".to_owned());
        Machine {
            nproc: output("nproc", &[]),
            model,
            date: output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            rustc: output("rustc", &["--version"]),
            load_average,
        }
    }
}

/// The trimmed standard output of a command, or "unknown".
fn output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The results as a markdown table, one line per scenario and task count.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| scenario | tasks | requests | req/s | p50 µs | p99 µs | max µs | errors \
         | server CPU µs/req | client CPU µs/req | CPU % of a core: server / client / others |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for row in rows {
        let m = &row.measured;
        let (server, client, shares) = match row.cpu {
            Some(cpu) => (
                cpu_per_request(cpu.server_ms, m.requests),
                cpu_per_request(cpu.client_ms, m.requests),
                format!(
                    "{} / {} / {}",
                    cpu.percent_of_a_core(cpu.server_ms),
                    cpu.percent_of_a_core(cpu.client_ms),
                    cpu.percent_of_a_core(cpu.others_ms),
                ),
            ),
            None => ("–".to_owned(), "–".to_owned(), "–".to_owned()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | **{}** | {} | **{}** | {} | {} | {server} | {client} | {shares} |",
            row.scenario.name(),
            row.tasks,
            thousands(m.requests),
            thousands(m.per_second()),
            thousands(m.percentile_us(50)),
            thousands(m.percentile_us(99)),
            thousands(m.max_us()),
            m.errors,
        );
    }
    out
}

fn cpu_per_request(ms: u64, requests: u64) -> String {
    thousands(super::cpu::Usage::per_request_us(ms, requests))
}

/// A target of the issue: a figure of one scenario and the bound it must meet.
struct Target {
    scenario: Scenario,
    text: String,
    unit: &'static str,
    figure: fn(&Row) -> u64,
    is_met: fn(u64) -> bool,
}

fn targets() -> [Target; 2] {
    [
        Target {
            scenario: Scenario::Overview,
            text: format!("overview ≥ {} req/s", thousands(OVERVIEW_TARGET_PER_SECOND)),
            unit: "req/s",
            figure: |row| row.measured.per_second(),
            is_met: |rate| rate >= OVERVIEW_TARGET_PER_SECOND,
        },
        Target {
            scenario: Scenario::Preview,
            text: format!("preview p99 < {} ms", PREVIEW_TARGET_P99_US / 1_000),
            unit: "µs p99",
            figure: |row| row.measured.percentile_us(99),
            is_met: |p99| p99 < PREVIEW_TARGET_P99_US,
        },
    ]
}

/// Whether each target is met, judged on the first (main) task count; the figures at the other
/// task counts follow for context.
pub fn verdicts(rows: &[Row]) -> String {
    let mut out = String::new();
    for target in targets() {
        let mut runs = rows.iter().filter(|row| row.scenario == target.scenario);
        let Some(main) = runs.next() else { continue };
        let value = (target.figure)(main);
        let others: Vec<String> = runs
            .map(|row| format!("{} at {}", thousands((target.figure)(row)), row.tasks))
            .collect();
        let context = if others.is_empty() {
            String::new()
        } else {
            format!("; {}", others.join(", "))
        };
        let _ = writeln!(
            out,
            "- {}: **{}** ({} {} at {} tasks{context})",
            target.text,
            if (target.is_met)(value) {
                "met"
            } else {
                "not met"
            },
            thousands(value),
            target.unit,
            main.tasks,
        );
    }
    out
}

/// The whole `BENCHMARKS.md` section for this run.
pub fn section(rows: &[Row], settings: &Settings, machine: &Machine) -> String {
    let tasks: Vec<String> = settings.tasks.iter().map(usize::to_string).collect();
    let seconds = settings.duration.as_secs();
    let mut out = format!("{HEADING}\n\n");
    out.push_str(&wrap(
        &format!(
            "`cargo xtask bench http` (also the second half of `cargo xtask bench`), run as \
             `cargo xtask bench http --tasks {tasks} --seconds {seconds} --warmup {warmup}`: \
             builds `billfold` in release, starts `billfold serve` on a free `127.0.0.1` port \
             with a fresh data directory (SQLite in WAL mode, demo data, `RUST_LOG=warn`), \
             waits for `/readyz`, logs in once as `billing@acme.example` and reads the first \
             license item. Then, for each task count and scenario, a closed-loop load: N tokio \
             tasks in the xtask process (a release build, multi-thread runtime), each sending its \
             next request as soon as the previous one answered, over one shared reqwest client \
             (HTTP/1.1 keep-alive: one connection per task), for {seconds} s after a {warmup} s \
             warm-up. Latency is measured per request in the client (send to end of body); \
             p50/p99/max are exact (nearest rank over every request). An error is a status other \
             than 200, a GraphQL `errors` entry, a response without `data` or no answer within \
             5 s; there must be none.",
            tasks = tasks.join(","),
            warmup = settings.warmup.as_secs(),
        ),
        "",
    ));
    out.push('\n');
    for (name, text) in [
        (
            "baseline",
            "`GET /healthz` (raw axum route: the middleware stack, no GraphQL, no database);",
        ),
        (
            "overview",
            "the portal overview query (`viewer` with licenses and upcoming charges);",
        ),
        (
            "preview",
            "`previewLicenseChange(input: {itemId, delta: 1})` (computes a prorated quote and \
             inserts a quote row).",
        ),
    ] {
        out.push_str(&wrap(&format!("- **{name}**: {text}"), "  "));
    }
    out.push('\n');
    out.push_str(&table(rows));
    out.push('\n');
    out.push_str(&wrap(
        "CPU columns: CPU time (user + system, from `/proc`) during the measured seconds, per \
         request and as a share of one core (200 % = both cores busy): the server process, the \
         load generator (the xtask process), and every other process on the machine.",
        "",
    ));
    out.push_str("\nTargets (from the issue), judged at the first task count:\n\n");
    out.push_str(&verdicts(rows));
    let _ = write!(
        out,
        "\nMachine and toolchain:\n\n\
         - `nproc`: {}\n\
         - `lscpu | grep 'Model name'`: {}\n\
         - date: {}\n\
         - `rustc --version`: {}\n\
         - load average before the run: {}\n\n",
        machine.nproc, machine.model, machine.date, machine.rustc, machine.load_average,
    );
    out.push_str(&wrap(
        "The client runs on the same 2-core machine as the server and competes with it for the \
         CPU (the client column), as does any other work on the machine (the others column): \
         with both cores to itself the server would do somewhat better than these figures.",
        "",
    ));
    out
}

/// Lines of at most 100 columns, like the rest of `BENCHMARKS.md`; continuation lines start
/// with `indent`. Words are never split.
fn wrap(text: &str, indent: &str) -> String {
    const WIDTH: usize = 100;
    let mut out = String::new();
    let mut column = 0;
    for word in text.split_whitespace() {
        let width = word.chars().count();
        if column > 0 && column + 1 + width > WIDTH {
            out.push('\n');
            out.push_str(indent);
            column = indent.chars().count();
        } else if column > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += width;
    }
    out.push('\n');
    out
}

/// `document` with the section that starts at `HEADING` (up to the next `## ` heading) replaced
/// by `section`, or with `section` appended when there is none.
pub fn replace_section(document: &str, section: &str) -> String {
    let start = if document.starts_with(&format!("{HEADING}\n")) {
        Some(0)
    } else {
        document.find(&format!("\n{HEADING}\n")).map(|i| i + 1)
    };
    let section = section.trim_end();
    match start {
        Some(start) => {
            let body = start + HEADING.len();
            let end = document[body..]
                .find("\n## ")
                .map_or(document.len(), |i| body + i + 1);
            let rest = &document[end..];
            let separator = if rest.is_empty() { "\n" } else { "\n\n" };
            format!("{}{section}{separator}{rest}", &document[..start])
        }
        None => format!("{}\n\n{section}\n", document.trim_end()),
    }
}

/// 12345 -> "12,345".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_then_replaces_the_section() {
        let original = "# Benchmarks\n\n## billing (criterion)\n\nfigures\n";
        let first = replace_section(original, &format!("{HEADING}\n\nrun 1\n"));
        assert_eq!(
            first,
            format!("# Benchmarks\n\n## billing (criterion)\n\nfigures\n\n{HEADING}\n\nrun 1\n")
        );
        let with_notes = format!("{first}\n## Notes\n\nkept\n");
        let second = replace_section(&with_notes, &format!("{HEADING}\n\nrun 2\n"));
        assert_eq!(
            second,
            format!(
                "# Benchmarks\n\n## billing (criterion)\n\nfigures\n\n{HEADING}\n\nrun 2\n\n\
                 ## Notes\n\nkept\n"
            )
        );
        assert_eq!(
            replace_section(&second, &format!("{HEADING}\n\nrun 2\n")),
            second
        );
    }

    #[test]
    fn wraps_at_100_columns() {
        let text = "word ".repeat(30);
        let wrapped = wrap(&text, "  ");
        assert!(wrapped.lines().all(|line| line.chars().count() <= 100));
        assert_eq!(wrapped.split_whitespace().count(), 30);
        assert!(
            wrapped
                .lines()
                .nth(1)
                .is_some_and(|line| line.starts_with("  word"))
        );
        assert_eq!(wrap("short", ""), "short\n");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
