//! The in-process transport of the portal and the operator console: their GraphQL requests run
//! on this server's schema without a network hop, authenticated by the session token exactly as
//! `/graphql` would be; the portal's document uploads run the upload route's code as a bearer
//! token would.

use portal::{DocumentUpload, GraphqlRequest, Transport, TransportError, TransportFuture};

use crate::auth::Actor;
use crate::error::ServiceError;
use crate::graphql::BillfoldSchema;
use crate::graphql::errors::{ensure_codes, error_body};
use crate::http::usage::{CsvKind, import_outcome};
use crate::http::vault::{UploadParams, upload_outcome};
use crate::services::Services;

/// Executes the portal's and the console's operations on the in-process schema.
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

impl InProcessTransport {
    /// Runs one GraphQL request body as the holder of `session` (or anonymously): the
    /// response body, or why the body was not a request.
    async fn run(
        &self,
        body: serde_json::Value,
        session: Option<&str>,
    ) -> Result<serde_json::Value, String> {
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
            serde_json::from_value(body).map_err(|e| e.to_string())?;
        let mut request = request.data(actor);
        if let Some(signed_in) = signed_in {
            request = request.data(signed_in);
        }
        let mut response = self.schema.execute(request).await;
        ensure_codes(&mut response);
        serde_json::to_value(&response).map_err(|e| e.to_string())
    }
}

impl console::Transport for InProcessTransport {
    fn execute<'a>(
        &'a self,
        request: console::GraphqlRequest,
        session: Option<&'a str>,
    ) -> console::TransportFuture<'a> {
        Box::pin(async move {
            self.run(request.body, session)
                .await
                .map_err(console::TransportError)
        })
    }

    fn download<'a>(
        &'a self,
        file: &'a console::FileRequest,
        session: &'a str,
    ) -> console::DownloadFuture<'a> {
        Box::pin(async move {
            // Like the API's download routes: a malformed id, an expired session, a file the
            // role may not read and one that does not exist are all "none".
            let Ok((actor, _)) = self.services.accounts.authenticate(session).await else {
                return Ok(None);
            };
            let found = match file {
                console::FileRequest::Document(id) => {
                    let Ok(id) = id.parse::<ids::DocumentId>() else {
                        return Ok(None);
                    };
                    self.services
                        .vault
                        .download(&actor, None, id)
                        .await
                        .map(|download| console::DocumentFile {
                            content_type: download.document.content_type,
                            file_name: download.document.file_name,
                            bytes: download.bytes,
                        })
                }
                console::FileRequest::InvoicePdf(id) => {
                    let Ok(id) = id.parse::<ids::InvoiceId>() else {
                        return Ok(None);
                    };
                    let pdf = self.services.documents.invoice_pdf(&actor, id).await;
                    pdf.map(pdf_file)
                }
                console::FileRequest::CreditNotePdf(id) => {
                    let Ok(id) = id.parse::<ids::CreditNoteId>() else {
                        return Ok(None);
                    };
                    let pdf = self.services.documents.credit_note_pdf(&actor, id).await;
                    pdf.map(pdf_file)
                }
            };
            match found {
                Ok(file) => Ok(Some(file)),
                Err(ServiceError::Internal(source)) => {
                    tracing::error!(error = ?source, "serving a file to the console");
                    Err(console::TransportError(
                        "the file cannot be read now".into(),
                    ))
                }
                Err(_) => Ok(None),
            }
        })
    }

    fn import<'a>(
        &'a self,
        kind: console::ImportKind,
        csv: Vec<u8>,
        session: &'a str,
    ) -> console::TransportFuture<'a> {
        Box::pin(async move {
            let actor = match self.services.accounts.authenticate(session).await {
                Ok((actor, _)) => actor,
                Err(error) => {
                    let code = error.code();
                    let message = async_graphql::Error::from(error).message;
                    return Ok(error_body(code, &message));
                }
            };
            let kind = match kind {
                console::ImportKind::Usage => CsvKind::Usage,
                console::ImportKind::Calls => CsvKind::Calls,
            };
            Ok(import_outcome(&self.services, &actor, kind, &csv).await.1)
        })
    }
}

/// A stored PDF as the console serves it.
fn pdf_file(pdf: crate::services::documents::Pdf) -> console::DocumentFile {
    console::DocumentFile {
        content_type: "application/pdf".into(),
        file_name: pdf.filename,
        bytes: pdf.bytes,
    }
}

impl Transport for InProcessTransport {
    fn execute<'a>(
        &'a self,
        request: GraphqlRequest,
        session: Option<&'a str>,
    ) -> TransportFuture<'a> {
        Box::pin(async move {
            self.run(request.body, session)
                .await
                .map_err(TransportError)
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
