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
//! Targets (issue 12): ≥ 100,000 records/s on SQLite, ≥ 50,000/s on PostgreSQL, and ingestion
//! ≥ 0.5 × the raw insert. Figures go to stdout as a Markdown table.

// Seconds and rates of a benchmark, never money.
#![allow(clippy::float_arithmetic)]

use std::time::Instant;

use api::auth::TenantScope;
use api::db::{self, Db};
use api::services::usage::ingest::{FieldNames, RecordInput, ingest};
use chrono::{NaiveDate, Utc};
use entity::customer::CustomerStatus;
use entity::price::{AdditionsCharged, IntervalUnit, PricingModelKind, ProrationUnit};
use entity::product::ProductKind;
use entity::subscription::SubscriptionStatus;
use entity::{customer, price, product, subscription, subscription_item, usage_record};
use ids::{CustomerId, PriceId, ProductId, SubscriptionId, SubscriptionItemId, UsageRecordId};
use sea_orm::{ConnectionTrait, Database, EntityTrait};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Records per batch (and per raw insert statement).
const BATCH: usize = 1_000;

struct Args {
    records: usize,
    backends: Vec<String>,
    postgres: String,
}

fn args() -> Result<Args, BoxError> {
    let mut args = Args {
        records: 100_000,
        backends: vec!["sqlite".into(), "postgres".into()],
        postgres: std::env::var("BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into()),
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--records" => args.records = value.parse()?,
            "--backends" => args.backends = value.split(',').map(str::to_owned).collect(),
            "--postgres" => args.postgres = value,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    Ok(args)
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
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

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = args()?;
    println!("| database | records | ingestion (rec/s) | raw insert (rec/s) | ratio | target |");
    println!("|---|---:|---:|---:|---:|---|");
    for backend in &args.backends {
        let (url, cleanup) = match backend.as_str() {
            "sqlite" => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("u.db").display());
                (url, Cleanup::Sqlite(dir))
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
        let db = db::connect(&url).await?;
        db::migrate(&db).await?;
        let _checkpoints = db::Checkpointer::start(&db);
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
        println!(
            "| {backend} | {} | {ingested:.0} | {raw:.0} | {:.2} | ≥ {target:.0}/s and ≥ 0.5× raw: {verdict} |",
            args.records,
            ingested / raw
        );
        drop(db);
        cleanup.run().await?;
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
