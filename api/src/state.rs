//! The application state every handler shares, built once at start-up.

use std::sync::Arc;

use crate::auth::{TokenKeys, load_keys};
use crate::config::Config;
use crate::graphql::{BillfoldSchema, build_introspection_schema, build_schema};
use crate::http::metrics::Metrics;
use crate::portal_transport::InProcessTransport;
use crate::services::Services;
use crate::{BoxError, db, seed};

/// Shared, immutable application state (cheap to clone: an `Arc`).
pub type AppState = Arc<App>;

/// Everything a request may need.
pub struct App {
    /// The configuration the server started with.
    pub config: Config,
    /// The database.
    pub db: db::Db,
    /// Token signing and verification.
    pub keys: Arc<TokenKeys>,
    /// The use cases.
    pub services: Services,
    /// The executable GraphQL schema.
    pub schema: BillfoldSchema,
    /// The same schema for introspection-only queries, without the ordinary depth limit;
    /// `None` when introspection is off (production).
    pub introspection_schema: Option<BillfoldSchema>,
    /// Request metrics for `/metrics`.
    pub metrics: Metrics,
    /// The customer portal, talking to `schema` in process.
    pub portal: portal::Portal,
    /// The operator console at `/admin`, talking to `schema` in process.
    pub console: console::Console,
    /// SQLite's background WAL checkpoints, for as long as the app lives.
    _checkpointer: Option<db::Checkpointer>,
    /// The billing scheduler, when `billing.run_every_seconds` is not 0 (`serve` only).
    _billing: Option<crate::jobs::billing::BillingScheduler>,
    /// The document renderer and mail sender, when `mail.poll_seconds` is not 0.
    _mail: Option<crate::jobs::mail::MailWorker>,
    /// The payment collection worker, when `payments.collect_every_seconds` is not 0.
    _payments: Option<crate::jobs::payments::CollectionWorker>,
}

impl App {
    /// Connects to the database, applies migrations, seeds demo data into an empty database
    /// when the configuration asks for it, wires everything together, and starts the billing
    /// scheduler unless `billing.run_every_seconds` is 0 (what `billfold serve` runs).
    pub async fn start(config: Config) -> Result<AppState, BoxError> {
        let db = db::connect(&config.database_url()).await?;
        db::migrate(&db).await?;
        let mut app = Self::build(config, db)?;
        if app.config.seeds_demo() {
            seed::seed_demo_if_empty(&app.db, &app.services, app.config.seed_demo_history).await?;
        }
        let every = app.config.billing.run_every_seconds;
        if every > 0 {
            app._billing = Some(crate::jobs::billing::BillingScheduler::start(
                app.services.billing_runs.clone(),
                app.services.clock.clone(),
                std::time::Duration::from_secs(every),
            ));
        }
        let every = app.config.mail.poll_seconds;
        if every > 0 {
            app._mail = Some(crate::jobs::mail::MailWorker::start(
                app.services.documents.clone(),
                app.services.mail.clone(),
                std::time::Duration::from_secs(every),
            ));
        }
        let every = app.config.payments.collect_every_seconds;
        if every > 0 {
            app._payments = Some(crate::jobs::payments::CollectionWorker::start(
                app.services.payments.clone(),
                std::time::Duration::from_secs(every),
            ));
        }
        Ok(Arc::new(app))
    }

    /// Wires the application onto an already migrated database. Must be called within a Tokio
    /// runtime (it starts SQLite's background checkpoints).
    pub fn with_database(config: Config, db: db::Db) -> Result<AppState, BoxError> {
        Self::build(config, db).map(Arc::new)
    }

    fn build(config: Config, db: db::Db) -> Result<App, BoxError> {
        // One rustls crypto provider for the whole process (S3 and SMTP over TLS): ring. A
        // second build in one process (tests) finds it installed, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let keys = Arc::new(load_keys(&config)?);
        let services = Services::new(db.clone(), keys.clone(), &config)?;
        let schema = build_schema(services.clone(), &config);
        let introspection_schema = build_introspection_schema(services.clone(), &config);
        let transport = Arc::new(InProcessTransport::new(schema.clone(), services.clone()));
        let console = console::Console::new(
            transport.clone(),
            console::ConsoleConfig {
                secure_cookies: config.is_production(),
                session_ttl_seconds: config.jwt.ttl_seconds,
            },
        );
        let portal = portal::Portal::new(
            transport,
            portal::PortalConfig {
                secure_cookies: config.is_production(),
                session_ttl_seconds: config.jwt.ttl_seconds,
                stripe_publishable_key: (config.payments.processor
                    == crate::config::ProcessorKind::Stripe)
                    .then(|| config.payments.stripe.publishable_key.clone())
                    .flatten(),
            },
        );
        let checkpointer = db::Checkpointer::start(&db);
        Ok(App {
            config,
            db,
            keys,
            services,
            schema,
            introspection_schema,
            metrics: Metrics::default(),
            portal,
            console,
            _checkpointer: checkpointer,
            _billing: None,
            _mail: None,
            _payments: None,
        })
    }
}
