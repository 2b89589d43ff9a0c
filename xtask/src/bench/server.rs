//! The server under test: `billfold serve` built in release, on a free loopback port, with a
//! fresh data directory, killed when dropped (so also on every error path).

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long the server may take to migrate, seed the demo data and answer `/readyz`.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// Builds `package` in release (`cargo build --release -p <package>`) and returns the path of
/// its binary `name`.
pub fn build_release(package: &str, name: &str) -> Result<PathBuf, String> {
    crate::cargo(&["build", "--release", "-p", package])?;
    let binary = target_dir()?
        .join("release")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("{} was not built", binary.display()))
    }
}

/// Cargo's target directory, as `cargo metadata` reports it (it honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> Result<PathBuf, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(crate::workspace_root())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata output: {e}"))?;
    metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata gave no target_directory".to_owned())
}

/// A running `billfold serve`. Dropping it kills the process and removes its data directory.
pub struct Server {
    child: Child,
    base_url: String,
    log: PathBuf,
    // Dropped after `child` is killed (fields drop after `Drop::drop`).
    _data_dir: TempDir,
}

impl Server {
    /// Starts `binary serve` on a free `127.0.0.1` port with a new temporary data directory
    /// (SQLite database, development key, demo data) and `RUST_LOG=warn`. Output goes to a log
    /// file in the data directory. `BILLFOLD_*`, `DATABASE_URL` and `RUST_LOG` from the
    /// environment are not passed on, so the run does not depend on the caller's settings.
    pub fn start(binary: &Path) -> Result<Server, String> {
        let data_dir = tempfile::Builder::new()
            .prefix("billfold-bench-")
            .tempdir()
            .map_err(|e| format!("cannot create a data directory: {e}"))?;
        let listen = free_port()?;
        let log = data_dir.path().join("server.log");
        let stdout = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let stderr = stdout
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let mut command = Command::new(binary);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("BILLFOLD_") {
                command.env_remove(name);
            }
        }
        let child = command
            .arg("serve")
            .env_remove("DATABASE_URL")
            .env("BILLFOLD_LISTEN", listen.to_string())
            .env("BILLFOLD_DATA_DIR", data_dir.path())
            .env("RUST_LOG", "warn")
            .current_dir(data_dir.path())
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        Ok(Server {
            child,
            base_url: format!("http://{listen}"),
            log,
            _data_dir: data_dir,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The server's process id, to read its CPU time.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Polls `GET /readyz` until it answers 200; fails when the server exits or is not ready
    /// within a minute.
    pub async fn wait_ready(&mut self, client: &reqwest::Client) -> Result<Duration, String> {
        let started = Instant::now();
        let url = format!("{}/readyz", self.base_url);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "the server exited ({status}):\n{}",
                    self.log_tail()
                ));
            }
            if let Ok(response) = client.get(&url).send().await
                && response.status() == reqwest::StatusCode::OK
            {
                return Ok(started.elapsed());
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(format!(
                    "the server was not ready within {READY_TIMEOUT:?}:\n{}",
                    self.log_tail()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether the process is still running (checked after each scenario).
    pub fn check_alive(&mut self) -> Result<(), String> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!(
                "the server exited ({status}):\n{}",
                self.log_tail()
            )),
            Err(e) => Err(format!("cannot check the server process: {e}")),
        }
    }

    /// The last lines of the server's output, for error messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on now. The server binds it a moment later; the race with another
/// process taking it in between is accepted (the start then fails with a clear message).
fn free_port() -> Result<SocketAddr, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map_err(|e| format!("cannot find a free port: {e}"))
}
