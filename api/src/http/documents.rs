//! `/invoices/{id}.pdf` and `/credit-notes/{id}.pdf`: a document's stored PDF, to its
//! customer's users and to staff. Everyone else, signed in or not, gets the same 404 as for a
//! document that does not exist, so a URL tells a stranger nothing.

use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, ETAG, HeaderValue, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ids::{CreditNoteId, InvoiceId};

use super::auth::{Credentials, credentials};
use crate::auth::Actor;
use crate::error::{ErrorCode, ServiceError, ServiceResult};
use crate::services::documents::Pdf;
use crate::state::AppState;

/// `GET /invoices/{id}.pdf`.
pub async fn invoice_pdf(
    State(app): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = id_of::<InvoiceId>(&file) else {
        return not_found();
    };
    let actor = actor(&app, &headers).await;
    respond(app.services.documents.invoice_pdf(&actor, id).await)
}

/// `GET /credit-notes/{id}.pdf`.
pub async fn credit_note_pdf(
    State(app): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = id_of::<CreditNoteId>(&file) else {
        return not_found();
    };
    let actor = actor(&app, &headers).await;
    respond(app.services.documents.credit_note_pdf(&actor, id).await)
}

/// The id in `inv_….pdf`; `None` for anything else.
fn id_of<T: std::str::FromStr>(file: &str) -> Option<T> {
    file.strip_suffix(".pdf")?.parse().ok()
}

/// The caller; credentials that do not verify count as none (the answer is a 404 either way).
pub(super) async fn actor(app: &AppState, headers: &HeaderMap) -> Actor {
    let token = match credentials(headers) {
        Credentials::Bearer(token) | Credentials::SessionCookie(token) => token,
        Credentials::None | Credentials::Malformed => return Actor::Anonymous,
    };
    match app.services.accounts.authenticate(&token).await {
        Ok((actor, _)) => actor,
        Err(_) => Actor::Anonymous,
    }
}

fn respond(result: ServiceResult<Pdf>) -> Response {
    match result {
        Ok(pdf) => {
            let disposition = format!("attachment; filename=\"{}\"", ascii_name(&pdf.filename));
            let mut response = (StatusCode::OK, pdf.bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
            headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            // Private to the signed-in user; revalidated (the ETag never changes).
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(CONTENT_DISPOSITION, value);
            }
            if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", pdf.sha256)) {
                headers.insert(ETAG, value);
            }
            response
        }
        Err(ServiceError::NotFound { .. } | ServiceError::Unauthenticated) => not_found(),
        Err(error) if error.code() == ErrorCode::Internal => {
            tracing::error!(?error, "serving a document");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the document cannot be read now",
            )
                .into_response()
        }
        Err(_) => not_found(),
    }
}

/// Document numbers are `A-Z0-9-`; anything else is replaced so the header stays well-formed.
fn ascii_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn not_found() -> Response {
    let mut response = (StatusCode::NOT_FOUND, "no such document").into_response();
    response
        .headers_mut()
        .insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}
