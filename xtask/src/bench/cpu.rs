//! Where the CPU went during a run, from Linux's `/proc`: the server process, this process (the
//! load generator), everything else on the machine, and the time the hypervisor gave this
//! virtual machine's CPUs to someone else (steal). On a 2-core machine shared with other work
//! this tells a slow server from a starved one.

use std::time::Duration;

/// Cumulative CPU time in clock ticks, taken at one instant.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    server: u64,
    client: u64,
    machine_busy: u64,
    steal: u64,
}

/// CPU time spent between two samples, in milliseconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct Usage {
    /// The server process (all its threads, user + system).
    pub server_ms: u64,
    /// This process: the load generator and its HTTP client.
    pub client_ms: u64,
    /// Every other process on the machine, interrupts included (busy time of all CPUs minus the
    /// two above and steal).
    pub others_ms: u64,
    /// Time the hypervisor ran something else on this machine's virtual CPUs while they had
    /// work: the server and client were ready to run and could not.
    pub steal_ms: u64,
    /// Wall-clock time between the samples.
    pub wall_ms: u64,
}

impl Usage {
    /// CPU time per request in microseconds, for `ms` milliseconds spent on `requests`.
    pub fn per_request_us(ms: u64, requests: u64) -> u64 {
        ms * 1_000 / requests.max(1)
    }

    /// `ms` of CPU time as a percentage of one core over the wall-clock time (200 % = two
    /// cores busy the whole time).
    pub fn percent_of_a_core(&self, ms: u64) -> u64 {
        ms * 100 / self.wall_ms.max(1)
    }
}

/// Reads CPU counters for the server `pid`, this process and the machine. `None` where `/proc`
/// is not available (the report then leaves the CPU columns empty).
pub fn sample(server_pid: u32) -> Option<Sample> {
    Some(Sample {
        server: process_ticks(&format!("/proc/{server_pid}/stat"))?,
        client: process_ticks("/proc/self/stat")?,
        machine_busy: machine_ticks(MACHINE_BUSY)?,
        steal: machine_ticks(&[STEAL])?,
    })
}

/// The CPU time between `before` and `after`, `wall` apart.
pub fn usage(before: Sample, after: Sample, wall: Duration) -> Usage {
    let ms = |ticks: u64| ticks * 1_000 / ticks_per_second();
    let server = after.server.saturating_sub(before.server);
    let client = after.client.saturating_sub(before.client);
    let machine = after.machine_busy.saturating_sub(before.machine_busy);
    let steal = after.steal.saturating_sub(before.steal);
    Usage {
        server_ms: ms(server),
        client_ms: ms(client),
        others_ms: ms(machine.saturating_sub(server + client + steal)),
        steal_ms: ms(steal),
        wall_ms: u64::try_from(wall.as_millis()).unwrap_or(u64::MAX),
    }
}

/// `USER_HZ`, the unit of `/proc` CPU times: 100 on every mainstream Linux, asked of `getconf`
/// to be sure.
fn ticks_per_second() -> u64 {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|text| text.trim().parse().ok())
            .filter(|ticks| *ticks > 0)
            .unwrap_or(100)
    })
}

/// `utime + stime` of a process, summed over its threads, from `/proc/<pid>/stat`.
fn process_ticks(path: &str) -> Option<u64> {
    parse_process_stat(&std::fs::read_to_string(path).ok()?)
}

/// Fields 14 and 15 (`utime`, `stime`) of a `stat` line. The command name (field 2) is in
/// parentheses and may hold spaces, so fields are counted after the last `)`.
fn parse_process_stat(stat: &str) -> Option<u64> {
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

/// Columns of the `cpu` line of `/proc/stat`: user nice system idle iowait irq softirq steal.
const STEAL: usize = 7;

/// The columns that count as busy: user, nice, system, irq, softirq and steal (idle and
/// iowait left out; guest time is already in user).
const MACHINE_BUSY: &[usize] = &[0, 1, 2, 5, 6, STEAL];

/// The sum of `columns` of all CPUs together, from the `cpu` line of `/proc/stat`.
fn machine_ticks(columns: &[usize]) -> Option<u64> {
    parse_machine_stat(&std::fs::read_to_string("/proc/stat").ok()?, columns)
}

fn parse_machine_stat(stat: &str, columns: &[usize]) -> Option<u64> {
    let line = stat.lines().find(|line| line.starts_with("cpu "))?;
    let values: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    Some(columns.iter().filter_map(|i| values.get(*i)).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_process_stat_line() {
        let line = "4242 (tokio (worker)) S 1 4242 4242 0 -1 4194560 1 0 0 0 \
                    150 30 0 0 20 0 3 0 100 1000 10 0";
        assert_eq!(parse_process_stat(line), Some(180));
    }

    #[test]
    fn reads_the_machine_busy_time() {
        let stat = "cpu  100 5 50 1000 20 3 2 1 0 0\ncpu0 50 2 25 500 10 1 1 0 0 0\n";
        assert_eq!(parse_machine_stat(stat, MACHINE_BUSY), Some(161));
        assert_eq!(parse_machine_stat(stat, &[STEAL]), Some(1));
    }

    #[test]
    fn this_process_is_readable() {
        assert!(process_ticks("/proc/self/stat").is_some());
    }
}
