//! `GET /admin/billing-runs/brun_…`: one billing run, its status and counts, the invoices it
//! made (each linking to its console page) and its failures with why.
//!
//! While the run is running the page follows it: without JavaScript it refreshes itself every
//! two seconds (a `<meta http-equiv="refresh">` inside `<noscript>`, so a script that does
//! better stops it); with JavaScript `static/billing-run.js` subscribes to
//! `billingRunProgress` over `/admin/graphql/ws`, updates the counts and reloads the page when
//! the run ends. The script is the console's only one: this page's policy allows it by a
//! nonce of the response, every other page keeps `script-src 'none'`.

use std::sync::LazyLock;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use super::runs::{badge, origin};
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::csp::POLICY;
use crate::error::PageError;
use crate::html::render;
use crate::operations::{BillingRun, billing_run, billing_run_progress};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label};

/// The run page.
#[derive(Template)]
#[template(path = "invoices/run.html")]
struct RunPage {
    chrome: Chrome,
    /// The run's id (`brun_…`), for the script.
    id: String,
    /// Whether it is running: the page follows it.
    running: bool,
    /// This response's script nonce.
    nonce: String,
    /// Status in words, and its badge's class.
    status: String,
    badge: &'static str,
    as_of: String,
    origin: String,
    workers: i64,
    started: String,
    finished: Option<String>,
    due: i64,
    invoiced: i64,
    failed: i64,
    /// Why a failed run stopped.
    error: Option<String>,
    failures: Vec<FailureRow>,
    invoices: Vec<InvoiceRow>,
    /// The next page of its invoices, if any.
    next: Option<Route>,
}

/// A subscription the run could not bill, with its customer: who staff must look at.
struct FailureRow {
    /// The customer's subscriptions tab and name; `None` if the subscription is gone.
    customer: Option<(Route, String)>,
    subscription_id: String,
    code: String,
    message: String,
}

impl From<billing_run::BillingRunBillingRunFailures> for FailureRow {
    fn from(f: billing_run::BillingRunBillingRunFailures) -> Self {
        Self {
            customer: f
                .customer_id
                .zip(f.customer_name)
                .map(|(id, name)| (Tab::Subscriptions.route(&id), name)),
            subscription_id: f.subscription_id,
            code: f.code,
            message: f.message,
        }
    }
}

/// One invoice the run made.
struct InvoiceRow {
    number: String,
    /// Its console page.
    href: String,
    /// Its customer's name as invoiced, and page.
    billed_to: String,
    customer: String,
    issued: String,
    total: String,
}

/// The page's parameters: `after` pages the invoices.
#[derive(Deserialize)]
pub(super) struct RunParams {
    after: Option<String>,
}

/// A fresh nonce: 16 random bytes.
fn nonce() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("operating system random source");
    STANDARD.encode(bytes)
}

/// The console's policy with the script of `nonce` allowed.
fn policy_with(nonce: &str) -> String {
    POLICY.replace("script-src 'none'", &format!("script-src 'nonce-{nonce}'"))
}

/// `GET /admin/billing-runs/{id}`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(params): Query<RunParams>,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(&console, Nav::BillingRuns).await?;
    let after = params.after.filter(|a| !a.is_empty());
    let data = console
        .run::<BillingRun>(
            billing_run::Variables {
                id: id.clone(),
                after,
            },
            Some(&visitor.session),
        )
        .await?;
    let run = data.billing_run;
    let status = label(&run.status);
    let nonce = nonce();
    let invoices = run.invoices;
    let page = RunPage {
        chrome,
        running: matches!(run.status, billing_run::BillingRunStatus::RUNNING),
        nonce: nonce.clone(),
        badge: badge(&status),
        status,
        as_of: day(run.as_of),
        origin: origin(&run.origin),
        workers: run.workers,
        started: run.started_at.format("%-d %b %Y %H:%M:%S UTC").to_string(),
        finished: run
            .finished_at
            .map(|f| f.format("%-d %b %Y %H:%M:%S UTC").to_string()),
        due: run.due,
        invoiced: run.invoiced,
        failed: run.failed,
        error: run.error,
        failures: run.failures.into_iter().map(FailureRow::from).collect(),
        next: invoices
            .page_info
            .end_cursor
            .filter(|_| invoices.page_info.has_next_page)
            .map(|c| Route::BillingRun(id.clone(), Some(c))),
        invoices: invoices
            .nodes
            .into_iter()
            .map(|i| InvoiceRow {
                number: i.number.unwrap_or_else(|| "Draft".to_owned()),
                href: Route::Invoice(i.customer_id.clone(), i.id).href(),
                customer: Route::Customer(i.customer_id, Default::default()).href(),
                billed_to: i.billed_to,
                issued: day(i.issue_date),
                total: i.total.formatted,
            })
            .collect(),
        id,
    };
    let mut response = render(StatusCode::OK, &page);
    if let Ok(value) = HeaderValue::from_str(&policy_with(&nonce)) {
        response
            .headers_mut()
            .insert(CONTENT_SECURITY_POLICY, value);
    }
    Ok(response)
}

/// The run page's script with its subscription's text written in: the operation lives in
/// `graphql/billing_run_progress.graphql`, checked against the schema at build time.
static SCRIPT: LazyLock<String> = LazyLock::new(|| {
    let query = serde_json::to_string(billing_run_progress::QUERY).expect("a string is JSON");
    include_str!("../../../static/billing-run.js").replace("\"__PROGRESS_QUERY__\"", &query)
});

/// `GET /admin/static/billing-run.js`.
pub(super) async fn script() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        SCRIPT.as_str(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_carries_the_checked_subscription() {
        assert!(!SCRIPT.contains("__PROGRESS_QUERY__"), "{}", *SCRIPT);
        assert!(
            SCRIPT.contains("subscription BillingRunProgress($id: ID!)"),
            "{}",
            *SCRIPT
        );
    }

    #[test]
    fn only_the_nonce_s_script_is_allowed() {
        let policy = policy_with("abc");
        assert!(policy.contains("script-src 'nonce-abc';"), "{policy}");
        assert!(!policy.contains("'none'; style-src"), "{policy}");
        assert!(policy.contains("connect-src 'self'"), "{policy}");
        assert_ne!(nonce(), nonce());
    }
}
