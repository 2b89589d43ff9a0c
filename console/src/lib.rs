//! The operator console at `/admin`: server-rendered pages (askama) for operator staff that are
//! a GraphQL client of Billfold's schema, built like the customer portal. It knows nothing of
//! the server's internals: every read and write is one of the operations in
//! `graphql/*.graphql`, compiled against `../schema.graphql`, sent through a [`Transport`]
//! (in-process inside `billfold serve`).
//!
//! Roles are the API's to enforce (admin, billing staff, support): a page never decides what a
//! role may do, it shows the API's refusal. Works without JavaScript: plain forms, redirects
//! after POST, a CSRF token on every form, the session in an HttpOnly cookie of its own
//! (`Path=/admin`), so a portal session and a console session in one browser never collide.
//!
//! Layout: `pages/<slice>/` holds a slice's handlers and page structs (templates in
//! `templates/<slice>/`); what pages share lives beside them: the frame of a page (`chrome`),
//! URLs (`route`), errors that render themselves (`error`), forms shown again with their
//! refusal (`form`), the session (`session`) and the GraphQL client (`client`, `operations`);
//! the CSRF token, cookies and error mapping it shares with the portal are the `web` crate's.

mod audit;
mod choices;
mod chrome;
mod client;
mod csp;
mod customer;
mod cycle;
mod error;
mod files;
mod filter;
mod flash;
mod form;
mod operations;
mod pages;
mod route;
mod session;
mod text;
mod transport;

use std::sync::Arc;

use axum::Router;
// The plumbing the portal shares, under the names the pages use.
use web::{cookies, csrf, html};

pub use transport::{
    DocumentFile, DownloadFuture, FileRequest, GraphqlRequest, ImportKind, Transport,
    TransportError, TransportFuture,
};

/// Name of the console's session cookie (`Path=/admin`): not the portal's, which `/graphql`
/// also reads, so a staff session never authenticates anything outside the console.
pub const SESSION_COOKIE: &str = "billfold_console_session";

/// Where the console is mounted.
pub const MOUNT: &str = "/admin";

/// Console settings.
#[derive(Clone, Debug)]
pub struct ConsoleConfig {
    /// Mark cookies `Secure` (HTTPS only). On in production.
    pub secure_cookies: bool,
    /// Lifetime of the session cookie, in seconds (the token's own lifetime).
    pub session_ttl_seconds: u64,
}

/// What the console's handlers share.
#[derive(Clone)]
pub struct Console {
    transport: Arc<dyn Transport>,
    config: Arc<ConsoleConfig>,
}

impl Console {
    /// A console that talks to Billfold through `transport`.
    pub fn new(transport: Arc<dyn Transport>, config: ConsoleConfig) -> Self {
        Self {
            transport,
            config: Arc::new(config),
        }
    }
}

/// The console's routes, every one under [`MOUNT`]: merge it into the application's router.
pub fn router<S: Clone + Send + Sync + 'static>(console: Console) -> Router<S> {
    pages::router(console)
}
