//! The application state every handler shares, built once at start-up.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::{TokenKeys, load_keys};
use crate::config::Config;
use crate::graphql::{BillfoldSchema, build_schema};
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
    /// The connection pool.
    pub db: DatabaseConnection,
    /// Token signing and verification.
    pub keys: Arc<TokenKeys>,
    /// The use cases.
    pub services: Services,
    /// The executable GraphQL schema.
    pub schema: BillfoldSchema,
    /// Request metrics for `/metrics`.
    pub metrics: Metrics,
    /// The customer portal, talking to `schema` in process.
    pub portal: portal::Portal,
}

impl App {
    /// Connects to the database, applies migrations, seeds demo data into an empty database
    /// when the configuration asks for it, and wires everything together.
    pub async fn start(config: Config) -> Result<AppState, BoxError> {
        let db = db::connect(&config.database_url()).await?;
        db::migrate(&db).await?;
        let app = Self::with_database(config, db)?;
        if app.config.seeds_demo() {
            seed::seed_demo_if_empty(&app.db, &app.services).await?;
        }
        Ok(app)
    }

    /// Wires the application onto an already migrated database.
    pub fn with_database(config: Config, db: DatabaseConnection) -> Result<AppState, BoxError> {
        let keys = Arc::new(load_keys(&config)?);
        let services = Services::new(db.clone(), keys.clone());
        let schema = build_schema(services.clone(), &config);
        let portal = portal::Portal::new(
            Arc::new(InProcessTransport::new(
                schema.clone(),
                services.accounts.clone(),
            )),
            portal::PortalConfig {
                secure_cookies: config.is_production(),
                session_ttl_seconds: config.jwt.ttl_seconds,
            },
        );
        Ok(Arc::new(App {
            config,
            db,
            keys,
            services,
            schema,
            metrics: Metrics::default(),
            portal,
        }))
    }
}
