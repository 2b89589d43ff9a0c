//! The customer portal: server-rendered pages (askama) that are a GraphQL client of Billfold's
//! schema. It knows nothing of the server's internals: every read and write is one of the
//! operations in `graphql/*.graphql`, compiled against `../schema.graphql`, sent through a
//! [`Transport`] (in-process inside `billfold serve`, HTTP when run apart).
//!
//! Works without JavaScript: plain forms, redirects after POST, a CSRF token on every form, the
//! session in an HttpOnly SameSite cookie.
//!
//! Layout: `pages/<slice>/` holds a slice's handlers and page structs (templates in
//! `templates/<slice>/`); everything pages share lives once, beside them: the frame of a page
//! (`chrome`), URLs (`route`), errors that render themselves (`error`), confirmations
//! (`flash`), dates for people (`dates`), the session and CSRF token (`session`,
//! `csrf`, `cookies`), forms shown again with their refusal (`form`) and the GraphQL client
//! (`client`, `operations`). Dependencies
//! flow from `pages` to these, never between slices.

mod amounts;
mod chrome;
mod client;
pub mod csp;
mod dates;
mod error;
mod flash;
mod form;
mod operations;
mod pages;
mod route;
mod session;
mod transport;

use std::sync::Arc;

use axum::Router;
// The plumbing the console shares, under the names the pages use.
use web::{cookies, csrf, html};

pub use transport::{DocumentUpload, GraphqlRequest, Transport, TransportError, TransportFuture};

/// Name of the session cookie; the server's `/graphql` handler reads the same cookie.
pub const SESSION_COOKIE: &str = "billfold_session";

/// Portal settings.
#[derive(Clone, Debug)]
pub struct PortalConfig {
    /// Mark cookies `Secure` (HTTPS only). On in production.
    pub secure_cookies: bool,
    /// Lifetime of the session cookie, in seconds (the token's own lifetime).
    pub session_ttl_seconds: u64,
    /// Stripe's publishable key when payments go through Stripe: Stripe.js, the one
    /// third-party script, is then allowed by the Content-Security-Policy ([`csp`]).
    pub stripe_publishable_key: Option<String>,
}

/// What the portal's handlers share.
#[derive(Clone)]
pub struct Portal {
    transport: Arc<dyn Transport>,
    config: Arc<PortalConfig>,
}

impl Portal {
    /// A portal that talks to Billfold through `transport`.
    pub fn new(transport: Arc<dyn Transport>, config: PortalConfig) -> Self {
        Self {
            transport,
            config: Arc::new(config),
        }
    }
}

/// The portal's routes, mounted at `/`.
pub fn router<S: Clone + Send + Sync + 'static>(portal: Portal) -> Router<S> {
    pages::router(portal)
}
