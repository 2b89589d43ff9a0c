//! The documents vault: uploads through `POST /documents` (size, type by content, hostile
//! names, who may), downloads scoped to the tenant, staff's review and publication, and the
//! same uploads and downloads against an S3-compatible server.

mod address_rules;
mod portal;
pub(crate) mod review;
mod s3;
mod uploads;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;
use tests::TestApp;

/// The size limit of an upload: 10 MiB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// A PDF-looking file of exactly `size` bytes (a PDF header, then padding).
pub fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.resize(size.max(bytes.len()), b'0');
    bytes
}

/// `POST /documents` with `query` (`type=…&name=…`), `bytes` and, when given, a bearer
/// token; the status and the JSON answer.
pub async fn upload(
    app: &TestApp,
    token: Option<&str>,
    query: &[(&str, &str)],
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let mut request = app
        .client
        .post(format!("{}/documents", app.address))
        .query(query)
        // Whatever the client declares, the bytes decide.
        .header("content-type", "application/pdf")
        .body(bytes);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("upload sent");
    let status = response.status();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// Uploads that must be accepted; the document.
pub async fn uploaded(app: &TestApp, token: &str, query: &[(&str, &str)], bytes: Vec<u8>) -> Value {
    let (status, body) = upload(app, Some(token), query, bytes).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["document"].clone()
}

/// GETs `url` with `token` (or none): status, headers, body.
pub async fn download(
    app: &TestApp,
    url: &str,
    token: Option<&str>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = app.client.get(format!("{}{url}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("download sent");
    let status = response.status();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.bytes().await.expect("body").to_vec(),
    )
}

/// The `extensions` of the first error of an answer.
pub fn extensions(body: &Value) -> &Value {
    &body["errors"][0]["extensions"]
}

/// The SHA-256 of `bytes` in hex.
pub fn sha256(bytes: &[u8]) -> String {
    super::documents::pdf::sha256(bytes)
}

/// The organisation's documents as `session` reads them, newest first.
pub async fn documents(session: &tests::Session<'_>) -> Vec<Value> {
    let data: Value = session
        .data(
            "documents",
            "{ viewer { organisation { documents(first: 100) { nodes {
                id type status fileName contentType sizeBytes sha256 downloadUrl addressId
                published rejectionReason reviewedAt uploadedAt } } } } }",
            serde_json::json!({}),
        )
        .await;
    data["viewer"]["organisation"]["documents"]["nodes"]
        .as_array()
        .expect("documents")
        .clone()
}
