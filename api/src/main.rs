//! `billfold`: serve the API and portal, run migrations, seed demo data, issue tokens, print
//! the schema. `cargo run` is `billfold serve`.

use std::process::ExitCode;

use api::auth::Role;
use api::config::Config;
use api::progress::ProgressBar;
use api::services::invoices::RunProgress;
use api::{App, BoxError, db, graphql, seed, telemetry};
use clap::{Parser, Subcommand};
use entity::billing_run::RunOrigin;
use ids::CustomerId;

/// The server allocates and frees many small objects per request (GraphQL documents, JSON,
/// rows) across threads; glibc's allocator spent 11 % of the server's CPU on them under load
/// (`perf`, previews at 1,000 req/s), with arena trimming and consolidation in the tail.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Billfold, subscription billing for seats, services and metered usage.
#[derive(Parser)]
#[command(name = "billfold", version)]
struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the GraphQL API at /graphql, the customer portal at / and the operator console at
    /// /admin (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Insert data into the database.
    Seed {
        /// The demo organisations and logins (only into a database without users).
        #[arg(long)]
        demo: bool,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Bill every subscription period due by a date: one finalised invoice per period, exactly
    /// once (running it again bills nothing twice).
    Bill {
        /// The business date to bill up to (default: today, UTC).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Concurrent workers (1 to 16). On PostgreSQL they claim subscriptions with
        /// `FOR UPDATE SKIP LOCKED`; on SQLite writes are serialised, so more just queue.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=16))]
        workers: u32,
    },
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    Schema,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issue a bearer token for an existing user with this role (and tenant).
    Issue {
        /// admin, staff, owner, billing_admin or viewer.
        #[arg(long)]
        role: Role,
        /// The organisation (`cus_…`), required for customer roles.
        #[arg(long)]
        tenant: Option<CustomerId>,
        /// Pick the user by e-mail; otherwise the first user with that role.
        #[arg(long)]
        email: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("billfold: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), BoxError> {
    if let Command::Schema = command {
        print!("{}", graphql::sdl());
        return Ok(());
    }
    let config = Config::load()?;
    telemetry::init(config.log_format);
    match command {
        Command::Schema => unreachable!("handled above"),
        Command::Serve => {
            let app = App::start(config).await?;
            print_banner(&app.config);
            api::serve(app).await
        }
        Command::Migrate => {
            let db = db::connect(&config.database_url()).await?;
            db::migrate(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed { demo } => {
            if !demo {
                return Err("nothing to seed: pass --demo".into());
            }
            let db = db::connect(&config.database_url()).await?;
            db::migrate(&db).await?;
            let app = App::with_database(config, db)?;
            if seed::seed_demo_if_empty(&app.db, &app.services, app.config.seed_demo_history)
                .await?
            {
                println!("demo data seeded");
            } else {
                println!("the database already has users: nothing seeded");
            }
            Ok(())
        }
        Command::Bill { as_of, workers } => {
            let as_of = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let db = db::connect(&config.database_url()).await?;
            db::migrate(&db).await?;
            let app = App::with_database(config, db)?;
            let progress = std::sync::Arc::<RunProgress>::default();
            let bar = ProgressBar::start(progress.clone());
            let run = app
                .services
                .billing_runs
                .record(RunOrigin::Cli, as_of, workers, progress)
                .await;
            bar.finish();
            let (id, report) = run.map_err(|e| format!("{e:?}"))?;
            for billed in &report.invoiced {
                println!(
                    "{}  {}  period from {}",
                    billed.number, billed.subscription, billed.period_start
                );
            }
            println!(
                "{id}: {} invoices finalised as of {as_of} with {workers} worker(s), {} failed",
                report.invoiced.len(),
                report.failed.len()
            );
            for (subscription, why) in &report.failed {
                eprintln!("failed: {subscription}: {why}");
            }
            if report.failed.is_empty() {
                Ok(())
            } else {
                Err(format!("{} subscriptions could not be billed", report.failed.len()).into())
            }
        }
        Command::Token {
            command:
                TokenCommand::Issue {
                    role,
                    tenant,
                    email,
                },
        } => {
            if role.is_staff() != tenant.is_none() {
                return Err("customer roles need --tenant cus_…; staff roles take none".into());
            }
            let db = db::connect(&config.database_url()).await?;
            db::migrate(&db).await?;
            let app = App::with_database(config, db)?;
            let accounts = &app.services.accounts;
            let user = accounts
                .user_for_token(role, tenant, email.as_deref())
                .await
                .map_err(|e| format!("{e:?}"))?;
            let token = accounts.issue_token(&user).map_err(|e| format!("{e:?}"))?;
            eprintln!(
                "token for {} ({}), expires {}",
                user.email,
                role.as_str(),
                token.expires_at
            );
            println!("{}", token.token);
            Ok(())
        }
    }
}

fn print_banner(config: &Config) {
    let url = format!("http://{}", config.listen);
    println!();
    println!("  Billfold is running");
    println!("    portal   {url}/");
    println!("    console  {url}/admin");
    println!("    GraphQL  {url}/graphql");
    match config.mail.transport {
        api::config::MailTransport::File => {
            println!("    e-mail   written to {}/", config.outbox_dir().display());
        }
        api::config::MailTransport::Smtp => {
            println!(
                "    e-mail   SMTP {}:{}",
                config.mail.smtp.host,
                config.mail.smtp.port()
            );
        }
    }
    println!(
        "    PDFs     stored in {}",
        match config.storage.backend {
            api::config::StorageBackend::Local => format!("{}/", config.documents_dir().display()),
            api::config::StorageBackend::S3 => format!("s3://{}", config.storage.s3.bucket),
        }
    );
    if config.seeds_demo() {
        println!();
        println!("  Demo logins (password: {})", seed::DEMO_PASSWORD);
        for (email, label) in seed::demo_logins() {
            println!("    {email:<28} {label}");
        }
    }
    println!();
}
