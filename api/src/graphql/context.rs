//! Typed access to what every resolver needs from the request context.

use async_graphql::Context;

use crate::auth::Actor;
use crate::config::GraphqlLimits;
use crate::services::Services;

/// The id of the HTTP request, for audit entries and logs.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Shortcuts over [`Context`]. The data is always inserted by the HTTP handler and the schema
/// builder; a missing piece is a wiring bug, reported as an internal error.
pub(crate) trait ContextExt {
    /// The services.
    fn services(&self) -> &Services;
    /// The caller.
    fn actor(&self) -> &Actor;
    /// The request id, when the request has one.
    fn request_id(&self) -> Option<&str>;
    /// The request limits.
    fn limits(&self) -> &GraphqlLimits;
}

static ANONYMOUS: Actor = Actor::Anonymous;

impl ContextExt for Context<'_> {
    fn services(&self) -> &Services {
        self.data_unchecked::<Services>()
    }

    fn actor(&self) -> &Actor {
        // No actor in the context means nobody authenticated this execution: treat as anonymous.
        self.data_opt::<Actor>().unwrap_or(&ANONYMOUS)
    }

    fn request_id(&self) -> Option<&str> {
        self.data_opt::<RequestId>().map(|r| r.0.as_str())
    }

    fn limits(&self) -> &GraphqlLimits {
        self.data_unchecked::<GraphqlLimits>()
    }
}
