//! The portal's in-process transport: its GraphQL requests run on this server's schema without
//! a network hop, authenticated by the session token exactly as `/graphql` would be.

use std::sync::Arc;

use portal::{GraphqlRequest, Transport, TransportError, TransportFuture};

use crate::auth::{Actor, TokenKeys};
use crate::error::ErrorCode;
use crate::graphql::BillfoldSchema;
use crate::graphql::errors::ensure_codes;
use crate::http::auth::actor_from_token;

/// Executes the portal's operations on the in-process schema.
pub struct InProcessTransport {
    schema: BillfoldSchema,
    keys: Arc<TokenKeys>,
}

impl InProcessTransport {
    /// A transport onto `schema`, verifying sessions with `keys`.
    pub fn new(schema: BillfoldSchema, keys: Arc<TokenKeys>) -> Self {
        Self { schema, keys }
    }
}

impl Transport for InProcessTransport {
    fn execute<'a>(
        &'a self,
        request: GraphqlRequest,
        session: Option<&'a str>,
    ) -> TransportFuture<'a> {
        Box::pin(async move {
            let actor = match session.map(|token| actor_from_token(token, &self.keys)) {
                None => Actor::Anonymous,
                Some(Ok(actor)) => actor,
                Some(Err(_)) => {
                    return Ok(serde_json::json!({
                        "errors": [{
                            "message": "your session has expired",
                            "extensions": { "code": ErrorCode::Unauthenticated.as_str() }
                        }]
                    }));
                }
            };
            let request: async_graphql::Request =
                serde_json::from_value(request.body).map_err(|e| TransportError(e.to_string()))?;
            let mut response = self.schema.execute(request.data(actor)).await;
            ensure_codes(&mut response);
            serde_json::to_value(&response).map_err(|e| TransportError(e.to_string()))
        })
    }
}
