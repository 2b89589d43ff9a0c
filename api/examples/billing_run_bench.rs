//! The billing-run benchmark behind `cargo xtask bench billing-run` (run it through xtask: it
//! builds this in release). Never part of `cargo test`, which only compiles it.
//!
//! For each database (SQLite in a temporary file, PostgreSQL in a database of its own that is
//! dropped at the end) it seeds N subscriptions of mixed shape once, then for each worker count
//! resets them to one due period and times a recorded run (what `billfold bill --workers N`
//! does, progress writes included) from its start to its last commit. The baseline, in the
//! same process on the same database, is a set-based SQL insert of as many invoice and line
//! rows as the run wrote (copies of them, in one transaction): the floor of writing those rows
//! at all. Figures go to stdout as a Markdown table.
//!
//! Shapes (subscription `i` of customer `i / 2`): seats only; a graduated (tiered) item only;
//! seats, tiered and a flat support item; seats and support. Every fifth subscription carries
//! a proration waiting for its invoice, every sixth a one-time setup fee. One customer in ten
//! bills in JPY, one in ten in KWD, the rest in EUR; a quarter pay 20 % VAT by their country's
//! rate table, a quarter 20 % kept on the customer, the rest are exempt; one in seven has a
//! 10 % coupon on every invoice and one in ten a credit balance its first invoice uses.

// Seconds and rates of a benchmark, never money.
#![allow(clippy::float_arithmetic)]

use std::sync::Arc;
use std::time::Instant;

use api::db::{self, Db};
use api::services::invoices::{BillingRuns, RunProgress};
use chrono::{NaiveDate, Utc};
use entity::billing_run::RunOrigin;
use entity::customer::CustomerStatus;
use entity::price::{AdditionsCharged, IntervalUnit, PricingModelKind, ProrationUnit};
use entity::product::ProductKind;
use entity::subscription::SubscriptionStatus;
use entity::unbilled_charge::ChargeKind;
use entity::{
    billing_run, coupon, coupon_redemption, credit_entry, customer, invoice, invoice_line,
    number_sequence, one_off_charge, price, product, subscription, subscription_item, tax_rate,
    unbilled_charge,
};
use ids::{
    ChargeId, CouponId, CouponRedemptionId, CustomerId, PriceId, ProductId, SubscriptionId,
    SubscriptionItemId, TaxRateId,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, Database, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, QueryTrait, TransactionTrait,
};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Rows per multi-row insert while seeding (under SQLite's and PostgreSQL's parameter limits).
const CHUNK: usize = 1_000;

struct Args {
    subscriptions: usize,
    workers: Vec<u32>,
    backends: Vec<String>,
    postgres: String,
}

fn args() -> Result<Args, BoxError> {
    let mut args = Args {
        subscriptions: 100_000,
        workers: vec![1, 4],
        backends: vec!["sqlite".into(), "postgres".into()],
        postgres: std::env::var("BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into()),
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--subscriptions" => args.subscriptions = value.parse()?,
            "--workers" => {
                args.workers = value.split(',').map(str::parse).collect::<Result<_, _>>()?;
            }
            "--backends" => args.backends = value.split(',').map(str::to_owned).collect(),
            "--postgres" => args.postgres = value,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    Ok(args)
}

/// One measured row of the table.
struct Row {
    backend: String,
    workers: Option<u32>,
    invoices: u64,
    lines: u64,
    seconds: f64,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = args()?;
    let mut rows = Vec::new();
    for backend in &args.backends {
        let (url, cleanup) = match backend.as_str() {
            "sqlite" => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("b.db").display());
                (url, Cleanup::Sqlite(dir))
            }
            "postgres" => {
                let name = format!("billfold_bench_{}", std::process::id());
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
        // As `billfold bill` and `serve` run: SQLite's write-ahead log is checkpointed in the
        // background (automatic checkpoints are off). Without it the log grows by every
        // invoice and each read walks a longer one: a first attempt slowed from ~40 to ~27
        // invoices/s within 12,000 invoices.
        let _checkpoints = db::Checkpointer::start(&db);
        let started = Instant::now();
        seed(&db, args.subscriptions).await?;
        eprintln!(
            "{backend}: seeded {} subscriptions in {:.1} s",
            args.subscriptions,
            started.elapsed().as_secs_f64()
        );
        // January, billed once and kept: the measured runs bill February on top of it. Without
        // it they start from empty, just-analysed tables, and PostgreSQL checks each line's
        // foreign key with a plan made for an empty `invoices` (a sequential scan), so the
        // measure grows quadratically with the run — a state no production database is in.
        let started = Instant::now();
        let (_, history) = BillingRuns::new(db.clone(), Default::default())
            .record(
                RunOrigin::Cli,
                history_date(),
                4,
                Arc::<RunProgress>::default(),
            )
            .await
            .map_err(|e| format!("{e:?}"))?;
        if history.invoiced.len() != args.subscriptions || !history.failed.is_empty() {
            return Err(format!("{backend}: January billed {:?}", history.failed).into());
        }
        eprintln!(
            "{backend}: billed January (history) in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        for &workers in &args.workers {
            reset(&db).await?;
            let january_lines = invoice_line::Entity::find().count(db.reads()).await?;
            let runs = BillingRuns::new(db.clone(), Default::default());
            let started = Instant::now();
            let (_, report) = runs
                .record(
                    RunOrigin::Cli,
                    due_date(),
                    workers,
                    Arc::<RunProgress>::default(),
                )
                .await
                .map_err(|e| format!("{e:?}"))?;
            let seconds = started.elapsed().as_secs_f64();
            if report.invoiced.len() != args.subscriptions || !report.failed.is_empty() {
                return Err(format!(
                    "{backend}/{workers}: {} invoices, {} failed: {:?}",
                    report.invoiced.len(),
                    report.failed.len(),
                    report.failed
                )
                .into());
            }
            let lines = invoice_line::Entity::find().count(db.reads()).await? - january_lines;
            eprintln!("{backend}: {workers} worker(s): {seconds:.1} s");
            rows.push(Row {
                backend: backend.clone(),
                workers: Some(workers),
                invoices: report.invoiced.len() as u64,
                lines,
                seconds,
            });
        }
        // Statistics as after a run, for the baseline's join.
        analyse(&db).await?;
        rows.push(baseline(&db, backend).await?);
        drop(db);
        cleanup.run().await?;
    }
    print_table(&rows);
    Ok(())
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

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The period billed once, untimed, before the measured runs: their database holds a month of
/// invoices, as a billing platform's does.
fn history_date() -> NaiveDate {
    date(2026, 1, 1)
}

fn due_date() -> NaiveDate {
    date(2026, 2, 1)
}

/// The catalog: for each currency a per-seat price, a graduated one and a flat one.
struct Catalog {
    /// (currency, seat, tiered, support, proration minor amount)
    prices: Vec<(&'static str, PriceId, PriceId, PriceId, i64)>,
}

async fn seed(db: &Db, n: usize) -> Result<(), BoxError> {
    let now = Utc::now();
    let txn = db.writes().begin().await?;
    let product_ids = [ProductId::new(), ProductId::new(), ProductId::new()];
    let products = [
        ("Seat", "seat", ProductKind::License),
        ("SIP trunk channels", "trunk", ProductKind::Service),
        ("Premium support", "support", ProductKind::Service),
    ]
    .into_iter()
    .zip(product_ids)
    .map(|((name, code, kind), id)| product::ActiveModel {
        id: Set(id),
        name: Set(name.into()),
        code: Set(code.into()),
        kind: Set(kind),
        description: Set(None),
        active: Set(true),
        created_at: Set(now),
    });
    product::Entity::insert_many(products)
        .exec_without_returning(&txn)
        .await?;
    let mut catalog = Catalog { prices: Vec::new() };
    let mut prices = Vec::new();
    // One version per currency: (product, version) is unique.
    for (version, (currency, seat, tier1, tier2, support, proration)) in (1..).zip([
        ("EUR", "64", "5", "4", "99", 3093),
        ("JPY", "6400", "500", "400", "9900", 3093),
        ("KWD", "19.250", "1.500", "1.200", "30.000", 9303),
    ]) {
        let tiers = format!(
            r#"[{{"from":1,"to":10,"unit_price":"{tier1}","flat_fee":"0"}},{{"from":11,"to":null,"unit_price":"{tier2}","flat_fee":"0"}}]"#
        );
        let ids = [PriceId::new(), PriceId::new(), PriceId::new()];
        for (k, (model, unit, tiers)) in [
            (PricingModelKind::PerUnit, Some(seat), None),
            (PricingModelKind::Graduated, None, Some(tiers)),
            (PricingModelKind::Flat, Some(support), None),
        ]
        .into_iter()
        .enumerate()
        {
            prices.push(price::ActiveModel {
                id: Set(ids[k]),
                product_id: Set(product_ids[k]),
                version: Set(version),
                currency: Set(currency.into()),
                interval_unit: Set(IntervalUnit::Month),
                interval_count: Set(1),
                model: Set(model),
                unit_amount: Set(unit.map(str::to_owned)),
                package_size: Set(None),
                tiers: Set(tiers),
                taxable: Set(true),
                proration_unit: Set(ProrationUnit::Day),
                additions_charged: Set(AdditionsCharged::NextInvoice),
                credit_removals: Set(false),
                remove_one_at_a_time: Set(false),
                min_quantity: Set(0),
                max_quantity: Set(None),
                active: Set(true),
                created_at: Set(now),
            });
        }
        catalog
            .prices
            .push((currency, ids[0], ids[1], ids[2], proration));
    }
    price::Entity::insert_many(prices)
        .exec_without_returning(&txn)
        .await?;

    tax_rate::Entity::insert(tax_rate::ActiveModel {
        id: Set(TaxRateId::new()),
        country: Set("FR".into()),
        region: Set(None),
        name: Set("VAT FR".into()),
        rate: Set("20".into()),
        active: Set(true),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    let coupon_id = CouponId::new();
    coupon::Entity::insert(coupon::ActiveModel {
        id: Set(coupon_id),
        code: Set("BENCH10".into()),
        code_key: Set("bench10".into()),
        name: Set("10 % off".into()),
        percent_off: Set(Some("10".into())),
        amounts_off_minor: Set(None),
        duration: Set(coupon::CouponDuration::Forever),
        duration_periods: Set(None),
        product_ids: Set(None),
        max_redemptions: Set(None),
        redemptions: Set(0),
        expires_on: Set(None),
        archived_at: Set(None),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;

    let customers = n.div_ceil(2);
    let customer_ids: Vec<CustomerId> = (0..customers).map(|_| CustomerId::new()).collect();
    let currency_of = |c: usize| match c % 10 {
        0 => 1,
        1 => 2,
        _ => 0,
    };
    for chunk in customer_ids.chunks(CHUNK).enumerate() {
        let (k, ids) = chunk;
        let rows = ids.iter().enumerate().map(|(j, id)| {
            let c = k * CHUNK + j;
            customer::ActiveModel {
                id: Set(*id),
                name: Set(format!("Customer {c}")),
                company: Set(Some(format!("Customer {c} SA"))),
                email: Set(format!("billing{c}@example.com")),
                currency: Set(catalog.prices[currency_of(c)].0.into()),
                time_zone: Set("Europe/Paris".into()),
                status: Set(CustomerStatus::Active),
                // Half pay tax: a quarter by the country's rate table, a quarter by the rate
                // kept on the customer; the other half are exempt.
                tax_rate: Set((c % 4 == 2).then(|| "20".to_owned())),
                created_at: Set(now),
                updated_at: Set(now),
                revision: Set(1),
                credit_balance_minor: Set(credit_of(c)),
                country: Set(c.is_multiple_of(4).then(|| "FR".to_owned())),
                region: Set(None),
                tax_id: Set(None),
                tax_exempt: Set(false),
                payment_terms_days: Set(0),
                po_number: Set(None),
                invoice_notes: Set(None),
                // Every invoice queues its e-mail, as in production.
                invoice_email: Set(None),
                email_invoices: Set(true),
                external_reference: Set(None),
                tags: Set("[]".into()),
                billing_interval_unit: Set(entity::price::IntervalUnit::Month),
                billing_interval_count: Set(1),
            }
        });
        customer::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
        // One customer in seven has a 10 % coupon on all its subscriptions.
        let redemptions: Vec<_> = ids
            .iter()
            .enumerate()
            .filter(|(j, _)| (k * CHUNK + j).is_multiple_of(7))
            .map(|(_, id)| coupon_redemption::ActiveModel {
                id: Set(CouponRedemptionId::new()),
                coupon_id: Set(coupon_id),
                customer_id: Set(*id),
                subscription_id: Set(None),
                periods_applied: Set(0),
                created_at: Set(now),
            })
            .collect();
        if !redemptions.is_empty() {
            coupon_redemption::Entity::insert_many(redemptions)
                .exec_without_returning(&txn)
                .await?;
        }
    }
    let mut subscriptions = Vec::with_capacity(CHUNK);
    let mut items = Vec::with_capacity(CHUNK * 2);
    let mut charges = Vec::new();
    let mut one_offs = Vec::new();
    for i in 0..n {
        let c = i / 2;
        let customer = customer_ids[c];
        let (currency, seat, tiered, support, proration) = catalog.prices[currency_of(c)];
        let id = SubscriptionId::new();
        subscriptions.push(subscription::ActiveModel {
            id: Set(id),
            customer_id: Set(customer),
            status: Set(SubscriptionStatus::Active),
            interval_unit: Set(IntervalUnit::Month),
            interval_count: Set(1),
            anchor_date: Set(date(2026, 1, 1)),
            current_period_start: Set(date(2025, 12, 1)),
            current_period_end: Set(history_date()),
            next_invoice_date: Set(history_date()),
            cancel_at: Set(None),
            created_at: Set(now),
            po_number: Set(None),
            invoice_notes: Set(None),
            automatic_payment: Set(true),
        });
        // One subscription in six has a one-time setup fee waiting for its next invoice.
        if i % 6 == 1 {
            one_offs.push(one_off_charge::ActiveModel {
                id: Set(ChargeId::new()),
                customer_id: Set(customer),
                subscription_id: Set(Some(id)),
                product_id: Set(None),
                description: Set("Setup fee".into()),
                quantity: Set("1".into()),
                unit_amount: Set(match currency {
                    "JPY" => "15000",
                    "KWD" => "45.000",
                    _ => "150",
                }
                .into()),
                currency: Set(currency.into()),
                taxable: Set(true),
                period_start: Set(None),
                period_end: Set(None),
                created_at: Set(now),
                invoiced_at: Set(None),
                invoice_id: Set(None),
            });
        }
        let quantity = |q: usize| i32::try_from(q).unwrap_or(1);
        let shape: &[(PriceId, i32)] = match i % 4 {
            0 => &[(seat, quantity(1 + i % 25))],
            1 => &[(tiered, quantity(5 + i % 40))],
            2 => &[
                (seat, quantity(1 + i % 25)),
                (tiered, quantity(5 + i % 40)),
                (support, 1),
            ],
            _ => &[(seat, quantity(1 + i % 25)), (support, 1)],
        };
        for &(price, quantity) in shape {
            let item = SubscriptionItemId::new();
            items.push(subscription_item::ActiveModel {
                id: Set(item),
                subscription_id: Set(id),
                customer_id: Set(customer),
                price_id: Set(price),
                quantity: Set(quantity),
                unit_price_override: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            });
            if i.is_multiple_of(5) && price == seat {
                charges.push(unbilled_charge::ActiveModel {
                    id: Set(ChargeId::new()),
                    customer_id: Set(customer),
                    subscription_id: Set(id),
                    item_id: Set(Some(item)),
                    quote_id: Set(None),
                    kind: Set(ChargeKind::Proration),
                    product_name: Set("Seat".into()),
                    quantity: Set(2),
                    unit_amount_minor: Set(proration),
                    days: Set(Some(15)),
                    currency: Set(currency.into()),
                    tax_rate: Set(c.is_multiple_of(2).then(|| "20".to_owned())),
                    period_start: Set(date(2026, 1, 17)),
                    period_end: Set(due_date()),
                    created_at: Set(now),
                    invoiced_at: Set(None),
                    invoice_id: Set(None),
                    licenses: Set(true),
                });
            }
        }
        if subscriptions.len() == CHUNK || i + 1 == n {
            subscription::Entity::insert_many(std::mem::take(&mut subscriptions))
                .exec_without_returning(&txn)
                .await?;
            for part in std::mem::take(&mut items).chunks(CHUNK) {
                subscription_item::Entity::insert_many(part.to_vec())
                    .exec_without_returning(&txn)
                    .await?;
            }
            if !charges.is_empty() {
                unbilled_charge::Entity::insert_many(std::mem::take(&mut charges))
                    .exec_without_returning(&txn)
                    .await?;
            }
            if !one_offs.is_empty() {
                one_off_charge::Entity::insert_many(std::mem::take(&mut one_offs))
                    .exec_without_returning(&txn)
                    .await?;
            }
        }
    }
    txn.commit().await?;
    analyse(db).await
}

/// The credit balance customer number `c` starts with: one in ten has €20 (or ¥2,000, or
/// KWD 2.000) to spend, less than any of its invoices.
fn credit_of(c: usize) -> i64 {
    if c % 10 == 3 { 2000 } else { 0 }
}

/// Every subscription back to one due period, nothing invoiced, credits and coupons as seeded.
async fn reset(db: &Db) -> Result<(), BoxError> {
    let txn = db.writes().begin().await?;
    credit_entry::Entity::delete_many().exec(&txn).await?;
    customer::Entity::update_many()
        .col_expr(customer::Column::CreditBalanceMinor, Expr::value(2000))
        // `credit_of`: customers whose number ends in 3.
        .filter(customer::Column::Name.like("Customer %3"))
        .exec(&txn)
        .await?;
    coupon_redemption::Entity::update_many()
        .col_expr(coupon_redemption::Column::PeriodsApplied, Expr::value(0))
        .exec(&txn)
        .await?;
    one_off_charge::Entity::update_many()
        .col_expr(
            one_off_charge::Column::InvoicedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(
            one_off_charge::Column::InvoiceId,
            Expr::value(Option::<ids::InvoiceId>::None),
        )
        .exec(&txn)
        .await?;
    // February's invoices go; January's stay, and the year's count goes back to them.
    let february = invoice::Entity::find()
        .select_only()
        .column(invoice::Column::Id)
        .filter(invoice::Column::PeriodStart.gte(due_date()))
        .into_query();
    invoice_line::Entity::delete_many()
        .filter(invoice_line::Column::InvoiceId.in_subquery(february))
        .exec(&txn)
        .await?;
    invoice::Entity::delete_many()
        .filter(invoice::Column::PeriodStart.gte(due_date()))
        .exec(&txn)
        .await?;
    let january = invoice::Entity::find().count(&txn).await?;
    number_sequence::Entity::update_many()
        .col_expr(
            number_sequence::Column::LastValue,
            Expr::value(i64::try_from(january)?),
        )
        .exec(&txn)
        .await?;
    billing_run::Entity::delete_many().exec(&txn).await?;
    subscription::Entity::update_many()
        .col_expr(
            subscription::Column::CurrentPeriodStart,
            Expr::value(date(2026, 1, 1)),
        )
        .col_expr(
            subscription::Column::CurrentPeriodEnd,
            Expr::value(due_date()),
        )
        .col_expr(
            subscription::Column::NextInvoiceDate,
            Expr::value(due_date()),
        )
        .exec(&txn)
        .await?;
    unbilled_charge::Entity::update_many()
        .col_expr(
            unbilled_charge::Column::InvoicedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(
            unbilled_charge::Column::InvoiceId,
            Expr::value(Option::<ids::InvoiceId>::None),
        )
        .exec(&txn)
        .await?;
    txn.commit().await?;
    analyse(db).await
}

/// Fresh planner statistics and no dead rows left by the previous run.
async fn analyse(db: &Db) -> Result<(), BoxError> {
    let sql = match db.backend() {
        DbBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    };
    db.writes().execute_unprepared(sql).await?;
    Ok(())
}

/// Copies every invoice the last run wrote, and its lines, in two set-based statements in one
/// transaction: as many rows as the run wrote, through the same tables and indexes.
async fn baseline(db: &Db, backend: &str) -> Result<Row, BoxError> {
    let postgres = db.backend() == DbBackend::Postgres;
    let new_id = if postgres {
        "gen_random_uuid()"
    } else {
        "randomblob(16)"
    };
    // Ten years on: the copies' periods are free under the (subscription, period) index.
    let later = |column: &str| {
        if postgres {
            format!("{column} + 3650")
        } else {
            format!("date({column}, '+10 years')")
        }
    };
    let invoices = format!(
        "INSERT INTO invoices (id, customer_id, subscription_id, number, status, currency, \
         period_start, period_end, issue_date, due_date, subtotal_minor, discount_minor, \
         tax_minor, total_minor, credits_applied_minor, amount_due_minor, billing_snapshot, \
         created_at, finalised_at) \
         SELECT {new_id}, customer_id, subscription_id, 'BASE-' || number, status, currency, \
         {}, {}, issue_date, due_date, subtotal_minor, discount_minor, tax_minor, total_minor, \
         credits_applied_minor, amount_due_minor, billing_snapshot, created_at, finalised_at \
         FROM invoices WHERE period_start >= '{}'",
        later("period_start"),
        later("period_end"),
        due_date(),
    );
    let lines = format!(
        "INSERT INTO invoice_lines (id, invoice_id, customer_id, position, kind, description, \
         product_id, quantity, unit_amount, amount_minor, tax_minor, tax_rate, period_start, \
         period_end) \
         SELECT {new_id}, b.id, l.customer_id, l.position, l.kind, l.description, l.product_id, \
         l.quantity, l.unit_amount, l.amount_minor, l.tax_minor, l.tax_rate, l.period_start, \
         l.period_end FROM invoice_lines l JOIN invoices r ON r.id = l.invoice_id \
         JOIN invoices b ON b.number = 'BASE-' || r.number"
    );
    let started = Instant::now();
    let txn = db.writes().begin().await?;
    let invoices = txn.execute_unprepared(&invoices).await?.rows_affected();
    let lines = txn.execute_unprepared(&lines).await?.rows_affected();
    txn.commit().await?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("{backend}: baseline {invoices} invoices, {lines} lines in {seconds:.2} s");
    Ok(Row {
        backend: backend.to_owned(),
        workers: None,
        invoices,
        lines,
        seconds,
    })
}

fn print_table(rows: &[Row]) {
    println!("| database | what | invoices | lines | seconds | invoices/s | vs baseline |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for row in rows {
        let rate = row.invoices as f64 / row.seconds;
        let baseline = rows
            .iter()
            .find(|b| b.backend == row.backend && b.workers.is_none())
            .map(|b| b.invoices as f64 / b.seconds);
        let what = row
            .workers
            .map_or("set-based insert (baseline)".to_owned(), |w| {
                format!("billing run, {w} worker(s)")
            });
        let ratio = match (row.workers, baseline) {
            (Some(_), Some(b)) => format!("{:.3}×", rate / b),
            _ => "1×".to_owned(),
        };
        println!(
            "| {} | {what} | {} | {} | {:.2} | {:.0} | {ratio} |",
            row.backend, row.invoices, row.lines, row.seconds, rate
        );
    }
}
