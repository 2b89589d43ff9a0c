//! Usage over plain HTTP, both thin adapters over the one ingestion service
//! ([`crate::services::usage`]), both taking a bearer credential only (an API key with
//! `usage:write`, or a staff token), never the session cookie:
//!
//! - `POST /api/v3/usage`: ChargeOver-compatible. The body is one
//!   `{"line_item_id", "usage_value", "from", "to"}` or a list of them; `line_item_id` is our
//!   subscription item id (`si_…`; ChargeOver's are numbers, ours are strings), `usage_value` a
//!   number or a decimal string, `from`/`to` `YYYY-MM-DD HH:MM:SS` (UTC) or RFC 3339. The answer
//!   is ChargeOver's envelope: `201 {"code":201,"status":"OK","message":"","response":{"id":…}}`
//!   (a list: `"response":[{"id":…},…]`), errors `{"code":400|401|403,"status":"Error",
//!   "message":…,"response":false}` with `"details"` listing every bad record by position.
//!
//!   Idempotency: ChargeOver has no key, so one is derived. With an `Idempotency-Key` header,
//!   the key is the header's value (`#n` appended for the n-th record of a list). Without one,
//!   it is the SHA-256 of (line item, value, from, to): a client that retries the same post
//!   (a timeout, a lost answer) bills it once, and a reading is identified by what it measures
//!   — the same quantity for the same item over exactly the same span is one reading. A client
//!   that really sends two equal readings for one span must tell them apart with the header.
//! - `POST /usage/import`: a CSV file as the body (columns in
//!   [`crate::services::usage::csv_import`]); 201 with the counts, or 400 with every bad row
//!   by number (the header is row 1) and nothing recorded.
//! - `POST /calls/import`: the same for call records (columns in
//!   [`crate::services::numbers::csv_import`]), rated at ingestion; the counts include
//!   `unrated`.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::auth::{Credentials, credentials};
use crate::auth::Actor;
use crate::error::{ErrorCode, RecordProblem, ServiceError};
use crate::services::Services;
use crate::services::usage::keys::{SECRET_PREFIX, Scope};
use crate::services::usage::{FieldNames, RecordInput, csv_import};
use crate::state::AppState;
use crate::storage::sha256_hex;

/// Largest body of either route: 10,000 records fit with room to spare.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// ChargeOver's field names, for errors.
const CHARGEOVER_NAMES: FieldNames = FieldNames {
    subscription_item: "line_item_id",
    quantity: "usage_value",
    from: "from",
    to: "to",
    idempotency_key: "Idempotency-Key",
};

/// The caller of a usage route: a bearer API key with `usage:write`, or a bearer token (the
/// service then requires staff). Anything else is `UNAUTHENTICATED`.
async fn machine_actor(app: &AppState, headers: &HeaderMap) -> Result<Actor, ServiceError> {
    match credentials(headers) {
        Credentials::Bearer(token) if token.starts_with(SECRET_PREFIX) => {
            let (actor, grant) = app.services.api_keys.authenticate(&token).await?;
            grant.require(Scope::UsageWrite)?;
            Ok(actor)
        }
        Credentials::Bearer(token) => Ok(app.services.accounts.authenticate(&token).await?.0),
        Credentials::SessionCookie(_) | Credentials::None | Credentials::Malformed => {
            Err(ServiceError::Unauthenticated)
        }
    }
}

/// `POST /api/v3/usage`.
pub async fn chargeover(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let actor = match machine_actor(&app, &headers).await {
        Ok(actor) => actor,
        Err(error) => return envelope_error(error),
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            return envelope(
                rejection.status(),
                &format!(
                    "the request body could not be read ({})",
                    rejection.body_text()
                ),
                Value::Bool(false),
                None,
            );
        }
    };
    let header_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let (records, single) = match chargeover_records(&body, header_key) {
        Ok(parsed) => parsed,
        Err(error) => return envelope_error(error),
    };
    match app
        .services
        .usage
        .record(&actor, &records, CHARGEOVER_NAMES, 0)
        .await
    {
        Ok(recorded) => {
            let ids: Vec<Value> = recorded
                .ids
                .iter()
                .map(|id| json!({ "id": id.to_string() }))
                .collect();
            let response = if single {
                ids.into_iter().next().unwrap_or(Value::Null)
            } else {
                Value::Array(ids)
            };
            envelope(StatusCode::CREATED, "", response, None)
        }
        Err(error) => envelope_error(error),
    }
}

/// Reads ChargeOver records: one object or a list. Whether it was one object comes back too.
fn chargeover_records(
    body: &[u8],
    header_key: Option<&str>,
) -> Result<(Vec<RecordInput>, bool), ServiceError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| ServiceError::bad_input("body", "the body is not valid JSON"))?;
    let (items, single) = match value {
        Value::Array(items) => (items, false),
        object @ Value::Object(_) => (vec![object], true),
        _ => {
            return Err(ServiceError::bad_input(
                "body",
                "send a usage object or a list of them",
            ));
        }
    };
    let mut problems = Vec::new();
    let mut records = Vec::with_capacity(items.len());
    for (position, item) in items.iter().enumerate() {
        let mut bad = |field: &str, message: &str| {
            problems.push(RecordProblem {
                position,
                field: field.to_owned(),
                message: message.to_owned(),
                not_found: false,
            })
        };
        let Value::Object(fields) = item else {
            bad("body", "each usage entry is an object");
            continue;
        };
        let text = |name: &str| match fields.get(name) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let line_item = match fields.get("line_item_id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(_)) => {
                bad(
                    "line_item_id",
                    "Billfold's line item ids are subscription item ids (`si_…`), sent as strings",
                );
                String::new()
            }
            _ => {
                bad("line_item_id", "required");
                String::new()
            }
        };
        let value = text("usage_value").unwrap_or_else(|| {
            bad("usage_value", "required: a number");
            String::new()
        });
        let from = match fields.get("from") {
            Some(Value::String(s)) => s.clone(),
            _ => {
                bad("from", "required: YYYY-MM-DD HH:MM:SS");
                String::new()
            }
        };
        let to = match fields.get("to") {
            Some(Value::String(s)) => s.clone(),
            _ => {
                bad("to", "required: YYYY-MM-DD HH:MM:SS");
                String::new()
            }
        };
        let key = derived_key(header_key, single, position, &line_item, &value, &from, &to);
        records.push(RecordInput {
            subscription_item: line_item,
            quantity: value,
            from,
            to,
            idempotency_key: key,
            ..RecordInput::default()
        });
    }
    if !problems.is_empty() {
        return Err(ServiceError::InvalidRecords(problems));
    }
    Ok((records, single))
}

/// The idempotency key of a ChargeOver record (see the module docs).
fn derived_key(
    header: Option<&str>,
    single: bool,
    position: usize,
    line_item: &str,
    value: &str,
    from: &str,
    to: &str,
) -> String {
    match header {
        Some(key) => {
            let key = if single {
                key.to_owned()
            } else {
                format!("{key}#{position}")
            };
            if key.len() > 200 {
                format!("co:h:{}", sha256_hex(key.as_bytes()))
            } else {
                format!("co:h:{key}")
            }
        }
        None => {
            // The value normalised, so `22`, `22.0` and `"22"` are one reading.
            let value = value
                .trim()
                .parse::<billing::Decimal>()
                .map(|d| d.normalize().to_string())
                .unwrap_or_else(|_| value.trim().to_owned());
            let reading = format!(
                "{}\n{value}\n{}\n{}",
                line_item.trim(),
                from.trim(),
                to.trim()
            );
            format!("co:{}", sha256_hex(reading.as_bytes()))
        }
    }
}

/// ChargeOver's envelope.
fn envelope(
    status: StatusCode,
    message: &str,
    response: Value,
    details: Option<Value>,
) -> Response {
    let mut body = json!({
        "code": status.as_u16(),
        "status": if status.is_success() { "OK" } else { "Error" },
        "message": message,
        "response": response,
    });
    if let Some(details) = details {
        body["details"] = details;
    }
    (status, axum::Json(body)).into_response()
}

/// An error in ChargeOver's envelope: 401, 403, 400 for inputs (an unknown line item too, as
/// ChargeOver answers it), 500 internal.
fn envelope_error(error: ServiceError) -> Response {
    let status = match error.code() {
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    let details = match &error {
        ServiceError::InvalidRecords(problems) => Some(Value::Array(
            problems
                .iter()
                .map(|p| json!({ "position": p.position, "field": p.field, "message": p.message }))
                .collect(),
        )),
        ServiceError::BadInput { field, .. } => Some(json!([{ "field": field }])),
        _ => None,
    };
    let message = async_graphql::Error::from(error).message;
    envelope(status, &message, Value::Bool(false), details)
}

/// Which records a CSV file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvKind {
    /// Usage records (`POST /usage/import`).
    Usage,
    /// Call records, rated at ingestion (`POST /calls/import`).
    Calls,
}

/// `POST /usage/import`: a CSV file.
pub async fn import_csv(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    import_route(&app, &headers, body, CsvKind::Usage).await
}

/// `POST /calls/import`: a CSV file of calls.
pub async fn import_calls_csv(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    import_route(&app, &headers, body, CsvKind::Calls).await
}

/// Either import route: the caller, the body, then [`import_outcome`].
async fn import_route(
    app: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    kind: CsvKind,
) -> Response {
    let actor = match machine_actor(app, headers).await {
        Ok(actor) => actor,
        Err(error) => return json_answer(csv_error(error)),
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let message = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                format!(
                    "the file is larger than {} MiB",
                    MAX_BODY_BYTES / (1024 * 1024)
                )
            } else {
                rejection.body_text()
            };
            let body = json!({ "errors": [{ "message": message,
                "extensions": { "code": "BAD_USER_INPUT", "field": "file" } }] });
            return json_answer((rejection.status(), body));
        }
    };
    json_answer(import_outcome(&app.services, &actor, kind, &body).await)
}

fn json_answer((status, body): (StatusCode, Value)) -> Response {
    (status, axum::Json(body)).into_response()
}

/// Imports a CSV file of `kind` as `actor`: the import routes' answer, status and body, which
/// the console's upload gets too. 201 `{"received", "inserted", "duplicates"}` (calls add
/// `"unrated"`), or the GraphQL error shape with every bad row (nothing is recorded then).
pub async fn import_outcome(
    services: &Services,
    actor: &Actor,
    kind: CsvKind,
    csv: &[u8],
) -> (StatusCode, Value) {
    use crate::services::numbers::{calls::CallFieldNames, csv_import as calls_csv};
    let answer = match kind {
        CsvKind::Usage => match csv_import::read(csv) {
            Ok(records) => services
                .usage
                .record(
                    actor,
                    &records,
                    csv_import::FIELD_NAMES,
                    csv_import::FIRST_ROW,
                )
                .await
                .map(|recorded| {
                    json!({
                        "received": recorded.report.received,
                        "inserted": recorded.report.inserted,
                        "duplicates": recorded.report.duplicates,
                    })
                }),
            Err(error) => Err(error),
        },
        CsvKind::Calls => match calls_csv::read(csv) {
            Ok(calls) => services
                .numbers
                .record_calls(actor, &calls, CallFieldNames::CSV, calls_csv::FIRST_ROW)
                .await
                .map(|recorded| {
                    json!({
                        "received": recorded.received,
                        "inserted": recorded.inserted,
                        "duplicates": recorded.duplicates,
                        "unrated": recorded.unrated,
                    })
                }),
            Err(error) => Err(error),
        },
    };
    match answer {
        Ok(counts) => (StatusCode::CREATED, counts),
        Err(error) => csv_error(error),
    }
}

/// A refused import: the GraphQL error shape; bad rows as `extensions.rows` (row number,
/// column, message).
fn csv_error(error: ServiceError) -> (StatusCode, Value) {
    let status = match error.code() {
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    let code = error.code().as_str();
    let body = match &error {
        ServiceError::InvalidRecords(problems) => {
            let rows: Vec<Value> = problems
                .iter()
                .map(|p| json!({ "row": p.position, "column": p.field, "message": p.message }))
                .collect();
            let message = format!(
                "{} bad row{}, nothing was imported",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            );
            json!({ "errors": [{ "message": message,
                "extensions": { "code": code, "field": "file", "rows": rows } }] })
        }
        _ => {
            let error = async_graphql::Error::from(error);
            json!({ "errors": [{ "message": error.message, "extensions": error.extensions }] })
        }
    };
    (status, body)
}
