//! The usage ingestion benchmark behind `cargo xtask bench usage` (run it through xtask: it
//! builds this in release). Never part of `cargo test`, which only compiles it.
//!
//! For each database (SQLite in a temporary file, PostgreSQL in a database of its own that is
//! dropped at the end) it seeds one customer with a metered subscription item, then times:
//!
//! - **ingestion**: N records (10 % of them repeating an earlier key) recorded in batches of
//!   1,000 through the ingestion service itself ([`api::services::usage::ingest::ingest`]):
//!   the batch validated, then `INSERT … ON CONFLICT DO NOTHING` against the dedupe index, one
//!   plain write transaction per batch, as `recordUsage` does;
//! - **raw insert**: the same number of rows, for a second customer, as plain multi-row
//!   inserts of 1,000 rows per statement and transaction, no validation, no conflict clause:
//!   the floor of writing those rows at all.
//!
//! - **the portal during ingestion**: the application serves its router on a loopback port in
//!   this process (demo data seeded, as `billfold serve` does) and Acme's billing admin's
//!   overview query (the HTTP benchmark's, `xtask/src/bench/http.rs`) is sent in a closed loop
//!   (`--tasks`, `--seconds`) by the HTTP benchmark's load generator
//!   (`xtask/src/bench/load.rs`, included here), first alone, then while batches of 1,000
//!   records for Acme's own metered item in its current period (what its upcoming charges
//!   sum) are ingested one after the other for the whole measurement. Client, server and
//!   ingestion share this process and the machine's cores.
//!
//! Targets (issue 12): ≥ 100,000 records/s on SQLite, ≥ 50,000/s on PostgreSQL, and ingestion
//! ≥ 0.5 × the raw insert; the overview's throughput during ingestion is reported. Figures go to
//! stdout as Markdown tables.

// Seconds and rates of a benchmark, never money.
#![allow(clippy::float_arithmetic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use api::App;
use api::auth::TenantScope;
use api::config::{Config, Mode, Secret};
use api::db::Db;
use api::services::usage::ingest::{FieldNames, RecordInput, ingest};
use chrono::{NaiveDate, Utc};
use entity::customer::CustomerStatus;
use entity::price::{AdditionsCharged, IntervalUnit, PricingModelKind, ProrationUnit};
use entity::product::ProductKind;
use entity::subscription::SubscriptionStatus;
use entity::{customer, price, product, subscription, subscription_item, usage_record};
use ids::{CustomerId, PriceId, ProductId, SubscriptionId, SubscriptionItemId, UsageRecordId};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter};
use serde_json::{Value, json};

/// The HTTP benchmark's closed-loop load generator, shared rather than copied.
#[path = "../../xtask/src/bench/load.rs"]
#[allow(dead_code)]
mod load;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The portal's overview query, as the HTTP benchmark sends it (`xtask/src/bench/http.rs`).
const OVERVIEW: &str = "query Overview { viewer { user { name role } organisation { name \
    licenses { id productName quantity assigned unassigned unitPrice { formatted } } \
    upcomingCharges { invoiceDate lines { description amount { formatted } } \
    total { formatted } } } } }";

/// Records per batch (and per raw insert statement).
const BATCH: usize = 1_000;

struct Args {
    records: usize,
    backends: Vec<String>,
    postgres: String,
    tasks: usize,
    seconds: u64,
}

fn args() -> Result<Args, BoxError> {
    let mut args = Args {
        records: 100_000,
        backends: vec!["sqlite".into(), "postgres".into()],
        postgres: std::env::var("BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into()),
        tasks: 4,
        seconds: 10,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--records" => args.records = value.parse()?,
            "--backends" => args.backends = value.split(',').map(str::to_owned).collect(),
            "--postgres" => args.postgres = value,
            "--tasks" => args.tasks = value.parse()?,
            "--seconds" => args.seconds = value.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    Ok(args)
}

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

/// The overview's throughput in one phase.
struct Portal {
    backend: String,
    phase: &'static str,
    measured: load::Measured,
    /// Records ingested per second meanwhile, when ingesting.
    ingested: Option<f64>,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = args()?;
    let mut rows = Vec::new();
    let mut portal = Vec::new();
    for backend in &args.backends {
        let dir = tempfile::tempdir()?;
        let (url, cleanup) = match backend.as_str() {
            "sqlite" => {
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("u.db").display());
                (url, Cleanup::Sqlite)
            }
            "postgres" => {
                let name = format!("billfold_usage_bench_{}", std::process::id());
                let admin = Database::connect(&args.postgres).await?;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await?;
                let (base, _) = args.postgres.rsplit_once('/').ok_or("bad PostgreSQL URL")?;
                (format!("{base}/{name}"), Cleanup::Postgres(admin, name))
            }
            other => return Err(format!("unknown backend {other}").into()),
        };
        let result = run_backend(backend, &url, dir.path(), &args).await;
        cleanup.run().await?;
        let (row, mut phases) = result?;
        rows.push(row);
        portal.append(&mut phases);
    }
    println!("\n| database | records | ingestion (rec/s) | raw insert (rec/s) | ratio | target |");
    println!("|---|---:|---:|---:|---:|---|");
    for row in &rows {
        println!("{row}");
    }
    println!(
        "\n| database | overview, {} tasks | requests | req/s | p50 µs | p99 µs | errors | ingested meanwhile (rec/s) |",
        args.tasks
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for p in &portal {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            p.backend,
            p.phase,
            p.measured.requests,
            p.measured.per_second(),
            p.measured.percentile_us(50),
            p.measured.percentile_us(99),
            p.measured.errors,
            p.ingested
                .map_or_else(|| "—".to_owned(), |r| format!("{r:.0}")),
        );
    }
    Ok(())
}

/// Ingestion against the raw insert, then the overview alone and during ingestion, on `url`.
async fn run_backend(
    backend: &str,
    url: &str,
    data_dir: &std::path::Path,
    args: &Args,
) -> Result<(String, Vec<Portal>), BoxError> {
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
    let db = app.db.clone();
    let (ingested, raw) = measure(&db, args.records).await?;
    let target = if backend == "sqlite" {
        100_000.0
    } else {
        50_000.0
    };
    let verdict = if ingested >= target && ingested >= 0.5 * raw {
        "met"
    } else {
        "missed"
    };
    let row = format!(
        "| {backend} | {} | {ingested:.0} | {raw:.0} | {:.2} | ≥ {target:.0}/s and ≥ 0.5× raw: {verdict} |",
        args.records,
        ingested / raw
    );
    eprintln!("{row}");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn({
        let app = app.clone();
        async move { api::serve_on(listener, app).await }
    });
    let client = reqwest::Client::new();
    let token = login(&client, &address, "billing@acme.example").await?;
    let acme = entity::customer::Entity::find()
        .filter(entity::customer::Column::Name.eq("Acme Telecom"))
        .one(db.reads())
        .await?
        .ok_or("Acme Telecom missing")?;
    let item = usage_record::Entity::find()
        .filter(usage_record::Column::CustomerId.eq(acme.id))
        .one(db.reads())
        .await?
        .ok_or("Acme has no demo usage")?
        .subscription_item_id;
    let load = load::Load {
        tasks: args.tasks,
        duration: Duration::from_secs(args.seconds),
        timeout: Duration::from_secs(5),
    };
    // A short warm-up, then the overview alone.
    overview(
        &client,
        &address,
        &token,
        load::Load {
            duration: Duration::from_secs(1),
            ..load
        },
    )
    .await;
    let alone = overview(&client, &address, &token, load).await;
    eprintln!("{backend}: overview alone {} req/s", alone.per_second());
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let ingestion = tokio::spawn({
        let (db, stop, written) = (db.clone(), stop.clone(), written.clone());
        async move { ingest_until(&db, item, &stop, &written).await }
    });
    let started = Instant::now();
    let during = overview(&client, &address, &token, load).await;
    stop.store(true, Ordering::SeqCst);
    let elapsed = started.elapsed().as_secs_f64();
    ingestion.await??;
    let rate = written.load(Ordering::SeqCst) as f64 / elapsed;
    eprintln!(
        "{backend}: overview during ingestion {} req/s, {rate:.0} records/s",
        during.per_second()
    );
    server.abort();
    let phases = vec![
        Portal {
            backend: backend.to_owned(),
            phase: "alone",
            measured: alone,
            ingested: None,
        },
        Portal {
            backend: backend.to_owned(),
            phase: "during ingestion",
            measured: during,
            ingested: Some(rate),
        },
    ];
    Ok((row, phases))
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

/// The overview query in a closed loop; an answer with `errors` counts as an error.
async fn overview(
    client: &reqwest::Client,
    address: &str,
    token: &str,
    shape: load::Load,
) -> load::Measured {
    let client = client.clone();
    let url = format!("{address}/graphql");
    let bearer = format!("Bearer {token}");
    let body = Arc::new(json!({ "query": OVERVIEW }));
    load::run(shape, move || {
        let request = client
            .post(&url)
            .header("authorization", &bearer)
            .json(&*body);
        async move {
            let response = request.send().await.map_err(|e| e.to_string())?;
            let status = response.status();
            let answer: Value = response.json().await.map_err(|e| e.to_string())?;
            if !status.is_success() || answer.get("errors").is_some() {
                return Err(format!("{status}: {answer}"));
            }
            Ok(())
        }
    })
    .await
}

/// Batches of 1,000 new records for `item`, one after the other, until `stop`; counts them in
/// `written`. The records fall an hour ago, in the item's current period.
async fn ingest_until(
    db: &Db,
    item: SubscriptionItemId,
    stop: &AtomicBool,
    written: &AtomicU64,
) -> Result<(), BoxError> {
    let at = (Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let mut next = 0usize;
    while !stop.load(Ordering::SeqCst) {
        let batch: Vec<RecordInput> = (next..next + BATCH)
            .map(|i| RecordInput {
                subscription_item: item.to_string(),
                quantity: "1.5".into(),
                from: at.clone(),
                to: at.clone(),
                idempotency_key: format!("during-{i}"),
                ..RecordInput::default()
            })
            .collect();
        next += BATCH;
        let txn = db.begin_plain_write().await?;
        let (report, _) = ingest(
            &txn,
            TenantScope::All,
            &batch,
            FieldNames::GRAPHQL,
            0,
            Utc::now(),
        )
        .await
        .map_err(|e| format!("ingestion failed: {e:?}"))?;
        txn.commit().await?;
        written.fetch_add(report.inserted, Ordering::SeqCst);
    }
    Ok(())
}

/// Seeds two customers with a metered item each; returns (ingestion rate, raw insert rate).
async fn measure(db: &Db, n: usize) -> Result<(f64, f64), BoxError> {
    let (_, item) = seed(db, "Ingested").await?;
    let (raw_customer, raw_item) = seed(db, "Raw").await?;
    let from = "2026-04-03T10:00:00Z".to_owned();
    // Every tenth record repeats the key of the one five before it: 10 % duplicates.
    let records: Vec<RecordInput> = (0..n)
        .map(|i| {
            let key = if i % 10 == 9 { i - 5 } else { i };
            RecordInput {
                subscription_item: item.to_string(),
                quantity: "1.5".into(),
                from: from.clone(),
                to: from.clone(),
                idempotency_key: format!("call-{key}"),
                ..RecordInput::default()
            }
        })
        .collect();
    let started = Instant::now();
    let mut inserted = 0;
    for batch in records.chunks(BATCH) {
        let txn = db.begin_plain_write().await?;
        let (report, _) = ingest(
            &txn,
            TenantScope::All,
            batch,
            FieldNames::GRAPHQL,
            0,
            Utc::now(),
        )
        .await
        .map_err(|e| format!("ingestion failed: {e:?}"))?;
        txn.commit().await?;
        inserted += report.inserted;
    }
    let ingested = n as f64 / started.elapsed().as_secs_f64();
    eprintln!("ingested {n} records, {inserted} new");

    let at = chrono::DateTime::parse_from_rfc3339(&from)?.with_timezone(&Utc);
    let started = Instant::now();
    for (b, chunk) in (0..n).collect::<Vec<_>>().chunks(BATCH).enumerate() {
        let rows = chunk.iter().map(|i| {
            usage_record::ActiveModel::from(usage_record::Model {
                id: UsageRecordId::new(),
                customer_id: raw_customer,
                subscription_item_id: raw_item,
                quantity: "1.5".into(),
                from_at: at,
                to_at: at,
                idempotency_key: format!("raw-{b}-{i}"),
                member_id: None,
                team_id: None,
                number: None,
                properties: None,
                invoice_id: None,
                recorded_at: Utc::now(),
            })
        });
        let txn = db.begin_plain_write().await?;
        usage_record::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
    }
    let raw = n as f64 / started.elapsed().as_secs_f64();
    Ok((ingested, raw))
}

/// A customer with a monthly subscription to a metered per-minute price.
async fn seed(db: &Db, name: &str) -> Result<(CustomerId, SubscriptionItemId), BoxError> {
    let now = Utc::now();
    let day = |d| NaiveDate::from_ymd_opt(2026, 4, d).unwrap_or_default();
    let customer = CustomerId::new();
    let product = ProductId::new();
    let price = PriceId::new();
    let subscription = SubscriptionId::new();
    let item = SubscriptionItemId::new();
    let txn = db.begin_plain_write().await?;
    customer::Entity::insert(customer::ActiveModel::from(customer::Model {
        id: customer,
        name: name.into(),
        company: None,
        email: "usage@bench.example".into(),
        currency: "EUR".into(),
        time_zone: "UTC".into(),
        status: CustomerStatus::Active,
        tax_rate: None,
        created_at: now,
        updated_at: now,
        revision: 1,
        credit_balance_minor: 0,
        country: None,
        region: None,
        tax_id: None,
        tax_exempt: false,
        payment_terms_days: 0,
        po_number: None,
        invoice_email: None,
        email_invoices: false,
        external_reference: None,
        tags: "[]".into(),
        billing_interval_unit: entity::price::IntervalUnit::Month,
        billing_interval_count: 1,
        invoice_notes: None,
    }))
    .exec_without_returning(&txn)
    .await?;
    product::Entity::insert(product::ActiveModel::from(product::Model {
        id: product,
        name: "Minutes".into(),
        code: format!("min-{}", product),
        kind: ProductKind::Metered,
        description: None,
        active: true,
        created_at: now,
    }))
    .exec_without_returning(&txn)
    .await?;
    price::Entity::insert(price::ActiveModel::from(price::Model {
        id: price,
        product_id: product,
        version: 1,
        currency: "EUR".into(),
        interval_unit: IntervalUnit::Month,
        interval_count: 1,
        model: PricingModelKind::PerUnit,
        unit_amount: Some("0.05".into()),
        package_size: None,
        tiers: None,
        taxable: true,
        proration_unit: ProrationUnit::Day,
        additions_charged: AdditionsCharged::NextInvoice,
        credit_removals: false,
        remove_one_at_a_time: false,
        min_quantity: 0,
        max_quantity: None,
        active: true,
        created_at: now,
    }))
    .exec_without_returning(&txn)
    .await?;
    subscription::Entity::insert(subscription::ActiveModel::from(subscription::Model {
        id: subscription,
        customer_id: customer,
        status: SubscriptionStatus::Active,
        interval_unit: IntervalUnit::Month,
        interval_count: 1,
        anchor_date: day(1),
        current_period_start: day(1),
        current_period_end: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap_or_default(),
        next_invoice_date: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap_or_default(),
        cancel_at: None,
        created_at: now,
        po_number: None,
        invoice_notes: None,
        automatic_payment: true,
    }))
    .exec_without_returning(&txn)
    .await?;
    subscription_item::Entity::insert(subscription_item::ActiveModel::from(
        subscription_item::Model {
            id: item,
            subscription_id: subscription,
            customer_id: customer,
            price_id: price,
            quantity: 1,
            unit_price_override: None,
            version: 1,
            created_at: now,
            updated_at: now,
        },
    ))
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok((customer, item))
}
