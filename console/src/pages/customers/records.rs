//! The customer page's record tabs: the documents the organisation uploaded (each downloaded
//! under the console's path) and the audit log of every change to it, filtered by kind and
//! days and paged. Support reads both.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;

use super::account::Frame;
use crate::Console;
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

/// One change.
struct AuditRow {
    when: String,
    action: String,
    kind: String,
    subject: String,
    /// Who, with their role.
    actor: String,
}

/// The audit tab's filter, as the URL carries it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AuditFilter {
    /// `money`, `access`, … or empty for every kind.
    #[serde(default)]
    pub kind: String,
    /// First day, `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub from: String,
    /// Last day, `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub to: String,
}

/// The kinds offered: (URL value, words).
const KINDS: [(&str, &str); 6] = [
    ("money", "Money"),
    ("access", "Access"),
    ("documents", "Documents"),
    ("addresses", "Addresses"),
    ("people", "People"),
    ("other", "Other"),
];

impl AuditTab {
    /// The kinds, for the select.
    fn kinds(&self) -> [(&'static str, &'static str); 6] {
        KINDS
    }
}

impl AuditFilter {
    /// The kind as the API names it; `Err` for one the form does not offer.
    fn kind(&self) -> Result<Option<customer_audit::AuditKind>, &'static str> {
        use customer_audit::AuditKind;
        Ok(Some(match self.kind.as_str() {
            "" => return Ok(None),
            "money" => AuditKind::MONEY,
            "access" => AuditKind::ACCESS,
            "documents" => AuditKind::DOCUMENTS,
            "addresses" => AuditKind::ADDRESSES,
            "people" => AuditKind::PEOPLE,
            "other" => AuditKind::OTHER,
            _ => return Err("Choose a kind from the list."),
        }))
    }

    /// A day of the filter; `Err` for text that is not one.
    fn day(text: &str) -> Result<Option<NaiveDate>, &'static str> {
        match text {
            "" => Ok(None),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| "Enter days as YYYY-MM-DD."),
        }
    }

    /// The URL's query pairs of this filter, empty ones left out.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        [("kind", &self.kind), ("from", &self.from), ("to", &self.to)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, v.clone()))
            .collect()
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
            let parsed = (|| {
                Ok::<_, &'static str>((
                    filter.kind()?,
                    AuditFilter::day(&filter.from)?,
                    AuditFilter::day(&filter.to)?,
                ))
            })();
            let (kind, from, to, filter_error) = match parsed {
                Ok((kind, from, to)) => (kind, from, to, None),
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
                    .map(|e| AuditRow {
                        when: format!("{} UTC", e.created_at.format("%-d %b %Y %H:%M")),
                        action: e.action,
                        kind: label(&e.kind),
                        subject: format!("{} {}", e.subject_type, e.subject_id),
                        actor: match e.actor_name {
                            Some(name) => format!("{name} ({})", label(&e.actor_role)),
                            None => label(&e.actor_role),
                        },
                    })
                    .collect(),
                next,
            };
            Ok(Some(render(status, &page)))
        }
        _ => Ok(None),
    }
}
