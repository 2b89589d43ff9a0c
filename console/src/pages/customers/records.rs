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
use crate::filter::{FilterField, FilterForm, chosen};
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
    /// The next page (same filter), if any.
    next: Option<String>,
    filter_form: FilterForm,
}

/// The record tabs' filters, as the URL carries them.
pub struct RecordFilters {
    /// The audit tab's.
    pub audit: AuditFilter,
    /// The documents tab's.
    pub documents: DocumentsFilter,
}

/// The documents tab's filter, as the URL carries it.
#[derive(Clone, Debug, Default)]
pub struct DocumentsFilter {
    /// A type (`CONTRACT`), or empty for every type.
    pub doc_type: String,
    /// A review status (`PENDING`), or empty for every status.
    pub status: String,
}

/// The types offered: (schema name, words).
const DOCUMENT_TYPES: [(&str, &str); 6] = [
    ("COMPANY_REGISTRATION", "Company registration"),
    ("CONTRACT", "Contract"),
    ("IBAN_MANDATE", "IBAN mandate"),
    ("PORTABILITY_MANDATE", "Portability mandate"),
    ("PROOF_OF_ADDRESS", "Proof of address"),
    ("OTHER", "Other"),
];

/// The review statuses offered: (schema name, words).
const DOCUMENT_STATUSES: [(&str, &str); 3] = [
    ("PENDING", "Waiting for review"),
    ("ACCEPTED", "Accepted"),
    ("REJECTED", "Rejected"),
];

impl DocumentsFilter {
    /// The filter form of customer `id`'s documents tab.
    fn form(&self, id: &str) -> FilterForm {
        FilterForm {
            route: Route::Customer(id.to_owned(), Tab::Documents),
            label: "Find documents",
            fields: vec![
                FilterField::select(
                    "doc_type",
                    "Type",
                    "Every type",
                    &DOCUMENT_TYPES,
                    &self.doc_type,
                ),
                FilterField::select(
                    "status",
                    "Status",
                    "Every status",
                    &DOCUMENT_STATUSES,
                    &self.status,
                ),
            ],
        }
    }
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
    filters: RecordFilters,
) -> Result<Option<Response>, PageError> {
    let RecordFilters {
        audit: filter,
        documents: documents_filter,
    } = filters;
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
                type_: chosen(&documents_filter.doc_type, &DOCUMENT_TYPES)?,
                status: chosen(&documents_filter.status, &DOCUMENT_STATUSES)?,
            };
            let filter_form = documents_filter.form(id);
            let documents = console
                .run::<CustomerDocuments>(variables, session)
                .await?
                .customer
                .documents;
            // The next page keeps the filter.
            let next = filter_form.next_href(
                documents
                    .page_info
                    .end_cursor
                    .filter(|_| documents.page_info.has_next_page),
            );
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
                filter_form,
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
