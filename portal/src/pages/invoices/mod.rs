//! The invoices slice: the upcoming charges, each next invoice line by line, the history of
//! finalised invoices with its filter (`history`) and where they are e-mailed (`delivery`),
//! and one invoice's page (`invoice`) with the e-mails that carried it (`emails`).

mod delivery;
mod emails;
mod history;
mod invoice;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};

use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::dates;
use crate::error::PageError;
use crate::html::render;
use crate::operations::{UpcomingCharges, upcoming_charges};
use crate::route::path;
use crate::session::Visitor;

/// The invoices slice's routes.
pub(super) fn routes() -> Router<Portal> {
    Router::new()
        .route(path::CHARGES, get(upcoming))
        .route(path::INVOICES, get(history::history))
        .route(path::INVOICE, get(invoice::one))
        .route(path::INVOICE_COPY, post(invoice::copy))
        .route(path::INVOICE_DELIVERY, post(delivery::update))
}

/// The upcoming charges breakdown.
#[derive(Template)]
#[template(path = "invoices/charges.html")]
struct ChargesPage {
    /// The frame.
    chrome: Chrome,
    /// One per upcoming invoice.
    invoices: Vec<InvoiceView>,
}

/// An upcoming invoice, line by line.
struct InvoiceView {
    /// Invoice date, for people.
    date: String,
    /// Period billed, for people ("1–31 Dec 2026").
    period: String,
    /// Whether it will be charged to the default payment method when issued.
    automatic_payment: bool,
    /// (description, amount, tax).
    lines: Vec<(String, String, String)>,
    /// Subtotal.
    subtotal: String,
    /// Tax.
    tax: String,
    /// Total.
    total: String,
    /// Amount due.
    amount_due: String,
}

async fn upcoming(
    State(portal): State<Portal>,
    visitor: Visitor,
) -> Result<impl IntoResponse, PageError> {
    let data = portal
        .run::<UpcomingCharges>(upcoming_charges::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let page = ChargesPage {
        chrome: visitor.chrome(Nav::Charges, data.viewer.user.name, Some(organisation.name)),
        invoices: organisation
            .upcoming_charges
            .into_iter()
            .map(|u| InvoiceView {
                date: dates::day(u.invoice_date),
                period: dates::period(u.period_start, u.period_end),
                automatic_payment: u.automatic_payment,
                lines: u
                    .lines
                    .into_iter()
                    .map(|l| (l.description, l.amount.formatted, l.tax.formatted))
                    .collect(),
                subtotal: u.subtotal.formatted,
                tax: u.tax.formatted,
                total: u.total.formatted,
                amount_due: u.amount_due.formatted,
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}
