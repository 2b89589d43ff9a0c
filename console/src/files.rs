//! Serving a file staff download (a vault document, an invoice's or a credit note's PDF)
//! under the console's own path: the API's download routes read the portal's cookie, never
//! the console's (`Path=/admin`), so the console fetches the file through its transport with
//! the staff member's session and hands it on.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::Console;
use crate::error::PageError;
use crate::session::Visitor;
use crate::transport::FileRequest;

/// The file as an attachment, or 404 for one the session may not read; 403 for a session
/// that is not staff's, whoever's file it is.
pub(crate) async fn serve(
    console: &Console,
    visitor: &Visitor,
    file: FileRequest,
) -> Result<Response, PageError> {
    visitor.require_staff(console).await?;
    let file = console
        .transport
        .download(&file, &visitor.session)
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?
        .ok_or(PageError::NotFound)?;
    let mut response = (StatusCode::OK, file.bytes).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&file.content_type) {
        headers.insert(CONTENT_TYPE, value);
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    if let Ok(value) = HeaderValue::from_str(&disposition(&file.file_name)) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    // Opened by mistake in the browser, it still runs nothing (the console's middleware
    // keeps a policy a handler set).
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

/// `attachment` with the name reduced to characters any header carries.
fn disposition(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachment; filename=\"{safe}\"")
}
