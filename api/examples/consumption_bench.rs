//! The detailed consumption benchmark behind `cargo xtask bench consumption` (run it through
//! xtask: it builds this in release). Never part of `cargo test`, which only compiles it.
//!
//! For each database (SQLite in a temporary file, PostgreSQL in a database of its own that is
//! dropped at the end) it starts the application in this process exactly as `billfold serve`
//! does (migrations, demo data, the HTTP router on a loopback port), signs in as Acme's billing
//! admin, then:
//!
//! 1. seeds N usage records (1,000,000 by default) for Acme through 2026 with raw multi-row
//!    inserts (one record every ~31 s, the demo's members, their teams and numbers), then
//!    `ANALYZE`;
//! 2. times filtered pages through [`ConsumptionService`], what `Customer.consumption` and
//!    its `records` connection call: for each selection (one team over June, one member over
//!    the year, everyone over June, everyone over the year), `select` plus one page of 50
//!    records, following the cursor page after page; and `select` plus `summary` (the totals
//!    and the per-day series the resolver computes with every selection);
//! 3. downloads the CSV export of the whole year through the real route
//!    (`GET /exports/consumption.csv`, bearer token) over loopback, counting rows as they
//!    arrive, with the process's peak resident memory above what it held before the download
//!    (`VmHWM` reset through `/proc/self/clear_refs`, against `VmRSS`): the server is this
//!    process, and the client keeps one network chunk at a time;
//! 4. for comparison, in the same run: the export's own reader in process (no HTTP), and the
//!    same export reading every chunk through sqlx's pool as it did before SQLite files got a
//!    reader of their own (`Db::pool_reads_only`; on PostgreSQL the two are the same path);
//!    with `--previous-loop true`, also the export loop as it was before the export got its
//!    own reading path: pages of 500 through [`ConsumptionService::records`] (the page, the
//!    `hasPreviousPage` probe, the members' and teams' names) written with a `csv::Writer`
//!    per chunk, in process, without HTTP.
//!
//! Targets (issue 12): p99 < 50 ms per filtered page; the CSV ≥ 300,000 rows/s with the
//! server's memory growing by less than 64 MiB. Figures go to stdout as Markdown tables.

// Seconds, rates and percentiles of a benchmark, never money.
#![allow(clippy::float_arithmetic)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use api::auth::Actor;
use api::config::{Config, Mode, Secret};
use api::services::page::PageRequest;
use api::services::usage::consumption::export::{CSV_HEADER, escape_cell, local_time};
use api::services::usage::consumption::{
    ConsumptionQuery, ConsumptionRecord, ConsumptionService, Selection,
};
use api::{App, AppState};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use entity::{customer, member, usage_record};
use ids::{CustomerId, MemberId, SubscriptionItemId, TeamId, UsageRecordId};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A service's error as a boxed one (`ServiceError` is not `std::error::Error`).
trait Boxed<T> {
    fn boxed(self) -> Result<T, BoxError>;
}

impl<T> Boxed<T> for api::error::ServiceResult<T> {
    fn boxed(self) -> Result<T, BoxError> {
        self.map_err(|e| format!("{e:?}").into())
    }
}

/// Rows per raw insert statement: 13 columns each stays under SQLite's 32,766 parameters.
const SEED_ROWS_PER_STATEMENT: usize = 2_000;
/// Statements per seeding transaction.
const SEED_STATEMENTS_PER_TRANSACTION: usize = 25;
/// Records per page of the table, as the portal asks.
const PAGE: u64 = 50;
/// Records per chunk of the previous export loop.
const OLD_CHUNK: u64 = 500;

struct Args {
    records: usize,
    pages: usize,
    summaries: usize,
    backends: Vec<String>,
    postgres: String,
    /// Whether to also time the previous export loop (83 s on SQLite): off while profiling the
    /// route, on for figures that need their baseline in the same run.
    previous_loop: bool,
}

fn args() -> Result<Args, BoxError> {
    let mut args = Args {
        records: 1_000_000,
        pages: 200,
        summaries: 20,
        backends: vec!["sqlite".into(), "postgres".into()],
        postgres: std::env::var("BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into()),
        previous_loop: true,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--records" => args.records = value.parse()?,
            "--pages" => args.pages = value.parse()?,
            "--summaries" => args.summaries = value.parse()?,
            "--backends" => args.backends = value.split(',').map(str::to_owned).collect(),
            "--postgres" => args.postgres = value,
            "--previous-loop" => args.previous_loop = value.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    Ok(args)
}

/// What to remove when a backend's run ends.
enum Cleanup {
    Sqlite,
    Postgres(sea_orm::DatabaseConnection, String),
}

impl Cleanup {
    async fn run(self) -> Result<(), BoxError> {
        if let Cleanup::Postgres(admin, name) = self {
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await?;
        }
        Ok(())
    }
}

/// One measured line of the report.
struct Line {
    backend: String,
    what: String,
    rows: String,
    samples: usize,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

/// One export measurement.
struct ExportLine {
    backend: String,
    what: &'static str,
    rows: u64,
    seconds: f64,
    bytes: u64,
    rss_growth: Option<u64>,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = args()?;
    let mut lines = Vec::new();
    let mut exports = Vec::new();
    for backend in &args.backends {
        let data_dir = tempfile::tempdir()?;
        let (url, cleanup) = match backend.as_str() {
            "sqlite" => (
                format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.path().join("bench.db").display()
                ),
                Cleanup::Sqlite,
            ),
            "postgres" => {
                let name = format!("billfold_consumption_bench_{}", std::process::id());
                let admin = Database::connect(&args.postgres).await?;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await?;
                let (base, _) = args.postgres.rsplit_once('/').ok_or("bad PostgreSQL URL")?;
                (format!("{base}/{name}"), Cleanup::Postgres(admin, name))
            }
            other => return Err(format!("unknown backend {other}").into()),
        };
        let result = run_backend(backend, &url, data_dir.path(), &args).await;
        cleanup.run().await?;
        let (mut measured, mut exported) = result?;
        lines.append(&mut measured);
        exports.append(&mut exported);
    }
    println!(
        "\n| database | selection | what | records in it | samples | p50 ms | p99 ms | max ms | p99 < 50 ms |"
    );
    println!("|---|---|---|---:|---:|---:|---:|---:|---|");
    for line in &lines {
        let (selection, what) = line.what.split_once(" / ").unwrap_or((&line.what, ""));
        println!(
            "| {} | {selection} | {what} | {} | {} | {:.1} | {:.1} | {:.1} | {} |",
            line.backend,
            line.rows,
            line.samples,
            ms(line.p50),
            ms(line.p99),
            ms(line.max),
            if line.p99 < Duration::from_millis(50) {
                "met"
            } else {
                "missed"
            }
        );
    }
    println!(
        "\n| database | CSV export of the year | rows | seconds | rows/s | MiB | peak RSS growth (MiB) | target |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---|");
    for e in &exports {
        let rate = e.rows as f64 / e.seconds;
        let growth = e.rss_growth.map(|b| b as f64 / 1_048_576.0);
        let verdict = match growth {
            Some(g) if rate >= 300_000.0 && g < 64.0 => "met",
            Some(_) => "missed",
            None => "(not the route)",
        };
        println!(
            "| {} | {} | {} | {:.2} | {rate:.0} | {:.1} | {} | ≥ 300,000 rows/s and < 64 MiB: {verdict} |",
            e.backend,
            e.what,
            e.rows,
            e.seconds,
            e.bytes as f64 / 1_048_576.0,
            growth.map_or_else(|| "—".to_owned(), |g| format!("{g:.1}")),
        );
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

/// Everything measured on one database.
async fn run_backend(
    backend: &str,
    url: &str,
    data_dir: &std::path::Path,
    args: &Args,
) -> Result<(Vec<Line>, Vec<ExportLine>), BoxError> {
    let mut config = Config {
        mode: Mode::Development,
        database_url: Some(Secret::new(url)),
        data_dir: data_dir.to_path_buf(),
        seed_demo: Some(true),
        seed_demo_history: true,
        listen: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        ..Config::default()
    };
    config.billing.run_every_seconds = 0;
    config.mail.poll_seconds = 0;
    config.payments.collect_every_seconds = 0;
    let app = App::start(config.validated()?).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn({
        let app = app.clone();
        async move { api::serve_on(listener, app).await }
    });
    let client = reqwest::Client::new();
    let token = login(&client, &address, "billing@acme.example").await?;
    let actor = Actor::from_claims(&app.keys.verify(&token)?)?;
    let tenant = actor
        .authenticated()
        .boxed()?
        .tenant
        .ok_or("not a customer user")?;
    let customer = customer::Entity::find_by_id(tenant)
        .one(app.db.reads())
        .await?
        .ok_or("Acme missing")?;
    let service = &app.services.consumption;
    let default = service
        .select(&actor, &customer, &ConsumptionQuery::default())
        .await
        .boxed()?;
    let item = default.items.first().ok_or("no metered item")?.id;
    let members = member::Entity::find()
        .filter(member::Column::CustomerId.eq(tenant))
        .order_by_asc(member::Column::Name)
        .all(app.db.reads())
        .await?;
    let people: Vec<(MemberId, Option<TeamId>)> =
        members.iter().map(|m| (m.id, m.team_id)).collect();
    if people.is_empty() {
        return Err("Acme has no members".into());
    }

    let started = Instant::now();
    seed(&app, tenant, item, &people, args.records).await?;
    let seeded = started.elapsed();
    // The records went in raw: their running daily totals are computed once, as a database
    // written before the totals existed is brought up to date.
    let started = Instant::now();
    let txn = app.db.begin_plain_write().await?;
    api::services::usage::days::rebuild(&txn)
        .await
        .map_err(|e| format!("rebuilding the daily totals: {e:?}"))?;
    txn.commit().await?;
    eprintln!(
        "daily totals rebuilt in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    analyze(&app).await?;
    eprintln!(
        "{backend}: seeded {} records in {:.1} s ({:.0}/s), analysed in {:.1} s",
        args.records,
        seeded.as_secs_f64(),
        args.records as f64 / seeded.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );

    // The team with the most members, and the first member of it.
    let mut sizes: HashMap<TeamId, usize> = HashMap::new();
    for (_, team) in &people {
        if let Some(team) = team {
            *sizes.entry(*team).or_default() += 1;
        }
    }
    let team = sizes
        .iter()
        .max_by_key(|(id, n)| (**n, **id))
        .map(|(id, _)| *id);
    let member = people.first().map(|(id, _)| *id);
    let june = (day(2026, 6, 1), day(2026, 6, 30));
    let year = (day(2026, 1, 1), day(2026, 12, 31));
    let selections = [
        ("one team, June", june, team, None),
        ("one member, the year", year, None, member),
        ("everyone, June", june, None, None),
        ("everyone, the year", year, None, None),
    ];
    let mut lines = Vec::new();
    for (name, (from, to), team, member) in selections {
        let query = ConsumptionQuery {
            from: Some(from),
            to: Some(to),
            team,
            member,
            ..ConsumptionQuery::default()
        };
        let selection = service.select(&actor, &customer, &query).await.boxed()?;
        let records = service.summary(&selection).await.boxed()?.records();
        // Pages, following the cursor.
        let mut samples = Vec::with_capacity(args.pages);
        let mut after = None;
        while samples.len() < args.pages {
            let started = Instant::now();
            let selection = service.select(&actor, &customer, &query).await.boxed()?;
            let page = service
                .records(
                    &selection,
                    &PageRequest {
                        limit: PAGE,
                        after: after.take(),
                    },
                )
                .await
                .boxed()?;
            samples.push(started.elapsed());
            after = if page.has_next_page {
                page.edges.last().map(|(cursor, _)| cursor.clone())
            } else {
                None
            };
        }
        lines.push(line(
            backend,
            format!("{name} / select + a page of {PAGE}"),
            records,
            samples,
        ));
        let mut samples = Vec::with_capacity(args.summaries);
        for _ in 0..args.summaries {
            let started = Instant::now();
            let selection = service.select(&actor, &customer, &query).await.boxed()?;
            std::hint::black_box(service.summary(&selection).await.boxed()?);
            samples.push(started.elapsed());
        }
        lines.push(line(
            backend,
            format!("{name} / select + totals and per-day series"),
            records,
            samples,
        ));
        eprintln!("{backend}: measured {name}");
    }

    let mut exports = Vec::new();
    let year_query = ConsumptionQuery {
        from: Some(year.0),
        to: Some(year.1),
        ..ConsumptionQuery::default()
    };
    exports.push(export_route(backend, &client, &address, &token, year).await?);
    let selection = service
        .select(&actor, &customer, &year_query)
        .await
        .boxed()?;
    exports.push(
        export_in_process(
            backend,
            "the export's reader, in process",
            service,
            &selection,
        )
        .await?,
    );
    let through_pool = service.reading_through(app.db.pool_reads_only());
    exports.push(
        export_in_process(
            backend,
            "every chunk through sqlx's pool, in process (baseline)",
            &through_pool,
            &selection,
        )
        .await?,
    );
    if args.previous_loop {
        exports.push(previous_export_loop(backend, service, &selection).await?);
    }
    // The route once more, after the old loop, so that neither benefits from going second.
    exports.push(export_route(backend, &client, &address, &token, year).await?);

    server.abort();
    drop(app);
    Ok((lines, exports))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn line(backend: &str, what: String, records: u64, mut samples: Vec<Duration>) -> Line {
    samples.sort();
    let at = |q: f64| {
        let index = ((samples.len() as f64 * q).ceil() as usize).saturating_sub(1);
        samples.get(index).copied().unwrap_or_default()
    };
    Line {
        backend: backend.to_owned(),
        what,
        rows: records.to_string(),
        samples: samples.len(),
        p50: at(0.5),
        p99: at(0.99),
        max: samples.last().copied().unwrap_or_default(),
    }
}

async fn login(client: &reqwest::Client, address: &str, email: &str) -> Result<String, BoxError> {
    let body: Value = client
        .post(format!("{address}/graphql"))
        .json(&json!({
            "query": "mutation L($input: LoginInput!) { login(input: $input) { token } }",
            "variables": { "input": { "email": email, "password": "billfold-demo" } },
        }))
        .send()
        .await?
        .json()
        .await?;
    body["data"]["login"]["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("login failed: {body}").into())
}

/// `n` records of Acme through 2026, raw multi-row inserts.
async fn seed(
    app: &AppState,
    customer: CustomerId,
    item: SubscriptionItemId,
    people: &[(MemberId, Option<TeamId>)],
    n: usize,
) -> Result<(), BoxError> {
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .ok_or("date")?;
    let step_ms = 365 * 86_400 * 1_000 / n.max(1) as i64;
    let now = Utc::now();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = |bound: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound.max(1)
    };
    let mut i = 0;
    while i < n {
        let txn = app.db.begin_plain_write().await?;
        for _ in 0..SEED_STATEMENTS_PER_TRANSACTION {
            if i >= n {
                break;
            }
            let end = (i + SEED_ROWS_PER_STATEMENT).min(n);
            let rows: Vec<usage_record::ActiveModel> = (i..end)
                .map(|k| {
                    let person = next(people.len() as u64) as usize;
                    let (member, team) = people[person];
                    let from: DateTime<Utc> =
                        start + chrono::Duration::milliseconds(step_ms * k as i64);
                    let minutes = 1 + next(18) as i64;
                    usage_record::ActiveModel::from(usage_record::Model {
                        id: UsageRecordId::new(),
                        customer_id: customer,
                        subscription_item_id: item,
                        quantity: if next(4) == 0 {
                            format!("{minutes}.5")
                        } else {
                            minutes.to_string()
                        },
                        from_at: from,
                        to_at: from + chrono::Duration::minutes(minutes),
                        idempotency_key: format!("bench-{k}"),
                        member_id: Some(member),
                        team_id: team,
                        number: Some(format!("+331900{:06}", 100 + person)),
                        properties: None,
                        invoice_id: None,
                        recorded_at: now,
                    })
                })
                .collect();
            usage_record::Entity::insert_many(rows)
                .exec_without_returning(&txn)
                .await?;
            i = end;
        }
        txn.commit().await?;
    }
    Ok(())
}

async fn analyze(app: &AppState) -> Result<(), BoxError> {
    let sql = match app.db.backend() {
        sea_orm::DbBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    };
    app.db.writes().execute_unprepared(sql).await?;
    Ok(())
}

/// A line of `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: u64 = line
        .trim_start_matches(field)
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// The year's CSV through `GET /exports/consumption.csv`.
async fn export_route(
    backend: &str,
    client: &reqwest::Client,
    address: &str,
    token: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<ExportLine, BoxError> {
    // Resets VmHWM to the current RSS (Linux ≥ 4.0), so the peak read afterwards is this
    // download's.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = status_bytes("VmRSS:").ok_or("no VmRSS")?;
    let started = Instant::now();
    let mut response = client
        .get(format!(
            "{address}/exports/consumption.csv?from={from}&to={to}"
        ))
        .bearer_auth(token)
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("export answered {}", response.status()).into());
    }
    let mut newlines = 0u64;
    let mut bytes = 0u64;
    while let Some(chunk) = response.chunk().await? {
        bytes += chunk.len() as u64;
        newlines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
    }
    let seconds = started.elapsed().as_secs_f64();
    let peak = status_bytes("VmHWM:").ok_or("no VmHWM")?;
    let rows = newlines.saturating_sub(1);
    eprintln!(
        "{backend}: CSV route {rows} rows in {seconds:.2} s, RSS {} MiB before, peak {} MiB{}",
        before / 1_048_576,
        peak / 1_048_576,
        if reset { "" } else { " (VmHWM not reset)" }
    );
    Ok(ExportLine {
        backend: backend.to_owned(),
        what: "`GET /exports/consumption.csv` (the route)",
        rows,
        seconds,
        bytes,
        rss_growth: Some(peak.saturating_sub(before)),
    })
}

/// The CSV export of `selection` through `service`, in process, chunk after chunk.
async fn export_in_process(
    backend: &str,
    what: &'static str,
    service: &ConsumptionService,
    selection: &Selection,
) -> Result<ExportLine, BoxError> {
    let started = Instant::now();
    let mut export = service.csv_export(selection.clone()).await.boxed()?;
    let (mut newlines, mut bytes) = (0u64, 0u64);
    while let Some(chunk) = export.next_chunk().await.boxed()? {
        bytes += chunk.len() as u64;
        newlines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
    }
    let seconds = started.elapsed().as_secs_f64();
    let rows = newlines.saturating_sub(1);
    eprintln!("{backend}: {what}: {rows} rows in {seconds:.2} s");
    Ok(ExportLine {
        backend: backend.to_owned(),
        what,
        rows,
        seconds,
        bytes,
        rss_growth: None,
    })
}

/// The export loop as it was: pages of 500 through `records` (page, probe, names), a
/// `csv::Writer` per chunk, in process.
async fn previous_export_loop(
    backend: &str,
    service: &ConsumptionService,
    selection: &Selection,
) -> Result<ExportLine, BoxError> {
    let started = Instant::now();
    let mut after = None;
    let mut rows = 0u64;
    let mut bytes = 0u64;
    let mut first = true;
    loop {
        let mut writer = csv::Writer::from_writer(Vec::new());
        if first {
            writer.write_record(&CSV_HEADER[..10])?;
            first = false;
        }
        let page = service
            .records(
                selection,
                &PageRequest {
                    limit: OLD_CHUNK,
                    after: after.take(),
                },
            )
            .await
            .boxed()?;
        for (_, record) in &page.edges {
            writer.write_record(previous_csv_row(selection, record))?;
            rows += 1;
        }
        bytes += writer.into_inner().map_err(|e| e.to_string())?.len() as u64;
        after = page.edges.last().map(|(cursor, _)| cursor.clone());
        if !page.has_next_page || after.is_none() {
            break;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("{backend}: previous export loop {rows} rows in {seconds:.2} s");
    Ok(ExportLine {
        backend: backend.to_owned(),
        what: "previous loop: pages of 500 with probe and names, in process",
        rows,
        seconds,
        bytes,
        rss_growth: None,
    })
}

/// A record as a CSV row the way the export wrote it before: ten `String`s.
fn previous_csv_row(selection: &Selection, record: &ConsumptionRecord) -> [String; 10] {
    let row = &record.row;
    [
        row.id.to_string(),
        local_time(selection, row.from_at),
        local_time(selection, row.to_at),
        escape_cell(&record.product),
        row.quantity.clone(),
        escape_cell(record.member.as_deref().unwrap_or_default()),
        escape_cell(record.team.as_deref().unwrap_or_default()),
        escape_cell(row.number.as_deref().unwrap_or_default()),
        if row.invoice_id.is_some() {
            "yes"
        } else {
            "no"
        }
        .to_owned(),
        row.subscription_item_id.to_string(),
    ]
}
