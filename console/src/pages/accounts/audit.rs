//! `GET /admin/audit`: the whole audit log, newest first, for every staff role: each
//! customer's changes (linked to the customer) and the operator's own (staff users, API keys,
//! the catalog, billing runs), filtered by kind and UTC days and paged. A filter the page
//! cannot read is said above the table (400), not read as "everything".

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::Console;
use crate::audit::{AuditFilter, AuditRow, KINDS};
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::html::render;
use crate::operations::{AuditLog, audit_log};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::label;

/// The audit page.
#[derive(Template)]
#[template(path = "accounts/audit.html")]
struct AuditPage {
    chrome: Chrome,
    filter: AuditFilter,
    /// A filter the form could not read, said above the table.
    filter_error: Option<&'static str>,
    entries: Vec<OperatorRow>,
    /// The next page (with the same filter), if any.
    next: Option<String>,
}

impl AuditPage {
    /// The kinds, for the select.
    fn kinds(&self) -> [(&'static str, &'static str); 6] {
        KINDS
    }

    /// Whether the kind select shows `value`.
    fn is_kind(&self, value: &str) -> bool {
        self.filter.kind == value
    }
}

/// A change with the customer it is about, if any.
struct OperatorRow {
    row: AuditRow,
    /// (the customer's audit tab, its name).
    customer: Option<(String, String)>,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct AuditParams {
    after: Option<String>,
    #[serde(flatten)]
    filter: AuditFilter,
}

/// `GET /admin/audit`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<AuditParams>,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(&console, Nav::Audit).await?;
    let filter = params.filter;
    let (kind, from, to, filter_error) = match filter.parse() {
        Ok(p) => (p.kind, p.from, p.to, None),
        Err(message) => (None, None, None, Some(message)),
    };
    let variables = audit_log::Variables {
        after: params.after.filter(|a| !a.is_empty()),
        kind,
        from,
        to,
    };
    let log = console
        .run::<AuditLog>(variables, Some(&visitor.session))
        .await?
        .audit_log;
    let next = log
        .page_info
        .end_cursor
        .filter(|_| log.page_info.has_next_page)
        .map(|c| {
            let mut pairs = filter.pairs();
            pairs.push(("after", c));
            Route::Audit.href_with(&pairs)
        });
    let status = if filter_error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = AuditPage {
        chrome,
        filter,
        filter_error,
        entries: log
            .nodes
            .into_iter()
            .map(|e| OperatorRow {
                customer: e.customer_id.map(|id| {
                    let name = e.customer_name.unwrap_or_else(|| id.clone());
                    (Route::Customer(id, Tab::Audit).href(), name)
                }),
                row: AuditRow::new(
                    e.created_at,
                    e.action,
                    label(&e.kind),
                    (e.subject_type, e.subject_id),
                    e.actor_name,
                    label(&e.actor_role),
                ),
            })
            .collect(),
        next,
    };
    Ok(render(status, &page))
}
