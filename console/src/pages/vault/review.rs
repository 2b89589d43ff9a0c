//! `GET /admin/documents`: every organisation's documents waiting for review, oldest first,
//! or only one type's or one organisation's (`?type=IBAN_MANDATE&customer=cus_…`), each with
//! its file and a form to accept it or reject it with a reason (`POST
//! /admin/documents/review`, back to the same filter); `GET /admin/documents/doc_…`: the
//! file, as an attachment that runs nothing in the browser.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::files;
use crate::filter::chosen;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{DocumentsToReview, ReviewDocument, documents_to_review, review_document};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label};
use crate::transport::FileRequest;

/// The review queue.
#[derive(Template)]
#[template(path = "vault/review.html")]
struct ReviewPage {
    chrome: Chrome,
    flash: Option<Flash>,
    /// The documents, on this page.
    documents: Vec<WaitingDocument>,
    /// The next page, if any, with the same filter.
    next: Option<String>,
    /// The document whose review was refused, and why.
    refused: Option<(String, FormErrors)>,
    /// The filter shown.
    filter: QueueFilter,
    /// The whole queue, when the filter keeps one organisation's.
    every_organisation: String,
}

/// The document types the queue filters by: (schema value, words).
const DOCUMENT_TYPES: [(&str, &str); 6] = [
    ("COMPANY_REGISTRATION", "Company registration"),
    ("CONTRACT", "Contract"),
    ("IBAN_MANDATE", "IBAN mandate"),
    ("PORTABILITY_MANDATE", "Portability mandate"),
    ("PROOF_OF_ADDRESS", "Proof of address"),
    ("OTHER", "Other"),
];

/// Which waiting documents the queue shows; the review form posts it back so the queue
/// comes back as it was.
#[derive(Clone, Default, Deserialize)]
pub(super) struct QueueFilter {
    /// A type of [`DOCUMENT_TYPES`], or empty for every type.
    #[serde(default, rename = "type")]
    kind: String,
    /// One organisation (`cus_…`), or empty for every organisation.
    #[serde(default)]
    customer: String,
}

impl QueueFilter {
    /// The filter as a page's query pairs.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("type", self.kind.clone()),
            ("customer", self.customer.clone()),
        ]
    }
}

/// A document waiting for review.
struct WaitingDocument {
    /// Its id (`doc_…`).
    id: String,
    /// Its file.
    href: String,
    /// Its organisation's page.
    customer: String,
    /// Its organisation's name.
    organisation: String,
    /// What it claims to be, in words.
    kind: String,
    /// The uploaded file's name.
    file_name: String,
    /// Its size, for people.
    size: String,
    /// The day it was uploaded.
    uploaded: String,
}

impl ReviewPage {
    /// The types the filter offers: (value, words).
    fn types(&self) -> [(&'static str, &'static str); 6] {
        DOCUMENT_TYPES
    }

    /// The refusal of `document`'s form, if it was the one refused.
    fn errors(&self, document: &str) -> Option<&FormErrors> {
        self.refused
            .as_ref()
            .filter(|(id, _)| id == document)
            .map(|(_, errors)| errors)
    }

    /// The message beside the reason of `document`, if that is what was refused.
    fn reason_error(&self, document: &str) -> Option<String> {
        self.errors(document)
            .and_then(|e| e.get("reason"))
            .map(str::to_owned)
    }

    /// The message above `document`'s form, if its review was refused otherwise.
    fn form_error(&self, document: &str) -> Option<String> {
        self.errors(document).and_then(|e| e.form.clone())
    }
}

/// The queue's parameters.
#[derive(Deserialize)]
pub(super) struct QueueParams {
    after: Option<String>,
    done: Option<String>,
    #[serde(flatten)]
    filter: QueueFilter,
}

/// A review, as the form posts it.
#[derive(Deserialize)]
pub(super) struct ReviewForm {
    csrf: String,
    document: String,
    decision: String,
    #[serde(default)]
    reason: String,
    /// The queue's filter, to come back to.
    #[serde(flatten)]
    filter: QueueFilter,
}

/// `size` bytes for people: "12 KB".
fn size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{} KB", b / 1024),
        b => format!("{} MB", b / (1024 * 1024)),
    }
}

/// The documents `filter` keeps from `after`, with `refused`'s message on its form.
async fn queue_page(
    console: &Console,
    visitor: &Visitor,
    (filter, after): (QueueFilter, Option<String>),
    flash: Option<Flash>,
    refused: Option<(String, FormErrors)>,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Documents).await?;
    let variables = documents_to_review::Variables {
        after,
        type_: chosen(&filter.kind, &DOCUMENT_TYPES)?,
        customer_id: Some(filter.customer.clone()).filter(|c| !c.is_empty()),
    };
    let data = console
        .run::<DocumentsToReview>(variables, Some(&visitor.session))
        .await?;
    let queue = data.documents_to_review;
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ReviewPage {
        chrome,
        flash,
        refused,
        next: queue
            .page_info
            .end_cursor
            .filter(|_| queue.page_info.has_next_page)
            .map(|c| Route::Documents(Some(c)).href_with(&filter.pairs())),
        every_organisation: Route::Documents(None).href_with(&[("type", filter.kind.clone())]),
        filter,
        documents: queue
            .nodes
            .into_iter()
            .map(|d| WaitingDocument {
                href: Route::Document(d.id.clone()).href(),
                customer: Route::Customer(d.customer_id, Tab::default()).href(),
                organisation: d.organisation_name,
                kind: label(&d.type_),
                size: size(d.size_bytes),
                uploaded: day(d.uploaded_at.date_naive()),
                file_name: d.file_name,
                id: d.id,
            })
            .collect(),
    };
    Ok(render(status, &page))
}

/// `GET /admin/documents`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<QueueParams>,
) -> Result<Response, PageError> {
    let after = params.after.filter(|a| !a.is_empty());
    let flash = Flash::from_param(params.done.as_deref());
    queue_page(&console, &visitor, (params.filter, after), flash, None).await
}

/// `POST /admin/documents/review`: the queue again with a confirmation, or with the API's
/// refusal on the document's form (a rejection without a reason, a role that may not).
pub(super) async fn review(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let accept = form.decision == "accept";
    let variables = review_document::Variables {
        input: review_document::ReviewDocumentInput {
            document_id: form.document.clone(),
            decision: if accept {
                review_document::DocumentDecision::ACCEPT
            } else {
                review_document::DocumentDecision::REJECT
            },
            reason: Some(form.reason.trim().to_owned()).filter(|r| !r.is_empty()),
        },
    };
    match console
        .run::<ReviewDocument>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => {
            let flash = if accept {
                Flash::DocumentAccepted
            } else {
                Flash::DocumentRejected
            };
            let mut back = form.filter.pairs();
            back.push(("done", flash.param().to_owned()));
            Ok(Redirect::to(&Route::Documents(None).href_with(&back)).into_response())
        }
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| f == "reason")?;
            queue_page(
                &console,
                &visitor,
                (form.filter, None),
                None,
                Some((form.document, errors)),
            )
            .await
        }
    }
}

/// `GET /admin/documents/{id}`: the file, or 404 for one the session may not read.
pub(super) async fn download(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    files::serve(&console, &visitor, FileRequest::Document(id)).await
}
