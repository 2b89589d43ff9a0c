//! The documents vault over plain HTTP: `POST /documents` uploads one (the raw file as the
//! body, what it is in the query), `GET /documents/{id}` downloads one.
//!
//! Uploads are not GraphQL: a multipart `/graphql` is a request a browser sends cross-site
//! without a preflight. This route is safe from that too because it takes a bearer token only,
//! never the session cookie alone, and a cross-site page cannot set an `Authorization` header.
//! The portal's upload form posts to the portal (with its CSRF token), which hands the file to
//! [`upload_outcome`] through its transport.
//!
//! Downloads take the session cookie as well (a link in the portal), answer 404 to anyone who
//! may not see the document, and are attachments the browser must not sniff.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, HeaderValue,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use entity::document;
use ids::{BillingAddressId, CustomerId, DocumentId};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{Credentials, credentials};
use crate::auth::Actor;
use crate::error::{ErrorCode, ServiceError};
use crate::services::Services;
use crate::services::vault::file::MAX_BYTES;
use crate::services::vault::upload::NewDocument;
use crate::services::vault::{VaultError, kind_name};
use crate::state::AppState;

/// The query of `POST /documents`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadParams {
    /// The document type (`company_registration`, `contract`, `iban_mandate`,
    /// `portability_mandate`, `proof_of_address`, `other`).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The file's name, for display.
    #[serde(default)]
    pub name: String,
    /// For a proof of address: the address (`addr_…`).
    pub address_id: Option<String>,
    /// For staff: the organisation (`cus_…`) the document is published to.
    pub customer_id: Option<String>,
}

/// Where a document is downloaded.
pub fn download_url(id: DocumentId) -> String {
    format!("/documents/{id}")
}

/// `POST /documents?type=…&name=…[&addressId=…][&customerId=…]`, the file as the body.
pub async fn upload(
    State(app): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<UploadParams>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return refusal(VaultError::TooLarge { max: MAX_BYTES }.into());
        }
        Err(rejection) => {
            return refusal(ServiceError::bad_input("file", rejection.body_text()));
        }
    };
    let Ok(Query(params)) = params else {
        return refusal(ServiceError::bad_input("type", "a malformed query string"));
    };
    let actor = match credentials(&headers) {
        Credentials::Bearer(token) => match app.services.accounts.authenticate(&token).await {
            Ok((actor, _)) => actor,
            Err(error) => return refusal(error),
        },
        // The cookie alone is what a cross-site form would carry: never enough here.
        Credentials::SessionCookie(_) | Credentials::None | Credentials::Malformed => {
            return refusal(ServiceError::Unauthenticated);
        }
    };
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    let (status, body) =
        upload_outcome(&app.services, &actor, request_id, params, body.to_vec()).await;
    (status, axum::Json(body)).into_response()
}

/// Runs an upload for `actor` and answers what the route answers: 201 and
/// `{"document": {…}}`, or a status and `{"errors": [{message, extensions: {code, field,
/// reason}}]}` like GraphQL's. Shared by the route and the portal's transport.
pub async fn upload_outcome(
    services: &Services,
    actor: &Actor,
    request_id: Option<&str>,
    params: UploadParams,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let new = match document_of(params, bytes) {
        Ok(new) => new,
        Err(error) => return error_json(error),
    };
    match services
        .vault
        .upload(actor, request_id, new, services.clock.now())
        .await
    {
        Ok(row) => (
            StatusCode::CREATED,
            json!({ "document": document_json(&row) }),
        ),
        Err(error) => error_json(error),
    }
}

/// The upload's parameters parsed (ids; the rest is the service's to check).
fn document_of(params: UploadParams, bytes: Vec<u8>) -> Result<NewDocument, ServiceError> {
    let id = |value: Option<String>, field: &'static str| {
        value
            .filter(|v| !v.trim().is_empty())
            .map(|v| v.trim().to_owned())
            .map(move |v| (v, field))
    };
    let customer = id(params.customer_id, "customerId")
        .map(|(v, field)| {
            v.parse::<CustomerId>()
                .map_err(|e| ServiceError::bad_input(field, e.to_string()))
        })
        .transpose()?;
    let address = id(params.address_id, "addressId")
        .map(|(v, field)| {
            v.parse::<BillingAddressId>()
                .map_err(|e| ServiceError::bad_input(field, e.to_string()))
        })
        .transpose()?;
    Ok(NewDocument {
        customer,
        kind: params.kind,
        file_name: params.name,
        address,
        bytes,
    })
}

/// A document as the upload answers it: the fields and enum values of the GraphQL `Document`
/// type (`"type": "PROOF_OF_ADDRESS"`), so a client reads both the same way.
fn document_json(row: &document::Model) -> Value {
    json!({
        "id": row.id.to_string(),
        "type": kind_name(row.kind).to_uppercase(),
        "status": format!("{:?}", row.status).to_uppercase(),
        "fileName": row.file_name,
        "contentType": row.content_type,
        "sizeBytes": row.size_bytes,
        "sha256": row.sha256,
        "addressId": row.address_id.map(|a| a.to_string()),
        "published": row.published,
        "downloadUrl": download_url(row.id),
    })
}

/// A refusal as the route answers it.
fn refusal(error: ServiceError) -> Response {
    let (status, body) = error_json(error);
    (status, axum::Json(body)).into_response()
}

/// A refusal's status and body: the GraphQL error shape, with an HTTP status that says the
/// same (413 too large, 415 not a PDF/PNG/JPEG, 400 other inputs, 401, 403, 404, 409).
fn error_json(error: ServiceError) -> (StatusCode, Value) {
    let status = match &error {
        ServiceError::BadInput {
            reason: Some("TOO_LARGE"),
            ..
        } => StatusCode::PAYLOAD_TOO_LARGE,
        ServiceError::BadInput {
            reason: Some("UNSUPPORTED_TYPE"),
            ..
        } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        other => match other.code() {
            ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::BadUserInput => StatusCode::BAD_REQUEST,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::CONFLICT,
        },
    };
    let error = async_graphql::Error::from(error);
    let body = json!({
        "errors": [{ "message": error.message, "extensions": error.extensions }]
    });
    (status, body)
}

/// `GET /documents/{id}`.
pub async fn download(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(id) = id.parse::<DocumentId>() else {
        return not_found();
    };
    let actor = match credentials(&headers) {
        Credentials::Bearer(token) | Credentials::SessionCookie(token) => {
            match app.services.accounts.authenticate(&token).await {
                Ok((actor, _)) => actor,
                Err(_) => return not_found(),
            }
        }
        Credentials::None | Credentials::Malformed => return not_found(),
    };
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    match app.services.vault.download(&actor, request_id, id).await {
        Ok(download) => {
            let row = &download.document;
            let mut response = (StatusCode::OK, download.bytes).into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&row.content_type) {
                headers.insert(CONTENT_TYPE, value);
            }
            headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            // Opened by mistake in the browser, it still runs nothing.
            headers.insert(
                CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
            if let Ok(value) = HeaderValue::from_str(&disposition(&row.file_name)) {
                headers.insert(CONTENT_DISPOSITION, value);
            }
            if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", row.sha256)) {
                headers.insert(ETAG, value);
            }
            response
        }
        Err(ServiceError::Internal(source)) => {
            tracing::error!(error = ?source, "serving a vault document");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the document cannot be read now",
            )
                .into_response()
        }
        Err(_) => not_found(),
    }
}

/// `attachment` with the name twice: plain ASCII for old clients, and RFC 5987's UTF-8 form.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

fn not_found() -> Response {
    let mut response = (StatusCode::NOT_FOUND, "no such document").into_response();
    response
        .headers_mut()
        .insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn the_download_name_is_quoted_safely_both_ways() {
        assert_eq!(
            disposition("Extrait Kbis é.pdf"),
            "attachment; filename=\"Extrait Kbis _.pdf\"; \
             filename*=UTF-8''Extrait%20Kbis%20%C3%A9.pdf"
        );
    }
}
