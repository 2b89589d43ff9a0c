//! `cargo xtask bench [billing|documents|http] [options]`: the benchmarks.
//!
//! - `billing`: criterion benchmarks of the pure domain (`cargo bench -p billing`);
//! - `documents`: invoice PDF rendering times (`cargo bench -p documents`, a release build that
//!   prints a Markdown table of medians against the targets; see `documents/benches/render.rs`);
//! - `http`: the HTTP load benchmark against a release `billfold serve` (see [`http`]), whose
//!   figures replace the "HTTP load" section of `BENCHMARKS.md`.
//!
//! - `billing-run`: the billing run over 100,000 subscriptions on SQLite and PostgreSQL with 1
//!   and 4 workers, against a set-based insert of the same rows (see [`billing_run`]); only
//!   when named.
//!
//! - `usage`: usage ingestion in batches of 1,000 with the dedupe index on SQLite and
//!   PostgreSQL, against a raw batched insert of the same rows (see `usage`); only when named.
//!
//! - `consumption`: filtered consumption pages (p50/p99) and the CSV export over 1,000,000
//!   records of one tenant (see `consumption`); only when named.
//!
//! Without a part, all three run: billing, documents, then HTTP. Options of the HTTP part:
//! `--tasks 32,4,1` (closed loop: concurrent client tasks; every scenario runs once per value,
//! and the throughput target is judged at the first: 32 measures saturation, 1 the latency of a
//! lone client),
//! `--rates 1000,500` (open loop: requests offered per second; every scenario runs `--runs`
//! times per value after the closed-loop runs, and the latency target is judged at the first),
//! `--runs 3` (open-loop measurements per rate, interleaved across scenarios; the latency
//! target is judged on their median, so that one burst of the host's steal does not decide it),
//! `--seconds 10` (measured time per scenario and load, open loop included), `--warmup 2`
//! (seconds, before every measurement), `--no-write` (print the table only, leave
//! `BENCHMARKS.md` alone).

mod cpu;
mod http;
mod load;
mod open_loop;
mod report;
mod server;

use std::time::Duration;

/// The usage line of `cargo xtask bench`.
pub const USAGE: &str = "cargo xtask bench [billing|documents|http] [--tasks 32,4,1] \
                         [--rates 1000,500] [--runs 3] [--seconds 10] [--warmup 2] [--no-write]\n       \
                         cargo xtask bench billing-run [--subscriptions 100000] [--workers 1,4] \
                         [--backends sqlite,postgres] [--postgres URL]\n       \
                         cargo xtask bench usage [--records 100000] [--backends sqlite,postgres] \
                         [--postgres URL]\n       \
                         cargo xtask bench consumption [--records 1000000] [--pages 200] \
                         [--summaries 20] [--backends sqlite,postgres] [--postgres URL]";

/// Which parts run, with which settings.
#[derive(Debug)]
struct Options {
    billing: bool,
    documents: bool,
    http: bool,
    settings: http::Settings,
    write: bool,
    /// The options of the HTTP part as given, to pass on to a release build.
    http_args: Vec<String>,
}

/// Runs `cargo xtask bench` with the arguments after `bench`.
pub fn run(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("billing-run") {
        return billing_run(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("usage") {
        return usage(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("consumption") {
        return consumption(&args[1..]);
    }
    let options = parse(args)?;
    if options.billing {
        crate::cargo(&["bench", "-p", "billing"])?;
    }
    if options.documents {
        crate::cargo(&["bench", "-p", "documents"])?;
    }
    if options.http {
        run_http(&options)?;
    }
    Ok(())
}

/// `cargo xtask bench billing-run [--subscriptions 100000] [--workers 1,4]
/// [--backends sqlite,postgres] [--postgres URL]`: the billing-run benchmark, a release build
/// of `api/examples/billing_run_bench.rs` (its docs say what it measures). It prints a Markdown
/// table for `BENCHMARKS.md`; nothing is written.
fn billing_run(args: &[String]) -> Result<(), String> {
    release_example("billing_run_bench", args)
}

/// `cargo xtask bench usage [--records 100000] [--backends sqlite,postgres] [--postgres URL]`:
/// usage ingestion in batches of 1,000 through the ingestion service against a raw batched
/// insert of as many rows, a release build of `api/examples/usage_bench.rs` (its docs say what
/// it measures). It prints a Markdown table; nothing is written.
fn usage(args: &[String]) -> Result<(), String> {
    release_example("usage_bench", args)
}

/// `cargo xtask bench consumption [--records 1000000] [--pages 200] [--summaries 20]
/// [--backends sqlite,postgres] [--postgres URL]`: filtered consumption pages and the CSV
/// export over one tenant's records, a release build of `api/examples/consumption_bench.rs`
/// (its docs say what it measures). It prints Markdown tables; nothing is written.
fn consumption(args: &[String]) -> Result<(), String> {
    release_example("consumption_bench", args)
}

/// Builds the workspace's examples in release (`--workspace`, so that features are those of
/// every other build and nothing heavy is rebuilt) and runs the example `name` with `args`.
fn release_example(name: &str, args: &[String]) -> Result<(), String> {
    crate::cargo(&["build", "--release", "--workspace", "--examples"])?;
    let binary = server::target_dir()?
        .join("release")
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let status = std::process::Command::new(&binary)
        .args(args)
        .current_dir(crate::workspace_root())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{name} failed ({status})"))
    }
}

fn run_http(options: &Options) -> Result<(), String> {
    if cfg!(debug_assertions) {
        // `cargo xtask` is a debug build, and the load generator shares the CPU with the server:
        // it must be optimised. Run the HTTP part from a release build of this program.
        let xtask = server::build_release("xtask", "xtask")?;
        let status = std::process::Command::new(&xtask)
            .args(["bench", "http"])
            .args(&options.http_args)
            .current_dir(crate::workspace_root())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", xtask.display()))?;
        return if status.success() {
            Ok(())
        } else {
            Err(format!("the HTTP benchmark failed ({status})"))
        };
    }
    let machine = report::Machine::describe();
    let rows = http::run(&options.settings)?;
    println!("\n{}", report::table(&rows));
    print!("{}", report::verdicts(&rows));
    let errors: u64 = rows.iter().map(|row| row.measured.errors).sum();
    if errors > 0 {
        let first = rows
            .iter()
            .find_map(|row| row.measured.first_error.as_deref())
            .unwrap_or_default();
        return Err(format!(
            "{errors} requests failed (first: {first}); BENCHMARKS.md left alone"
        ));
    }
    if options.write {
        let path = crate::workspace_root().join("BENCHMARKS.md");
        let document = std::fs::read_to_string(&path).unwrap_or_default();
        let section = report::section(&rows, &options.settings, &machine);
        std::fs::write(&path, report::replace_section(&document, &section))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        println!("\nwrote the HTTP load section of {}", path.display());
    }
    Ok(())
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        billing: true,
        documents: true,
        http: true,
        settings: http::Settings {
            tasks: vec![32, 4, 1],
            rates: vec![1_000, 500],
            runs: 3,
            duration: Duration::from_secs(10),
            warmup: Duration::from_secs(2),
        },
        write: true,
        http_args: args
            .iter()
            .filter(|arg| !matches!(arg.as_str(), "billing" | "documents" | "http"))
            .cloned()
            .collect(),
    };
    let mut args = args.iter();
    let mut part_chosen = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "billing" | "documents" | "http" if !part_chosen => {
                part_chosen = true;
                options.billing = arg == "billing";
                options.documents = arg == "documents";
                options.http = arg == "http";
            }
            "--tasks" => {
                options.settings.tasks = value("--tasks", &mut args)?
                    .split(',')
                    .map(|n| n.trim().parse().ok().filter(|n| *n > 0))
                    .collect::<Option<_>>()
                    .ok_or_else(|| format!("--tasks takes positive numbers; usage: {USAGE}"))?;
            }
            "--rates" => {
                let text = value("--rates", &mut args)?;
                options.settings.rates = text
                    .split(',')
                    .map(|n| n.trim().parse().ok().filter(|n| *n > 0))
                    .collect::<Option<_>>()
                    .ok_or_else(|| {
                        format!(
                            "`{text}`: --rates takes positive numbers of requests per second, \
                             comma-separated; usage: {USAGE}"
                        )
                    })?;
            }
            "--runs" => {
                let text = value("--runs", &mut args)?;
                options.settings.runs = text
                    .parse()
                    .ok()
                    .filter(|n| (1..=20).contains(n))
                    .ok_or_else(|| format!("`{text}`: --runs must be 1 to 20; usage: {USAGE}"))?;
            }
            "--seconds" => options.settings.duration = seconds(&value("--seconds", &mut args)?)?,
            "--warmup" => options.settings.warmup = seconds(&value("--warmup", &mut args)?)?,
            "--no-write" => options.write = false,
            other => return Err(format!("unexpected argument `{other}`; usage: {USAGE}")),
        }
    }
    Ok(options)
}

fn value(name: &str, args: &mut std::slice::Iter<'_, String>) -> Result<String, String> {
    args.next()
        .cloned()
        .ok_or_else(|| format!("{name} needs a value; usage: {USAGE}"))
}

fn seconds(text: &str) -> Result<Duration, String> {
    text.parse()
        .ok()
        .filter(|s| (1..=600).contains(s))
        .map(Duration::from_secs)
        .ok_or_else(|| format!("`{text}`: seconds must be 1 to 600; usage: {USAGE}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn reads_the_number_of_open_loop_runs() {
        assert_eq!(parse(&[]).unwrap().settings.runs, 3);
        assert_eq!(parse(&args("http --runs 5")).unwrap().settings.runs, 5);
        for bad in ["0", "21", "x", "-1"] {
            let error = parse(&["--runs".to_owned(), bad.to_owned()]).unwrap_err();
            assert!(error.contains("--runs must be 1 to 20"), "{error}");
        }
        assert!(parse(&args("--runs")).is_err());
    }

    #[test]
    fn every_part_by_default() {
        let options = parse(&[]).unwrap();
        assert!(options.billing && options.documents && options.http && options.write);
        assert_eq!(options.settings.tasks, [32, 4, 1]);
        assert_eq!(options.settings.rates, [1_000, 500]);
        assert_eq!(options.settings.duration, Duration::from_secs(10));
    }

    #[test]
    fn rates_of_the_open_loop() {
        let options = parse(&args("http --rates 500,1500 --no-write")).unwrap();
        assert_eq!(options.settings.rates, [500, 1_500]);
        assert_eq!(options.settings.tasks, [32, 4, 1]);
        assert_eq!(options.http_args, args("--rates 500,1500 --no-write"));
        let one = parse(&args("--rates 3000")).unwrap();
        assert_eq!(one.settings.rates, [3_000]);
        let spaced = parse(&["--rates".to_owned(), "1000, 2000".to_owned()]).unwrap();
        assert_eq!(spaced.settings.rates, [1_000, 2_000]);
    }

    #[test]
    fn refuses_empty_or_zero_rates() {
        for bad in ["", "0", "1000,0", "1000,", "-5", "fast", "1.5"] {
            let error = parse(&["--rates".to_owned(), bad.to_owned()]).unwrap_err();
            assert!(error.contains("--rates takes positive numbers"), "{error}");
        }
        assert!(parse(&args("--rates")).is_err());
    }

    #[test]
    fn one_part_and_http_options() {
        let options = parse(&args("http --tasks 1,4,32 --seconds 5 --no-write")).unwrap();
        assert!(!options.billing && options.http && !options.write);
        assert_eq!(options.settings.tasks, [1, 4, 32]);
        assert_eq!(options.settings.duration, Duration::from_secs(5));
        assert_eq!(
            options.http_args,
            args("--tasks 1,4,32 --seconds 5 --no-write")
        );
        assert!(parse(&args("billing")).unwrap().billing);
        assert!(!parse(&args("billing")).unwrap().http);
        assert!(!parse(&args("billing")).unwrap().documents);
    }

    #[test]
    fn the_documents_part_alone() {
        let options = parse(&args("documents")).unwrap();
        assert!(options.documents && !options.billing && !options.http);
        assert!(options.http_args.is_empty());
        assert!(parse(&args("documents http")).is_err());
    }

    #[test]
    fn refuses_nonsense() {
        assert!(parse(&args("http billing")).is_err());
        assert!(parse(&args("--tasks 0")).is_err());
        assert!(parse(&args("--tasks")).is_err());
        assert!(parse(&args("--seconds 0")).is_err());
        assert!(parse(&args("everything")).is_err());
    }
}
