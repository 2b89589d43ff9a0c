//! `GET /admin/usage`: importing a CSV file of usage or call records (`POST`, a multipart
//! upload: the file goes to the API's import through the transport, never through GraphQL),
//! with every bad row of a refused file listed by number; and the calls no tariff prefix
//! matched, which `POST /admin/usage/rerate` rates again once their tariff has a new version.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::Console;
use crate::choices::every_tariff;
use crate::chrome::{Chrome, Nav};
use crate::client::{BadRow, ImportCounts, ImportOutcome};
use crate::error::PageError;
use crate::filter::{FilterField, FilterForm};
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{RerateCalls, UnratedCalls, rerate_calls, unrated_calls};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label};
use crate::transport::ImportKind;

/// The largest file the form takes, as the API's import routes (8 MiB), with room for the
/// form's other fields.
pub(super) const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024 + 64 * 1024;

/// The usage page.
#[derive(Template)]
#[template(path = "usage/import.html")]
struct UsagePage {
    chrome: Chrome,
    flash: Option<Flash>,
    /// What the last import did, on the answer to it.
    imported: Option<(ImportKind, ImportCounts)>,
    /// A refused file: the summary and every bad row.
    bad_rows: Option<(String, Vec<BadRow>)>,
    /// A refusal of the form as a whole (a role, no file).
    errors: FormErrors,
    /// The kind chosen.
    kind: ImportKind,
    /// Calls without a rate, oldest first, a page at a time.
    calls: Vec<CallRow>,
    /// The calls' filter: the tariff of their numbers.
    filter_form: FilterForm,
    /// The next page of calls (same filter), if there is one.
    next: Option<String>,
    /// `(id, "Europe standard (EUR, v3)")` of each tariff.
    tariffs: Vec<(String, String)>,
}

/// One unrated call.
struct CallRow {
    /// The customer's page.
    customer: Route,
    /// The customer's name.
    customer_name: String,
    /// The number it was made from (E.164).
    number: String,
    /// The tariff that found no prefix for it.
    tariff: String,
    started: String,
    direction: String,
    destination: String,
    seconds: i64,
}

impl UsagePage {
    fn is_calls(&self) -> bool {
        self.kind == ImportKind::Calls
    }

    /// Whether the re-rate form offers tariff `id` first: the one the calls are filtered by.
    fn is_filtered_tariff(&self, id: &str) -> bool {
        self.filter_form.fields.iter().any(|f| f.value == id)
    }

    /// "usage records" or "calls".
    fn records(&self, kind: &ImportKind) -> &'static str {
        match kind {
            ImportKind::Usage => "usage records",
            ImportKind::Calls => "calls",
        }
    }
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct UsageParams {
    done: Option<String>,
    /// The unrated calls' page.
    after: Option<String>,
    /// Only the calls of numbers using this tariff (`trf_…`); empty: every call.
    #[serde(default)]
    tariff: String,
}

/// The re-rate form.
#[derive(Deserialize)]
pub(super) struct RerateForm {
    csrf: String,
    tariff: String,
}

/// What an answer to the page carries besides the lists.
#[derive(Default)]
struct Outcome {
    flash: Option<Flash>,
    imported: Option<(ImportKind, ImportCounts)>,
    bad_rows: Option<(String, Vec<BadRow>)>,
    errors: FormErrors,
    kind: Option<ImportKind>,
    /// The unrated calls' page and tariff filter, as the URL gave them.
    after: Option<String>,
    tariff: String,
}

async fn usage_page(
    console: &Console,
    visitor: &Visitor,
    outcome: Outcome,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Usage).await?;
    let tariffs: Vec<(String, String)> = every_tariff(console, visitor, None)
        .await?
        .into_iter()
        .map(|t| {
            let text = format!("{} ({}, v{})", t.name, t.currency, t.version);
            (t.id, text)
        })
        .collect();
    // A tariff the filter does not offer is a bad link, not "every call", and never a page
    // whose "Rate again" would offer another tariff than the calls shown.
    if !outcome.tariff.is_empty() && !tariffs.iter().any(|(id, _)| *id == outcome.tariff) {
        return Err(PageError::BadRequest(
            "Choose a value the filter offers.".into(),
        ));
    }
    let variables = unrated_calls::Variables {
        after: outcome.after.clone(),
        tariff_id: Some(outcome.tariff.clone()).filter(|t| !t.is_empty()),
    };
    let data = console
        .run::<UnratedCalls>(variables, Some(&visitor.session))
        .await?;
    let connection = data.unrated_calls;
    let calls = connection
        .nodes
        .into_iter()
        .map(|c| CallRow {
            customer: Tab::Usage.route(&c.customer_id),
            customer_name: c.customer_name,
            number: c.number,
            tariff: c.tariff_name,
            started: format!(
                "{} {}",
                day(c.started_at.date_naive()),
                c.started_at.format("%H:%M:%S UTC")
            ),
            direction: label(&c.direction),
            destination: c.destination,
            seconds: c.duration_seconds,
        })
        .collect();
    let filter_form = FilterForm {
        route: Route::Usage,
        label: "Find unrated calls",
        fields: vec![FilterField::select_of(
            "tariff",
            "Tariff of the number",
            "Every tariff",
            tariffs.clone(),
            &outcome.tariff,
        )],
    };
    let next = connection
        .page_info
        .has_next_page
        .then_some(connection.page_info.end_cursor)
        .flatten();
    let status = if outcome.bad_rows.is_some() || outcome.errors.is_refused() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = UsagePage {
        chrome,
        flash: outcome.flash,
        imported: outcome.imported,
        bad_rows: outcome.bad_rows,
        errors: outcome.errors,
        kind: outcome.kind.unwrap_or(ImportKind::Usage),
        calls,
        next: filter_form.next_href(next),
        filter_form,
        tariffs,
    };
    Ok(render(status, &page))
}

/// `GET /admin/usage`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<UsageParams>,
) -> Result<Response, PageError> {
    let outcome = Outcome {
        flash: Flash::from_param(params.done.as_deref()),
        after: params.after,
        tariff: params.tariff,
        ..Outcome::default()
    };
    usage_page(&console, &visitor, outcome).await
}

/// The upload form's fields.
struct Upload {
    csrf: String,
    kind: Option<ImportKind>,
    file: Vec<u8>,
}

/// Reads the multipart form; a part that cannot be read is a bad request.
async fn read_upload(mut multipart: Multipart) -> Result<Upload, PageError> {
    let mut upload = Upload {
        csrf: String::new(),
        kind: None,
        file: Vec::new(),
    };
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        PageError::BadRequest(format!("The form could not be read: {}.", e.body_text()))
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => upload.csrf = field.text().await.map_err(unreadable)?,
            Some("kind") => {
                upload.kind = match field.text().await.map_err(unreadable)?.as_str() {
                    "usage" => Some(ImportKind::Usage),
                    "calls" => Some(ImportKind::Calls),
                    _ => None,
                }
            }
            Some("file") => upload.file = field.bytes().await.map_err(unreadable)?.to_vec(),
            _ => {}
        }
    }
    Ok(upload)
}

/// `POST /admin/usage`: the page with what the import did, or every bad row of the file.
pub(super) async fn import(
    State(console): State<Console>,
    visitor: Visitor,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let upload = read_upload(multipart).await?;
    visitor.verify_form(&upload.csrf)?;
    let Some(kind) = upload.kind else {
        let errors = FormErrors::on("kind", "Choose usage records or calls.");
        let outcome = Outcome {
            errors,
            ..Outcome::default()
        };
        return usage_page(&console, &visitor, outcome).await;
    };
    if upload.file.is_empty() {
        let errors = FormErrors::on("file", "Choose a CSV file with a header row.");
        let outcome = Outcome {
            errors,
            kind: Some(kind),
            ..Outcome::default()
        };
        return usage_page(&console, &visitor, outcome).await;
    }
    let outcome = match console.import(kind, upload.file, &visitor.session).await {
        Ok(ImportOutcome::Imported(counts)) => Outcome {
            imported: Some((kind, counts)),
            kind: Some(kind),
            ..Outcome::default()
        },
        Ok(ImportOutcome::BadRows { message, rows }) => Outcome {
            bad_rows: Some((message, rows)),
            kind: Some(kind),
            ..Outcome::default()
        },
        Err(error) => Outcome {
            errors: FormErrors::from_refusal(error, |f| f == "file")?,
            kind: Some(kind),
            ..Outcome::default()
        },
    };
    usage_page(&console, &visitor, outcome).await
}

/// `POST /admin/usage/rerate`.
pub(super) async fn rerate(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<RerateForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let input = rerate_calls::RerateCallsInput {
        tariff_id: form.tariff,
    };
    let rerated = console
        .run::<RerateCalls>(rerate_calls::Variables { input }, Some(&visitor.session))
        .await?
        .rerate_calls;
    let flash = if rerated.still_unrated == 0 {
        Flash::CallsRerated
    } else {
        Flash::CallsStillUnrated
    };
    Ok(Redirect::to(&flash.href(&Route::Usage)).into_response())
}
