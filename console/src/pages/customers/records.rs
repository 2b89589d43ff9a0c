//! The customer page's record tabs: the documents the organisation uploaded (each downloaded
//! under the console's path) and the audit log of every change to it, filtered by kind and
//! days and paged. Support reads both.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::account::Frame;
use crate::Console;
use crate::audit::{AuditFilter, AuditRow, KINDS};
use crate::chrome::Chrome;
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::flash::Flash;
use crate::html::render;
use crate::operations::{CustomerAudit, CustomerDocuments, customer_audit, customer_documents};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label};

/// The documents tab.
#[derive(Template)]
#[template(path = "customers/documents.html")]
struct DocumentsTab {
    chrome: Chrome,
    customer: CustomerFrame,
    flash: Option<Flash>,
    documents: Vec<DocumentRow>,
    /// The next page, if any.
    next: Option<String>,
}

impl DocumentsTab {
    /// The review queue of this customer's waiting documents only.
    fn review_queue(&self) -> String {
        Route::Documents(None).href_with(&[("customer", self.customer.id.clone())])
    }
}

/// One document.
struct DocumentRow {
    /// Its download under the console.
    href: String,
    file_name: String,
    kind: String,
    status: String,
    /// Why it was rejected, if it was.
    rejection: Option<String>,
    uploaded: String,
    /// Its size, for people ("120 KB").
    size: String,
}

/// The audit tab.
#[derive(Template)]
#[template(path = "customers/audit.html")]
struct AuditTab {
    chrome: Chrome,
    customer: CustomerFrame,
    flash: Option<Flash>,
    filter: AuditFilter,
    /// A filter the form could not read, said above the table.
    filter_error: Option<&'static str>,
    entries: Vec<AuditRow>,
    /// The next page (with the same filter), if any.
    next: Option<String>,
}

impl AuditTab {
    /// The kinds, for the select.
    fn kinds(&self) -> [(&'static str, &'static str); 6] {
        KINDS
    }
}

/// Renders record tab `tab` of customer `id` (`None` for another tab).
pub async fn render_tab(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    tab: Tab,
    frame: Frame,
    after: Option<String>,
    filter: AuditFilter,
) -> Result<Option<Response>, PageError> {
    let session = Some(visitor.session.as_str());
    let Frame {
        chrome,
        customer,
        flash,
    } = frame;
    match tab {
        Tab::Documents => {
            let variables = customer_documents::Variables {
                id: id.to_owned(),
                after,
            };
            let documents = console
                .run::<CustomerDocuments>(variables, session)
                .await?
                .customer
                .documents;
            let next = documents
                .page_info
                .end_cursor
                .filter(|_| documents.page_info.has_next_page)
                .map(|c| Route::Customer(id.to_owned(), tab).href_with(&[("after", c)]));
            let page = DocumentsTab {
                chrome,
                customer,
                flash,
                documents: documents
                    .nodes
                    .into_iter()
                    .map(|d| DocumentRow {
                        href: Route::Document(d.id).href(),
                        file_name: d.file_name,
                        kind: label(&d.type_),
                        status: label(&d.status),
                        rejection: d.rejection_reason,
                        uploaded: day(d.uploaded_at.date_naive()),
                        size: format!("{} KB", (d.size_bytes + 1023) / 1024),
                    })
                    .collect(),
                next,
            };
            Ok(Some(render(StatusCode::OK, &page)))
        }
        Tab::Audit => {
            let (kind, from, to, filter_error) = match filter.parse() {
                Ok(p) => (p.kind, p.from, p.to, None),
                Err(message) => (None, None, None, Some(message)),
            };
            let variables = customer_audit::Variables {
                id: id.to_owned(),
                after,
                kind,
                from,
                to,
            };
            let log = console
                .run::<CustomerAudit>(variables, session)
                .await?
                .customer
                .audit_log;
            let next = log
                .page_info
                .end_cursor
                .filter(|_| log.page_info.has_next_page)
                .map(|c| {
                    let mut pairs = filter.pairs();
                    pairs.push(("after", c));
                    Route::Customer(id.to_owned(), tab).href_with(&pairs)
                });
            let status = if filter_error.is_some() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            let page = AuditTab {
                chrome,
                customer,
                flash,
                filter,
                filter_error,
                entries: log
                    .nodes
                    .into_iter()
                    .map(|e| {
                        AuditRow::new(
                            e.created_at,
                            e.action,
                            label(&e.kind),
                            (e.subject_type, e.subject_id),
                            e.actor_name,
                            label(&e.actor_role),
                        )
                    })
                    .collect(),
                next,
            };
            Ok(Some(render(status, &page)))
        }
        _ => Ok(None),
    }
}
