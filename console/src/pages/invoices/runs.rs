//! `GET /admin/billing-runs`: the billing runs, newest first, a page at a time, filtered by
//! status or to those with failures (`?status=FAILED&failures=1`), with the form that starts
//! one (`POST /admin/billing-runs`); the API decides who may (support may not) and refuses a
//! second run while one is running.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::filter::chosen;
use crate::form::{FormErrors, InputField};
use crate::html::render;
use crate::operations::{BillingRuns, StartBillingRun, billing_runs, start_billing_run};
use crate::route::Route;
use crate::session::Visitor;
use crate::text::{day, label};

/// The billing runs page.
#[derive(Template)]
#[template(path = "invoices/runs.html")]
struct RunsPage {
    chrome: Chrome,
    /// The start form's fields.
    as_of: InputField,
    workers: InputField,
    /// The start form's refusal, above it.
    form_error: Option<String>,
    /// The runs, on this page.
    rows: Vec<RunRow>,
    /// The next page, if any, with the same filter.
    next: Option<String>,
    /// The filter shown.
    filter: RunsFilter,
}

impl RunsPage {
    /// The start form's fields, in order.
    fn fields(&self) -> [&InputField; 2] {
        [&self.as_of, &self.workers]
    }

    /// The statuses the filter offers: (value, words).
    fn statuses(&self) -> [(&'static str, &'static str); 3] {
        RUN_STATUSES
    }
}

/// The statuses the list filters by: (schema value, words).
const RUN_STATUSES: [(&str, &str); 3] = [
    ("RUNNING", "Running"),
    ("COMPLETED", "Completed"),
    ("FAILED", "Failed"),
];

/// Which runs the list shows.
#[derive(Default)]
struct RunsFilter {
    /// A status of [`RUN_STATUSES`], or empty for every status.
    status: String,
    /// Only runs with subscriptions they could not bill.
    failures: bool,
}

impl RunsFilter {
    /// The filter as a page's query pairs, for the next page's link.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("status", self.status.clone())];
        if self.failures {
            pairs.push(("failures", "1".to_owned()));
        }
        pairs
    }

    /// Whether it keeps fewer than every run.
    fn is_set(&self) -> bool {
        !self.status.is_empty() || self.failures
    }
}

/// One run, as the list shows it.
struct RunRow {
    /// Its page.
    href: String,
    /// When it started (UTC).
    started: String,
    /// The day it billed up to.
    as_of: String,
    /// Who started it, in words.
    origin: String,
    /// Its status, in words, and the badge's class.
    status: String,
    badge: &'static str,
    due: i64,
    invoiced: i64,
    failed: i64,
}

/// The list's parameters.
#[derive(Deserialize)]
pub(super) struct RunsParams {
    after: Option<String>,
    /// A status the filter offers, or empty.
    #[serde(default)]
    status: String,
    /// `1`: only runs with failures.
    #[serde(default)]
    failures: String,
}

/// The start form, as posted.
#[derive(Deserialize)]
pub(super) struct StartForm {
    csrf: String,
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    workers: String,
}

/// The badge class of a status: running stands out, a failure is red.
pub(super) fn badge(status: &str) -> &'static str {
    match status {
        "Completed" => "ok",
        "Failed" => "danger",
        _ => "warn",
    }
}

/// Who started a run, in words.
pub(super) fn origin(origin: &impl std::fmt::Debug) -> String {
    match label(origin).as_str() {
        "Staff" => "Staff".to_owned(),
        "Scheduler" => "The scheduler".to_owned(),
        "Cli" => "The command line".to_owned(),
        other => other.to_owned(),
    }
}

/// The page of the runs `filter` keeps from `after`, with `form` (and its refusal) in the
/// start form.
async fn runs_page(
    console: &Console,
    visitor: &Visitor,
    (filter, after): (RunsFilter, Option<String>),
    form: &StartForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::BillingRuns).await?;
    let variables = billing_runs::Variables {
        after,
        status: chosen(&filter.status, &RUN_STATUSES)?,
        with_failures: filter.failures.then_some(true),
    };
    let data = console
        .run::<BillingRuns>(variables, Some(&visitor.session))
        .await?;
    let runs = data.billing_runs;
    let status = errors.status();
    let page = RunsPage {
        chrome,
        as_of: InputField::text("as_of".into(), "Bill up to", &form.as_of, &errors, "asOf")
            .kind("date", "off")
            .hint("Every period due by this day; empty: today."),
        workers: InputField::text(
            "workers".into(),
            "Workers",
            &form.workers,
            &errors,
            "workers",
        )
        .hint("1 to 16 billing at once; empty: 1."),
        form_error: errors.form,
        next: runs
            .page_info
            .end_cursor
            .filter(|_| runs.page_info.has_next_page)
            .map(|c| Route::BillingRuns(Some(c)).href_with(&filter.pairs())),
        rows: runs
            .nodes
            .into_iter()
            .map(|r| {
                let status = label(&r.status);
                RunRow {
                    href: Route::BillingRun(r.id, None).href(),
                    started: r.started_at.format("%-d %b %Y %H:%M UTC").to_string(),
                    as_of: day(r.as_of),
                    origin: origin(&r.origin),
                    badge: badge(&status),
                    status,
                    due: r.due,
                    invoiced: r.invoiced,
                    failed: r.failed,
                }
            })
            .collect(),
        filter,
    };
    Ok(render(status, &page))
}

/// `GET /admin/billing-runs`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<RunsParams>,
) -> Result<Response, PageError> {
    let after = params.after.filter(|a| !a.is_empty());
    let filter = RunsFilter {
        status: params.status,
        failures: params.failures == "1",
    };
    let form = StartForm {
        csrf: String::new(),
        as_of: String::new(),
        workers: String::new(),
    };
    runs_page(
        &console,
        &visitor,
        (filter, after),
        &form,
        FormErrors::none(),
    )
    .await
}

/// `POST /admin/billing-runs`: to the new run's page, or the list again with the API's
/// refusal (a date in the future, a run already running, a role that may not).
pub(super) async fn start(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<StartForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let workers = match form.workers.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let errors = FormErrors::on("workers", "Workers must be a whole number.");
                return runs_page(&console, &visitor, Default::default(), &form, errors).await;
            }
        },
    };
    let variables = start_billing_run::Variables {
        input: start_billing_run::StartBillingRunInput {
            as_of: Some(form.as_of.trim().to_owned()).filter(|d| !d.is_empty()),
            workers,
        },
    };
    match console
        .run::<StartBillingRun>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => Ok(Route::BillingRun(data.start_billing_run.run.id, None)
            .redirect()
            .into_response()),
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| f == "asOf" || f == "workers")?;
            runs_page(&console, &visitor, Default::default(), &form, errors).await
        }
    }
}
