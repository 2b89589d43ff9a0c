//! The overview: the organisation's licenses and next invoices at a glance, each linking to its
//! slice's page. It reads both the licenses and the invoices slice through its own operation,
//! so it belongs to neither: a module of its own rather than a page of one of them.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::Portal;
use crate::amounts::unless_zero;
use crate::chrome::{Chrome, Nav};
use crate::dates;
use crate::error::PageError;
use crate::html::render;
use crate::operations::{Overview, overview};
use crate::route::{Route, path};
use crate::session::Visitor;

/// The overview's route.
pub(super) fn routes() -> Router<Portal> {
    Router::new().route(path::OVERVIEW, get(show))
}

/// The overview page.
#[derive(Template)]
#[template(path = "overview/overview.html")]
struct OverviewPage {
    /// The frame.
    chrome: Chrome,
    /// The organisation's name.
    organisation: String,
    /// One summary per license item.
    licenses: Vec<LicenseSummary>,
    /// One summary per upcoming invoice.
    upcoming: Vec<UpcomingSummary>,
    /// The credit balance, formatted.
    credit_balance: String,
    /// Its latest changes, newest first.
    credit_entries: Vec<CreditLine>,
}

/// A change of the credit balance.
struct CreditLine {
    /// When, for people.
    date: String,
    /// What happened ("Applied to invoice INV-2026-000042").
    description: String,
    /// The change, formatted (negative when credit was used).
    amount: String,
    /// The balance after it, formatted.
    balance_after: String,
}

/// A license item in one line.
struct LicenseSummary {
    /// Product name.
    product: String,
    /// Seats.
    quantity: i64,
    /// Seats assigned.
    assigned: i64,
    /// Seats free.
    unassigned: i64,
    /// Price of one seat, formatted.
    unit_price: String,
}

/// An upcoming invoice in one line.
struct UpcomingSummary {
    /// Invoice date, for people.
    date: String,
    /// Total, formatted.
    total: String,
    /// What is left to pay once credit is applied, when some is.
    amount_due: Option<String>,
}

async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
) -> Result<impl IntoResponse, PageError> {
    let data = portal
        .run::<Overview>(overview::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let page = OverviewPage {
        chrome: visitor.chrome(
            Nav::Overview,
            data.viewer.user.name,
            Some(organisation.name.clone()),
        ),
        organisation: organisation.name,
        licenses: organisation
            .licenses
            .into_iter()
            .map(|l| LicenseSummary {
                product: l.product_name,
                quantity: l.quantity,
                assigned: l.assigned,
                unassigned: l.unassigned,
                unit_price: l.unit_price.formatted,
            })
            .collect(),
        upcoming: organisation
            .upcoming_charges
            .into_iter()
            .map(|u| UpcomingSummary {
                date: dates::day(u.invoice_date),
                total: u.total.formatted,
                amount_due: unless_zero(&u.credits_applied.amount, u.amount_due.formatted),
            })
            .collect(),
        credit_balance: organisation.credit_balance.formatted,
        credit_entries: organisation
            .credit_ledger
            .nodes
            .into_iter()
            .map(|e| CreditLine {
                date: dates::day(e.created_at.date_naive()),
                description: e.description,
                amount: e.amount.formatted,
                balance_after: e.balance_after.formatted,
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}
