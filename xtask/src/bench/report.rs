//! The HTTP benchmark's report: a markdown table, the machine it ran on, the method and the
//! targets, written as the "HTTP load" section of `BENCHMARKS.md`. The throughput target is
//! judged on the closed loop, the latency target on the open loop (see [`LoadShape`]).

use std::fmt::Write as _;
use std::process::Command;

use super::http::{LoadShape, MAX_IN_FLIGHT, Row, Scenario, Settings};

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

/// How a row's load was applied, for people: "32 tasks" or "1,000 req/s offered".
pub fn load_label(shape: LoadShape) -> String {
    match shape {
        LoadShape::Closed { tasks: 1 } => "1 task".to_owned(),
        LoadShape::Closed { tasks } => format!("{tasks} tasks"),
        LoadShape::Open { rate } => format!("{} req/s offered", thousands(rate)),
    }
}

/// The results as a markdown table, one line per scenario and load. The req/s column is the
/// achieved rate, under either load shape.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| scenario | load | requests | req/s | p50 µs | p99 µs | max µs | errors \
         | server CPU µs/req | client CPU µs/req | CPU % of a core: server / client / others / stolen |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    let repeated = rows.iter().any(|row| row.run > 1);
    for row in rows {
        let m = &row.measured;
        let load = if repeated && row.shape.is_open() {
            format!("{}, run {}", load_label(row.shape), row.run)
        } else {
            load_label(row.shape)
        };
        let (server, client, shares) = match row.cpu {
            Some(cpu) => (
                cpu_per_request(cpu.server_ms, m.requests),
                cpu_per_request(cpu.client_ms, m.requests),
                format!(
                    "{} / {} / {} / {}",
                    cpu.percent_of_a_core(cpu.server_ms),
                    cpu.percent_of_a_core(cpu.client_ms),
                    cpu.percent_of_a_core(cpu.others_ms),
                    cpu.percent_of_a_core(cpu.steal_ms),
                ),
            ),
            None => ("–".to_owned(), "–".to_owned(), "–".to_owned()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | **{}** | {} | **{}** | {} | {} | {server} | {client} | {shares} |",
            row.scenario.name(),
            load,
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

/// A target of the issue: a figure of one scenario under one load shape, and the bound it must
/// meet.
struct Target {
    scenario: Scenario,
    /// Judged on the open-loop rows (at the first rate) rather than on the closed-loop ones (at
    /// the first task count).
    open_loop: bool,
    text: String,
    unit: &'static str,
    figure: fn(&Row) -> u64,
    is_met: fn(u64) -> bool,
}

fn targets() -> [Target; 2] {
    [
        // Throughput is what a closed loop measures: the server is never idle.
        Target {
            scenario: Scenario::Overview,
            open_loop: false,
            text: format!("overview ≥ {} req/s", thousands(OVERVIEW_TARGET_PER_SECOND)),
            unit: "req/s",
            figure: |row| row.measured.per_second(),
            is_met: |rate| rate >= OVERVIEW_TARGET_PER_SECOND,
        },
        // A closed loop's latencies are mostly its own queue (Little's law); the latency a client
        // sees is measured at a fixed offered rate, from each request's scheduled send time.
        Target {
            scenario: Scenario::Preview,
            open_loop: true,
            text: format!("preview p99 < {} ms", PREVIEW_TARGET_P99_US / 1_000),
            unit: "µs p99",
            figure: |row| row.measured.percentile_us(99),
            is_met: |p99| p99 < PREVIEW_TARGET_P99_US,
        },
    ]
}

/// Whether each target is met: the throughput target judged on the first closed-loop load of
/// its scenario (the first task count), the latency target on the first open-loop load (the
/// first rate). Where a load was measured several times (open-loop `--runs`), its figure is the
/// median run's, and every run's figure is listed. The other loads of the same shape follow for
/// context.
pub fn verdicts(rows: &[Row]) -> String {
    let mut out = String::new();
    for target in targets() {
        let mut loads: Vec<(LoadShape, Vec<u64>)> = Vec::new();
        for row in rows.iter().filter(|row| {
            row.scenario == target.scenario && row.shape.is_open() == target.open_loop
        }) {
            let figure = (target.figure)(row);
            match loads.iter_mut().find(|(shape, _)| *shape == row.shape) {
                Some((_, figures)) => figures.push(figure),
                None => loads.push((row.shape, vec![figure])),
            }
        }
        let Some(((shape, figures), others)) = loads.split_first() else {
            continue;
        };
        let value = median(figures);
        let runs = if figures.len() > 1 {
            let each: Vec<String> = figures.iter().map(|f| thousands(*f)).collect();
            format!(
                ", the median of {} runs: {}",
                figures.len(),
                each.join(", ")
            )
        } else {
            String::new()
        };
        let others: Vec<String> = others
            .iter()
            .map(|(shape, figures)| {
                let median_of = if figures.len() > 1 {
                    format!(" (median of {})", figures.len())
                } else {
                    String::new()
                };
                format!(
                    "{} at {}{median_of}",
                    thousands(median(figures)),
                    load_label(*shape)
                )
            })
            .collect();
        let context = if others.is_empty() {
            String::new()
        } else {
            format!("; {}", others.join(", "))
        };
        let _ = writeln!(
            out,
            "- {}: **{}** ({} {} at {}{runs}{context})",
            target.text,
            if (target.is_met)(value) {
                "met"
            } else {
                "not met"
            },
            thousands(value),
            target.unit,
            load_label(*shape),
        );
    }
    out
}

/// The middle figure; of an even number, the upper of the two middle ones.
fn median(figures: &[u64]) -> u64 {
    let mut sorted = figures.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// The whole `BENCHMARKS.md` section for this run.
pub fn section(rows: &[Row], settings: &Settings, machine: &Machine) -> String {
    let tasks: Vec<String> = settings.tasks.iter().map(usize::to_string).collect();
    let rates: Vec<String> = settings.rates.iter().map(u64::to_string).collect();
    let runs = settings.runs;
    let seconds = settings.duration.as_secs();
    let warmup = settings.warmup.as_secs();
    let mut out = format!("{HEADING}\n\n");
    out.push_str(&wrap(
        &format!(
            "`cargo xtask bench http` (also the second half of `cargo xtask bench`), run as \
             `cargo xtask bench http --tasks {tasks} --rates {rates} --runs {runs} --seconds \
             {seconds} --warmup {warmup}`: builds `billfold` in release, starts `billfold serve` on a free \
             `127.0.0.1` port with a fresh data directory (SQLite in WAL mode, demo data, \
             `RUST_LOG=warn`), waits for `/readyz`, logs in once as `billing@acme.example` and \
             reads the first license item. The load comes from tokio tasks in the xtask process \
             (a release build, multi-thread runtime) over one shared reqwest client (HTTP/1.1 \
             keep-alive), in two shapes, each measured for {seconds} s after a {warmup} s warm-up \
             under the same load:",
            tasks = tasks.join(","),
            rates = rates.join(","),
        ),
        "",
    ));
    out.push('\n');
    out.push_str(&wrap(
        "- **closed loop** (`--tasks`, every scenario, \"32 tasks\" in the table): N tasks, each \
         sending its next request as soon as the previous one answered (one connection per \
         task). It measures throughput: the server is never idle, and req/s is what it answers.",
        "  ",
    ));
    out.push_str(&wrap(
        &format!(
            "- **open loop** (`--rates`, every scenario, \"1,000 req/s offered\"): request \
             number i is due `i/rate` seconds after the start and runs in its own task (a \
             connection per request in flight) whatever became of the earlier ones, as wrk2 \
             does; req/s is the rate achieved. More than {MAX_IN_FLIGHT} requests in flight count \
             as errors: the server is not keeping up. Each rate is measured {runs} times, the \
             scenarios taking turns (baseline, overview, preview, baseline, …)."
        ),
        "  ",
    ));
    out.push('\n');
    out.push_str(&wrap(
        "The throughput target is judged closed-loop and the latency target open-loop. A closed \
         loop's latencies are not the service's: on a saturated server, Little's law makes the \
         mean latency equal to clients / throughput (32 clients at 2,000 req/s wait 16 ms on \
         average, whatever the service time), so they mostly measure the queue the clients \
         themselves build; and when the server stalls, its clients stop sending, so the stall \
         shows in only the requests in flight (coordinated omission). The open loop offers a \
         fixed rate whatever the answers and counts each request's latency from its scheduled \
         send time, not from when it was actually sent, so a stall (of the server or of the \
         client) is charged to every request it delays.",
        "",
    ));
    out.push('\n');
    out.push_str(&wrap(
        "Latency is measured per request in the client (to the end of the body); p50/p99/max are \
         exact (nearest rank over every request). An error is a status other than 200, a GraphQL \
         `errors` entry, a response without `data`, no answer within 5 s or, open-loop, a request \
         refused for the backlog; there must be none.",
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
         load generator (the xtask process), every other process on the machine with interrupt \
         handling, and the time stolen: the hypervisor ran another guest on this machine's \
         virtual CPUs while they had work (`steal` in `/proc/stat`). Stolen time is a stall \
         that no code here causes or can avoid: a run with much of it measures the host.",
        "",
    ));
    out.push('\n');
    out.push_str(&wrap(
        "Targets (from the issue): throughput judged closed-loop at the first task count, \
         latency judged open-loop at the first rate, on the median of its runs. Why the median: \
         the hypervisor takes this machine's CPUs in bursts of seconds (the stolen column), and \
         a burst inside a 10 s measurement sets its p99 on its own, for the raw route as much as \
         for the preview. Every run is in the table, with its stolen time, and listed below:",
        "",
    ));
    out.push('\n');
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
    use std::time::Duration;

    use super::super::load::Measured;
    use super::*;

    /// A row whose achieved rate is `per_second` and whose every latency is `p99_us`.
    fn row(scenario: Scenario, shape: LoadShape, per_second: u64, p99_us: u64) -> Row {
        Row {
            scenario,
            shape,
            run: 1,
            measured: Measured {
                requests: per_second,
                elapsed: Duration::from_secs(1),
                latencies_us: vec![p99_us; 100],
                ..Measured::default()
            },
            cpu: None,
        }
    }

    const fn closed(tasks: usize) -> LoadShape {
        LoadShape::Closed { tasks }
    }

    const fn open(rate: u64) -> LoadShape {
        LoadShape::Open { rate }
    }

    #[test]
    fn labels_the_load() {
        assert_eq!(load_label(closed(32)), "32 tasks");
        assert_eq!(load_label(closed(1)), "1 task");
        assert_eq!(load_label(open(1_000)), "1,000 req/s offered");
        let rows = [
            row(Scenario::Overview, closed(32), 1_216, 32_803),
            row(Scenario::Preview, open(2_000), 1_998, 4_100),
        ];
        let table = table(&rows);
        assert!(
            table.starts_with("| scenario | load | requests | req/s |"),
            "{table}"
        );
        assert!(
            table.contains("| overview | 32 tasks | 1,216 | **1,216** |"),
            "{table}"
        );
        assert!(
            table.contains("| preview | 2,000 req/s offered | 1,998 | **1,998** | 4,100 |"),
            "{table}"
        );
    }

    #[test]
    fn judges_throughput_closed_loop_and_latency_open_loop() {
        // The preview misses 5 ms p99 under the closed loop (its own queue) but meets it at the
        // first offered rate: met. The overview's open-loop rows cannot reach 5,000 req/s (the
        // rate is offered) and do not count; its first closed-loop row does.
        let rows = [
            row(Scenario::Overview, closed(32), 5_200, 30_000),
            row(Scenario::Preview, closed(32), 1_700, 27_525),
            row(Scenario::Overview, closed(1), 650, 2_200),
            row(Scenario::Preview, closed(1), 860, 1_673),
            row(Scenario::Overview, open(1_000), 1_000, 3_900),
            row(Scenario::Preview, open(1_000), 1_000, 3_100),
            row(Scenario::Overview, open(2_000), 1_990, 48_000),
            row(Scenario::Preview, open(2_000), 1_995, 9_000),
        ];
        assert_eq!(
            verdicts(&rows),
            "- overview ≥ 5,000 req/s: **met** (5,200 req/s at 32 tasks; 650 at 1 task)\n\
             - preview p99 < 5 ms: **met** (3,100 µs p99 at 1,000 req/s offered; 9,000 at \
             2,000 req/s offered)\n"
        );
    }

    #[test]
    fn a_fast_closed_loop_does_not_meet_the_latency_target() {
        // And the other way round: under 5 ms p99 closed-loop, over it at the first rate.
        let rows = [
            row(Scenario::Overview, closed(4), 4_000, 1_000),
            row(Scenario::Preview, closed(4), 4_000, 1_000),
            row(Scenario::Overview, open(6_000), 6_000, 2_000),
            row(Scenario::Preview, open(1_000), 1_000, 5_000),
        ];
        assert_eq!(
            verdicts(&rows),
            "- overview ≥ 5,000 req/s: **not met** (4,000 req/s at 4 tasks)\n\
             - preview p99 < 5 ms: **not met** (5,000 µs p99 at 1,000 req/s offered)\n"
        );
    }

    /// `row` as the `run`th measurement of its load.
    fn nth(run: usize, row: Row) -> Row {
        Row { run, ..row }
    }

    #[test]
    fn judges_latency_on_the_median_of_the_runs_and_shows_each() {
        // One run at 1,000 req/s caught a burst of the host's steal (13.5 ms); the other two
        // are under 5 ms, so the median run meets the target. At 500 req/s: 1,800, 1,900,
        // 7,000 -> 1,900. The table names each run.
        let rows = [
            row(Scenario::Overview, closed(32), 7_600, 8_600),
            nth(1, row(Scenario::Preview, open(1_000), 1_000, 13_491)),
            nth(2, row(Scenario::Preview, open(1_000), 1_000, 2_200)),
            nth(3, row(Scenario::Preview, open(1_000), 1_000, 1_900)),
            nth(1, row(Scenario::Preview, open(500), 500, 7_000)),
            nth(2, row(Scenario::Preview, open(500), 500, 1_800)),
            nth(3, row(Scenario::Preview, open(500), 500, 1_900)),
        ];
        assert_eq!(
            verdicts(&rows),
            "- overview ≥ 5,000 req/s: **met** (7,600 req/s at 32 tasks)\n\
             - preview p99 < 5 ms: **met** (2,200 µs p99 at 1,000 req/s offered, the median of \
             3 runs: 13,491, 2,200, 1,900; 1,900 at 500 req/s offered (median of 3))\n"
        );
        let table = table(&rows);
        assert!(
            table.contains("| preview | 1,000 req/s offered, run 2 |"),
            "{table}"
        );
        assert!(table.contains("| overview | 32 tasks |"), "{table}");
        // Two of three runs over the target: not met.
        let rows = [
            nth(1, row(Scenario::Preview, open(1_000), 1_000, 5_100)),
            nth(2, row(Scenario::Preview, open(1_000), 1_000, 4_900)),
            nth(3, row(Scenario::Preview, open(1_000), 1_000, 6_000)),
        ];
        assert!(verdicts(&rows).contains("**not met** (5,100 µs p99"));
        // An even number of runs: the worse of the two middle ones.
        assert_eq!(median(&[4_000, 6_000]), 6_000);
    }

    #[test]
    fn the_section_explains_both_load_shapes() {
        let settings = Settings {
            tasks: vec![32, 4, 1],
            rates: vec![1_000, 2_000],
            runs: 3,
            duration: Duration::from_secs(10),
            warmup: Duration::from_secs(2),
        };
        let machine = Machine {
            nproc: "2".into(),
            model: "test".into(),
            date: "today".into(),
            rustc: "rustc".into(),
            load_average: "0.00 0.00 0.00".into(),
        };
        let rows = [
            row(Scenario::Overview, closed(32), 1_216, 32_803),
            row(Scenario::Preview, open(1_000), 1_000, 3_100),
        ];
        let section = section(&rows, &settings, &machine);
        let flat = section.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "--tasks 32,4,1 --rates 1000,2000 --runs 3 --seconds 10 --warmup 2",
            "**closed loop**",
            "**open loop**",
            "Little's law",
            "scheduled send time",
            "coordinated omission",
            "throughput judged closed-loop at the first task count, latency judged open-loop \
             at the first rate, on the median of its runs.",
            "Each rate is measured 3 times",
            "preview p99 < 5 ms: **met** (3,100 µs p99 at 1,000 req/s offered)",
        ] {
            assert!(
                flat.contains(expected),
                "missing `{expected}` in:\n{section}"
            );
        }
        let prose = section.split("| scenario |").next().unwrap_or_default();
        assert!(prose.lines().all(|line| line.chars().count() <= 100));
    }

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
