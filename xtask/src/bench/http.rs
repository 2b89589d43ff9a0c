//! The HTTP load benchmark: `billfold serve` in release on loopback, one demo login, then a
//! closed-loop load on each scenario (a raw route as baseline, the portal overview query, the
//! license-change preview mutation) at each task count, and an open-loop load at each rate on
//! the two GraphQL scenarios (see [`LoadShape`] for why both).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::cpu::{self, Usage};
use super::load::{self, Load, Measured};
use super::open_loop::{self, FixedRate};
use super::report;
use super::server::{self, Server};

/// The portal's overview query, as the issue defines it.
const OVERVIEW: &str = "query Overview { viewer { user { name role } organisation { name \
    licenses { id productName quantity assigned unassigned unitPrice { formatted } } \
    upcomingCharges { invoiceDate lines { description amount { formatted } } \
    total { formatted } } } } }";

/// A prorated quote for one more seat; every call stores a quote row.
const PREVIEW: &str = "mutation Preview($input: PreviewLicenseChangeInput!) { \
    previewLicenseChange(input: $input) { quote { id proratedUnitAmount { amount } } } }";

const LOGIN: &str = "mutation Login($email: String!, $password: String!) { \
    login(input: {email: $email, password: $password}) { token } }";

/// The demo billing admin of Acme Telecom (seeded on first start).
const DEMO_EMAIL: &str = "billing@acme.example";
const DEMO_PASSWORD: &str = "billfold-demo";

/// A request without an answer after this long is an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// The open-loop client's backlog limit: past it the server is not keeping up with the offered
/// rate, and further requests count as errors rather than pile up (each in-flight request holds
/// a connection, and file descriptors are limited).
pub const MAX_IN_FLIGHT: usize = 512;

/// What is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// `GET /healthz`: axum, the middleware stack and the client, no GraphQL, no database.
    Baseline,
    /// The portal overview query (reads: viewer, licenses, upcoming charges).
    Overview,
    /// The `previewLicenseChange` mutation (a quote computed and written).
    Preview,
}

impl Scenario {
    /// Every scenario, in the order they run.
    pub const ALL: [Scenario; 3] = [Scenario::Baseline, Scenario::Overview, Scenario::Preview];

    /// The scenarios also run open-loop: the two the targets are about, and the baseline, whose
    /// tail at the same rate shows what the machine and the client alone add to every p99.
    pub const OPEN_LOOP: [Scenario; 3] = Scenario::ALL;

    /// The scenario's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Baseline => "baseline",
            Scenario::Overview => "overview",
            Scenario::Preview => "preview",
        }
    }
}

/// How the load of one measurement was applied.
///
/// A closed loop measures throughput: its clients keep the server busy, and it reports how many
/// requests the server answers per second. Its latencies are not the service's: on a saturated
/// server they are mostly the queue the clients build (Little's law: mean latency = clients /
/// throughput), and a stall delays only the requests in flight. An open loop offers requests at
/// a fixed rate whatever the answers and counts latency from each request's scheduled send time,
/// so it measures the latency a client sees at that rate, stalls included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadShape {
    /// `tasks` concurrent clients, each sending its next request when the previous answered.
    Closed {
        /// Concurrent client tasks.
        tasks: usize,
    },
    /// Requests started at `rate` per second, each in its own task.
    Open {
        /// Requests offered per second.
        rate: u64,
    },
}

impl LoadShape {
    /// Whether this is the open-loop (fixed rate) shape.
    pub fn is_open(self) -> bool {
        matches!(self, LoadShape::Open { .. })
    }
}

/// Settings of an HTTP benchmark run.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Concurrent client tasks of the closed loop; every scenario runs once per entry.
    pub tasks: Vec<usize>,
    /// Offered requests per second of the open loop; every scenario runs `runs` times per
    /// entry.
    pub rates: Vec<u64>,
    /// Measurements of every scenario at each open-loop rate, interleaved (baseline, overview,
    /// preview, baseline, …): the latency target is judged on their median.
    pub runs: usize,
    /// Measured time per scenario and load.
    pub duration: Duration,
    /// Unmeasured load before each measurement (connections, caches).
    pub warmup: Duration,
}

/// One measurement: a scenario under one load.
#[derive(Debug)]
pub struct Row {
    /// What was measured.
    pub scenario: Scenario,
    /// How the load was applied: closed loop with a number of tasks, or open loop at a rate.
    pub shape: LoadShape,
    /// Which measurement of this scenario under this load, from 1 (closed loops run once).
    pub run: usize,
    /// Requests, errors and latencies.
    pub measured: Measured,
    /// CPU time of the server, the client and the rest of the machine; `None` without `/proc`.
    pub cpu: Option<Usage>,
}

/// Builds the server, runs every scenario at every task count, then the open-loop scenarios at
/// every rate, and returns the measurements. The server is killed before this returns, whatever
/// happens.
pub fn run(settings: &Settings) -> Result<Vec<Row>, String> {
    let binary = server::build_release("api", "billfold")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
    let mut server = Server::start(&binary)?;
    let rows = runtime.block_on(measure(&mut server, settings));
    drop(server);
    rows
}

async fn measure(server: &mut Server, settings: &Settings) -> Result<Vec<Row>, String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
    let ready_after = server.wait_ready(&client).await?;
    println!(
        "server ready at {} after {ready_after:?}",
        server.base_url()
    );
    let target = Arc::new(Target::sign_in(client, server.base_url()).await?);
    let closed = settings.tasks.iter().flat_map(|&tasks| {
        Scenario::ALL.map(|scenario| (scenario, LoadShape::Closed { tasks }, 1))
    });
    let open = settings.rates.iter().flat_map(|&rate| {
        (1..=settings.runs).flat_map(move |run| {
            Scenario::OPEN_LOOP.map(|scenario| (scenario, LoadShape::Open { rate }, run))
        })
    });
    let mut rows = Vec::new();
    for (scenario, shape, run) in closed.chain(open) {
        rows.push(measure_one(server, &target, scenario, shape, run, settings).await?);
    }
    Ok(rows)
}

/// Checks one answer of `scenario`, warms up under `shape` for `settings.warmup`, then measures
/// it for `settings.duration` with the CPU time of the server and the client, as measurement
/// number `run` of that scenario and load.
async fn measure_one(
    server: &mut Server,
    target: &Arc<Target>,
    scenario: Scenario,
    shape: LoadShape,
    run: usize,
    settings: &Settings,
) -> Result<Row, String> {
    target
        .call(scenario)
        .await
        .map_err(|e| format!("{} does not answer as expected: {e}", scenario.name()))?;
    drive(target, scenario, shape, settings.warmup).await;
    let before = cpu::sample(server.pid());
    let started = Instant::now();
    let measured = drive(target, scenario, shape, settings.duration).await;
    let after = cpu::sample(server.pid());
    let cpu = before
        .zip(after)
        .map(|(b, a)| cpu::usage(b, a, started.elapsed()));
    server.check_alive()?;
    println!(
        "{:<8} {:>20}: {:>7} req/s, p50 {} µs, p99 {} µs, {} errors",
        scenario.name(),
        report::load_label(shape),
        measured.per_second(),
        measured.percentile_us(50),
        measured.percentile_us(99),
        measured.errors,
    );
    Ok(Row {
        scenario,
        shape,
        run,
        measured,
        cpu,
    })
}

/// Runs `scenario` under `shape` for `duration`.
async fn drive(
    target: &Arc<Target>,
    scenario: Scenario,
    shape: LoadShape,
    duration: Duration,
) -> Measured {
    let target = Arc::clone(target);
    let request = move || {
        let target = Arc::clone(&target);
        async move { target.call(scenario).await }
    };
    match shape {
        LoadShape::Closed { tasks } => {
            let load = Load {
                tasks,
                duration,
                timeout: REQUEST_TIMEOUT,
            };
            load::run(load, request).await
        }
        LoadShape::Open { rate } => {
            let load = FixedRate {
                per_second: rate,
                duration,
                timeout: REQUEST_TIMEOUT,
                max_in_flight: MAX_IN_FLIGHT,
            };
            open_loop::run_at_rate(load, request).await
        }
    }
}

/// The signed-in client and the prepared requests.
struct Target {
    client: reqwest::Client,
    healthz_url: String,
    graphql_url: String,
    authorization: String,
    overview_body: String,
    preview_body: String,
}

impl Target {
    /// Logs in once as the demo billing admin (login is rate limited: argon2) and finds the
    /// first license item for the preview.
    async fn sign_in(client: reqwest::Client, base_url: &str) -> Result<Target, String> {
        let mut target = Target {
            client,
            healthz_url: format!("{base_url}/healthz"),
            graphql_url: format!("{base_url}/graphql"),
            authorization: String::new(),
            overview_body: json!({ "query": OVERVIEW, "operationName": "Overview" }).to_string(),
            preview_body: String::new(),
        };
        let login = json!({
            "query": LOGIN,
            "variables": { "email": DEMO_EMAIL, "password": DEMO_PASSWORD },
        });
        let data = target.graphql(login.to_string()).await?;
        let token = data["login"]["token"]
            .as_str()
            .ok_or_else(|| format!("login gave no token: {data}"))?;
        target.authorization = format!("Bearer {token}");
        let data = target.graphql(target.overview_body.clone()).await?;
        let item_id = data["viewer"]["organisation"]["licenses"][0]["id"]
            .as_str()
            .ok_or_else(|| format!("the demo organisation has no license: {data}"))?;
        target.preview_body = json!({
            "query": PREVIEW,
            "operationName": "Preview",
            "variables": { "input": { "itemId": item_id, "delta": 1 } },
        })
        .to_string();
        Ok(target)
    }

    /// One request of `scenario`; `Err` unless the answer is a 200 without GraphQL errors.
    async fn call(&self, scenario: Scenario) -> Result<(), String> {
        match scenario {
            Scenario::Baseline => self.healthz().await,
            Scenario::Overview => self.graphql(self.overview_body.clone()).await.map(drop),
            Scenario::Preview => self.graphql(self.preview_body.clone()).await.map(drop),
        }
    }

    async fn healthz(&self) -> Result<(), String> {
        let response = self
            .client
            .get(&self.healthz_url)
            .send()
            .await
            .map_err(|e| format!("GET /healthz: {e}"))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| format!("GET /healthz: {e}"))?;
        if status == reqwest::StatusCode::OK && body.as_ref() == b"ok" {
            Ok(())
        } else {
            Err(format!("GET /healthz: {status} {}", excerpt(&body)))
        }
    }

    /// POSTs a GraphQL request and returns its `data`; a status other than 200, an `errors`
    /// entry or no `data` is an error.
    async fn graphql(&self, body: String) -> Result<Value, String> {
        let mut request = self
            .client
            .post(&self.graphql_url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body);
        if !self.authorization.is_empty() {
            request = request.header(reqwest::header::AUTHORIZATION, &self.authorization);
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("POST /graphql: {e}"))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| format!("POST /graphql: {e}"))?;
        if status != reqwest::StatusCode::OK {
            return Err(format!("POST /graphql: {status} {}", excerpt(&bytes)));
        }
        let mut value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("POST /graphql: not JSON ({e}): {}", excerpt(&bytes)))?;
        if value.get("errors").is_some() {
            return Err(format!("POST /graphql: {}", excerpt(&bytes)));
        }
        match value.get_mut("data").map(Value::take) {
            Some(data @ Value::Object(_)) => Ok(data),
            _ => Err(format!("POST /graphql: no data: {}", excerpt(&bytes))),
        }
    }
}

/// The start of a response body, for error messages.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.chars().take(300).collect()
}
