//! Test harness for Billfold's end-to-end suite: spawns the real router on port 0 against a
//! fresh database per test (a temporary SQLite file, or a fresh PostgreSQL database when
//! `TEST_DATABASE_URL` names a server, dropped afterwards) and talks GraphQL over HTTP.

mod assertions;
pub mod browser;
mod database;
mod fixtures;
pub mod html;
pub mod mailbox;
pub mod s3;
mod session;
pub mod smtp;
pub mod stripe;

use std::net::SocketAddr;
use std::sync::Arc;

use api::config::{Config, Mode, Secret};
use api::seed::DEMO_PASSWORD;
use api::{App, AppState};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tempfile::TempDir;

pub use assertions::{assert_bad_input, assert_code, assert_ok, error_code};
pub use database::{Backend, TestDatabase};
pub use fixtures::{LicenseItemFixture, LicenseItemIds, bill_demo_next_period, instant};
pub use session::{
    AppliedChange, AppliedQuote, ChargeLine, CreatedSubscription, ItemCounts, LicenseItem, Money,
    Organisation, Quote, Role, Seat, Session, UpcomingCharges,
};

/// The HS256 secret test servers sign with, so tests can forge tokens on purpose.
pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

/// Declares an end-to-end test that runs once on SQLite and once on PostgreSQL, optionally
/// with `config = |config| …` applied to the server's configuration.
///
/// ```ignore
/// e2e_test!(a_billing_admin_reads_their_licenses, |app| {
///     let billing = app.as_billing_admin("Acme Telecom").await;
///     assert_eq!(billing.organisation().map(|o| o.name.as_str()), Some("Acme Telecom"));
/// });
/// ```
#[macro_export]
macro_rules! e2e_test {
    ($name:ident, |$app:ident| $body:block) => {
        $crate::e2e_test!($name, config = |_| {}, |$app| $body);
    };
    ($name:ident, config = $customise:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = $crate::TestApp::spawn_with(&$crate::Backend::Sqlite, $customise).await;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let backend = $crate::Backend::postgres();
                let $app = $crate::TestApp::spawn_with(&backend, $customise).await;
                $body
            }
        }
    };
}

/// A running server on its own database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// A client without cookies or redirects, so tests see exactly what the server sends.
    pub client: reqwest::Client,
    /// The server's state (services, config), for setting up cases directly.
    pub app: AppState,
    server: ServerTask,
    // Dropped last: the database outlives the servers that use it (shared with peers).
    database: Arc<TestDatabase>,
    data_dir: TempDir,
}

impl TestApp {
    /// A development-mode server with demo data, on a fresh database of `backend`.
    pub async fn spawn(backend: &Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], with `customise` applied to the configuration first.
    pub async fn spawn_with(backend: &Backend, customise: impl FnOnce(&mut Config)) -> TestApp {
        let database = TestDatabase::create(backend).await;
        let data_dir = tempfile::tempdir().expect("temporary data directory");
        let mut config = test_config(&database, &data_dir);
        customise(&mut config);
        Self::start(config, Arc::new(database), data_dir).await
    }

    /// A second server on the same database, with its own memory and data directory, as
    /// another process of the same deployment would be. Tokens of one are valid on the other
    /// when the configuration names the signing key, as the test configuration does.
    pub async fn peer(&self) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temporary data directory");
        let config = Config {
            data_dir: data_dir.path().to_path_buf(),
            ..self.app.config.clone()
        };
        Self::start(config, Arc::clone(&self.database), data_dir).await
    }

    /// Stops this server and starts a new one on the same database and data directory.
    pub async fn restart(self) -> TestApp {
        let TestApp {
            app,
            server,
            database,
            data_dir,
            ..
        } = self;
        let config = app.config.clone();
        server.0.abort();
        drop(server);
        drop(app);
        Self::start(config, database, data_dir).await
    }

    async fn start(mut config: Config, database: Arc<TestDatabase>, data_dir: TempDir) -> TestApp {
        config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        let config = config.validated().expect("valid test configuration");
        let app = App::start(config).await.expect("server starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let server = ServerTask(tokio::spawn({
            let app = app.clone();
            async move {
                api::serve_on(listener, app).await.expect("server runs");
            }
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client");
        TestApp {
            address,
            client,
            app,
            server,
            database,
            data_dir,
        }
    }

    /// The database this server uses.
    pub fn database(&self) -> &TestDatabase {
        &self.database
    }

    /// The data directory this server uses.
    pub fn data_dir(&self) -> &std::path::Path {
        self.data_dir.path()
    }

    /// POSTs a GraphQL request as JSON, with a bearer token when given; returns the status and
    /// the body.
    pub async fn graphql(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let body = response.json::<Value>().await.expect("JSON body");
        (status, body)
    }

    /// Signs in a demo user and returns the token.
    pub async fn login(&self, email: &str) -> String {
        let (status, body) = self
            .graphql(
                "mutation L($input: LoginInput!) { login(input: $input) { token } }",
                json!({ "input": { "email": email, "password": DEMO_PASSWORD } }),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login of {email}: {body}");
        body["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token for {email}: {body}"))
            .to_owned()
    }

    /// The id of a demo organisation by name, read as operator staff.
    pub async fn customer_id(&self, name: &str) -> String {
        self.as_staff().await.customer_id(name).await
    }
}

/// The server task, stopped when the test lets go of it.
struct ServerTask(tokio::task::JoinHandle<()>);

impl Drop for ServerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn test_config(database: &TestDatabase, data_dir: &TempDir) -> Config {
    let mut config = Config {
        mode: Mode::Development,
        database_url: Some(Secret::new(database.url())),
        data_dir: data_dir.path().to_path_buf(),
        seed_demo: Some(true),
        // Tests start from a demo without invoices and bill what they need; the history's own
        // test turns it on.
        seed_demo_history: false,
        ..Config::default()
    };
    config.jwt.secret = Some(Secret::new(TEST_JWT_SECRET));
    // Tests bill when they choose to (and pin the business clock); the scheduler's own test
    // turns it on.
    config.billing.run_every_seconds = 0;
    // Likewise documents are rendered and mail sent when a test asks (the mail tests turn the
    // worker on or call it).
    config.mail.poll_seconds = 0;
    // And payments are collected when a test runs a collection tick.
    config.payments.collect_every_seconds = 0;
    config
}
