//! `cargo xtask <task>`: the scripts a developer and CI run, in Rust so they work wherever
//! cargo does.
//!
//! - `schema`: regenerate `schema.graphql` from the code (`billfold schema`);
//! - `ci`: what `.ci/run` runs: format check, clippy with warnings as errors, the whole suite;
//! - `bench [billing|documents|http]`: the benchmarks: criterion for the `billing` crate, the
//!   invoice PDF rendering times of `documents`, then the HTTP load benchmark of
//!   `billfold serve` (see `bench/mod.rs`).

mod bench;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().cloned().unwrap_or_default();
    let result = match task.as_str() {
        "schema" => schema(),
        "ci" => ci(),
        "bench" => bench::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <schema|ci|bench>\n       {}",
                bench::USAGE
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {task}: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn cargo(args: &[&str]) -> Result<(), String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed", args.join(" ")))
    }
}

fn schema() -> Result<(), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "run", "--quiet", "-p", "api", "--bin", "billfold", "--", "schema",
        ])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let path = workspace_root().join("schema.graphql");
    std::fs::write(&path, &output.stdout).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

fn ci() -> Result<(), String> {
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&["test", "--workspace"])
}
