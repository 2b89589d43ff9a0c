//! The portal's in-process transport: its GraphQL requests run on this server's schema without
//! a network hop, authenticated by the session token exactly as `/graphql` would be; its
//! document uploads run the upload route's code as a bearer token would.

use portal::{DocumentUpload, GraphqlRequest, Transport, TransportError, TransportFuture};

use crate::auth::Actor;
use crate::error::ServiceError;
use crate::graphql::BillfoldSchema;
use crate::graphql::errors::{ensure_codes, error_body};
use crate::http::vault::{UploadParams, upload_outcome};
use crate::services::Services;

/// Executes the portal's operations on the in-process schema.
pub struct InProcessTransport {
    schema: BillfoldSchema,
    services: Services,
}

impl InProcessTransport {
    /// A transport onto `schema`, authenticating sessions with `services`' accounts.
    pub fn new(schema: BillfoldSchema, services: Services) -> Self {
        Self { schema, services }
    }
}

impl Transport for InProcessTransport {
    fn execute<'a>(
        &'a self,
        request: GraphqlRequest,
        session: Option<&'a str>,
    ) -> TransportFuture<'a> {
        Box::pin(async move {
            let (actor, signed_in) = match session {
                None => (Actor::Anonymous, None),
                Some(token) => match self.services.accounts.authenticate(token).await {
                    Ok((actor, signed_in)) => (actor, Some(signed_in)),
                    Err(error) => {
                        let code = error.code();
                        let message = match error {
                            ServiceError::Unauthenticated => "your session has expired".to_owned(),
                            other => async_graphql::Error::from(other).message,
                        };
                        return Ok(error_body(code, &message));
                    }
                },
            };
            let request: async_graphql::Request =
                serde_json::from_value(request.body).map_err(|e| TransportError(e.to_string()))?;
            let mut request = request.data(actor);
            if let Some(signed_in) = signed_in {
                request = request.data(signed_in);
            }
            let mut response = self.schema.execute(request).await;
            ensure_codes(&mut response);
            serde_json::to_value(&response).map_err(|e| TransportError(e.to_string()))
        })
    }

    fn upload<'a>(&'a self, upload: DocumentUpload, session: &'a str) -> TransportFuture<'a> {
        Box::pin(async move {
            let actor = match self.services.accounts.authenticate(session).await {
                Ok((actor, _)) => actor,
                Err(error) => {
                    return Ok(error_body(error.code(), "your session has expired"));
                }
            };
            let params = UploadParams {
                kind: upload.kind,
                name: upload.file_name,
                address_id: upload.address_id,
                customer_id: None,
            };
            let (_, body) =
                upload_outcome(&self.services, &actor, None, params, upload.bytes).await;
            Ok(body)
        })
    }
}
