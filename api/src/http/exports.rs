//! `/exports/consumption.{csv,html,pdf}?from=…&to=…&teamId=…&memberId=…&itemId=…&number=…&type=…`:
//! exactly the selection `Customer.consumption` names with the same filter (its `exports`
//! field gives these addresses), for a customer user (session cookie or bearer token) of its
//! own organisation, or staff with `customerId=cus_…`. A team, member or item of another
//! organisation, or no credentials, answers the same 404 as a missing one; a filter that
//! cannot be used answers 400 with why. Each export is audited before its first byte.

use std::collections::HashMap;

use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, HeaderValue, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use entity::customer;
use futures_util::stream;
use sea_orm::{EntityTrait, QueryFilter};

use super::auth::{Credentials, credentials};
use super::documents::actor;
use crate::auth::Actor;
use crate::error::{ErrorCode, ServiceError, ServiceResult};
use crate::services::usage::consumption::export::{
    CsvExport, ExportFormat, HTML_ROW_LIMIT, call_line, calls_total_row, filter_labels,
    period_text, truncated_note, who,
};
use crate::services::usage::consumption::{
    ConsumptionKind, ConsumptionQuery, ConsumptionService, Selection, Summary,
};
use crate::services::usage::keys::{SECRET_PREFIX, Scope};
use crate::state::AppState;

/// `GET /exports/{file}`: `consumption.csv`, `consumption.html` or `consumption.pdf`.
pub async fn consumption(
    State(app): State<AppState>,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let format = match file.as_str() {
        "consumption.csv" => ExportFormat::Csv,
        "consumption.html" => ExportFormat::Html,
        "consumption.pdf" => ExportFormat::Pdf,
        _ => return refused(ServiceError::NotFound { entity: "export" }),
    };
    let actor = match export_actor(&app, &headers).await {
        Ok(actor) => actor,
        Err(error) => return refused(error),
    };
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    match export(&app, &actor, request_id, &params, format).await {
        Ok(response) => response,
        Err(error) => refused(error),
    }
}

/// The caller of an export: a signed-in user (session or bearer token), or a machine with an
/// API key holding the `read` scope (it names the organisation with `customerId`, as staff
/// do). A user's credentials that do not verify count as none (404 either way); an API key that
/// does not verify, or lacks the scope, is refused.
async fn export_actor(app: &AppState, headers: &HeaderMap) -> ServiceResult<Actor> {
    match credentials(headers) {
        Credentials::Bearer(token) if token.starts_with(SECRET_PREFIX) => {
            let (actor, grant) = app.services.api_keys.authenticate(&token).await?;
            grant.require(Scope::Read)?;
            Ok(actor)
        }
        _ => Ok(actor(app, headers).await),
    }
}

async fn export(
    app: &AppState,
    actor: &Actor,
    request_id: Option<&str>,
    params: &HashMap<String, String>,
    format: ExportFormat,
) -> ServiceResult<Response> {
    let authenticated = actor.authenticated()?;
    let customer_id = match (authenticated.tenant, params.get("customerId")) {
        (Some(tenant), _) => tenant,
        (None, Some(id)) => id
            .parse()
            .map_err(|_| ServiceError::bad_input("customerId", "not a customer id"))?,
        (None, None) => {
            return Err(ServiceError::bad_input(
                "customerId",
                "staff name the organisation",
            ));
        }
    };
    let customer = customer::Entity::find_by_id(customer_id)
        .filter(authenticated.scope().condition(customer::Column::Id))
        .one(app.db.reads())
        .await?
        .ok_or(ServiceError::NotFound { entity: "customer" })?;
    let service = &app.services.consumption;
    let selection = service.select(actor, &customer, &query_of(params)?).await?;
    let summary = service.summary(&selection).await?;
    service
        .audit_export(actor, request_id, &selection, format, &summary)
        .await?;
    let name = format!("consumption-{}-{}", selection.from, selection.to);
    Ok(match format {
        ExportFormat::Csv => attachment(
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
            Body::from_stream(csv_stream(service.csv_export(selection).await?)),
        ),
        ExportFormat::Pdf => {
            let pdf = service.pdf(&selection, &summary, &customer.name).await?;
            attachment("application/pdf", &format!("{name}.pdf"), Body::from(pdf))
        }
        ExportFormat::Html => {
            let page = html_page(service, &selection, &summary, &customer.name).await?;
            let html = page.render().map_err(ServiceError::internal)?;
            let mut response = (StatusCode::OK, html).into_response();
            let headers = response.headers_mut();
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            response
        }
    })
}

/// The filter of the query string; a value that cannot be read is refused by its name.
fn query_of(params: &HashMap<String, String>) -> ServiceResult<ConsumptionQuery> {
    let text = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let day = |name: &str| {
        text(name)
            .map(|v| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| ServiceError::bad_input(name, "a date is YYYY-MM-DD"))
            })
            .transpose()
    };
    fn id<T: std::str::FromStr>(value: Option<&str>, name: &str) -> ServiceResult<Option<T>> {
        value
            .map(|v| {
                v.parse()
                    .map_err(|_| ServiceError::bad_input(name, "not an id of that kind"))
            })
            .transpose()
    }
    Ok(ConsumptionQuery {
        from: day("from")?,
        to: day("to")?,
        team: id(text("teamId"), "teamId")?,
        member: id(text("memberId"), "memberId")?,
        item: id(text("itemId"), "itemId")?,
        number: text("number").map(str::to_owned),
        kind: match text("type") {
            None => None,
            Some("usage") => Some(ConsumptionKind::Usage),
            Some("calls") => Some(ConsumptionKind::Calls),
            Some(_) => {
                return Err(ServiceError::bad_input("type", "`usage` or `calls`"));
            }
        },
    })
}

/// The file chunk after chunk, as [`CsvExport`] reads it: memory stays that of a few chunks
/// whatever the selection, and no connection is held between chunks. A task reads the next
/// chunk while the previous one is sent ([`CSV_CHUNKS_AHEAD`] at most wait), so the database
/// and the network work at the same time; it stops when the client goes away.
fn csv_stream(
    mut export: CsvExport,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    let (chunks, received) = tokio::sync::mpsc::channel(CSV_CHUNKS_AHEAD);
    tokio::spawn(async move {
        loop {
            let chunk = match export.next_chunk().await {
                Ok(Some(bytes)) => Ok(Bytes::from(bytes)),
                Ok(None) => break,
                Err(error) => {
                    tracing::error!(?error, "consumption CSV export");
                    Err(std::io::Error::other("the export failed"))
                }
            };
            let failed = chunk.is_err();
            if chunks.send(chunk).await.is_err() || failed {
                break;
            }
        }
    });
    stream::unfold(received, |mut received| async move {
        received.recv().await.map(|chunk| (chunk, received))
    })
}

/// CSV chunks read ahead of the one being sent.
const CSV_CHUNKS_AHEAD: usize = 2;

/// The printable HTML export.
#[derive(Template)]
#[template(path = "exports/consumption.html")]
struct HtmlExport {
    organisation: String,
    period: String,
    time_zone: String,
    filters: Vec<(&'static str, String)>,
    /// (product, records, quantity, amount or "—").
    totals: Vec<(String, u64, String, String)>,
    record_count: u64,
    /// (started, product, who, number, quantity).
    rows: Vec<(String, String, String, String, String)>,
    truncated: Option<String>,
}

async fn html_page(
    service: &ConsumptionService,
    selection: &Selection,
    summary: &Summary,
    organisation: &str,
) -> ServiceResult<HtmlExport> {
    let records = service.first_records(selection, HTML_ROW_LIMIT).await?;
    let calls = service
        .first_calls(selection, HTML_ROW_LIMIT - records.len() as u64)
        .await?;
    Ok(HtmlExport {
        organisation: organisation.to_owned(),
        period: period_text(selection),
        time_zone: selection.tz.name().to_owned(),
        filters: filter_labels(selection),
        totals: summary
            .totals
            .iter()
            .map(|t| {
                (
                    t.product.clone(),
                    t.records,
                    t.quantity.to_string(),
                    t.amount.map_or_else(|| "—".to_owned(), |a| a.to_string()),
                )
            })
            .chain(summary.calls.as_ref().map(calls_total_row))
            .collect(),
        record_count: summary.rows(),
        truncated: truncated_note(summary.rows(), (records.len() + calls.len()) as u64, "page"),
        rows: records
            .iter()
            .map(|r| {
                (
                    r.row
                        .from_at
                        .with_timezone(&selection.tz)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    r.product.clone(),
                    who(r),
                    r.row.number.clone().unwrap_or_default(),
                    r.row.quantity.clone(),
                )
            })
            .chain(
                calls.iter().map(|c| call_line(selection, c)).map(
                    |(when, what, number, billed)| (when, what, String::new(), number, billed),
                ),
            )
            .collect(),
    })
}

fn attachment(content_type: &'static str, filename: &str, body: Body) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

fn refused(error: ServiceError) -> Response {
    let (status, message) = match &error {
        ServiceError::NotFound { .. } | ServiceError::Unauthenticated => {
            (StatusCode::NOT_FOUND, "no such export".to_owned())
        }
        ServiceError::Forbidden => (
            StatusCode::FORBIDDEN,
            "this API key does not have the read scope".to_owned(),
        ),
        _ if error.code() == ErrorCode::BadUserInput => {
            (StatusCode::BAD_REQUEST, error.public_message())
        }
        _ if error.code() == ErrorCode::Internal => {
            tracing::error!(?error, "consumption export");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the export cannot be made now".to_owned(),
            )
        }
        _ => (StatusCode::NOT_FOUND, "no such export".to_owned()),
    };
    let mut response = (status, message).into_response();
    response
        .headers_mut()
        .insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}
