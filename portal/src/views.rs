//! Page templates (askama, in `templates/`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// The sign-in page.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    /// CSRF token for the form.
    pub csrf: String,
    /// The e-mail typed so far, kept after an error.
    pub email: String,
    /// Error shown next to the e-mail field.
    pub email_error: Option<String>,
    /// Error shown next to the password field.
    pub password_error: Option<String>,
    /// Error shown above the form.
    pub form_error: Option<String>,
}

/// The account page: who is signed in.
#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    /// CSRF token for the forms.
    pub csrf: String,
    /// The navigation entry of this page.
    pub active: &'static str,
    /// The user's name.
    pub name: String,
    /// The user's e-mail.
    pub email: String,
    /// The user's role, as shown to people.
    pub role: String,
    /// The organisation's name, for customer users.
    pub organisation: Option<String>,
    /// The organisation's billing currency.
    pub currency: Option<String>,
}

/// The overview: licenses and the next invoice at a glance.
#[derive(Template)]
#[template(path = "overview.html")]
pub struct OverviewPage {
    /// CSRF token for the forms.
    pub csrf: String,
    /// The navigation entry of this page.
    pub active: &'static str,
    /// The organisation's name.
    pub organisation: String,
    /// One summary per license item.
    pub licenses: Vec<LicenseSummary>,
    /// One summary per upcoming invoice.
    pub upcoming: Vec<UpcomingSummary>,
}

/// A license item in one line.
pub struct LicenseSummary {
    /// Product name.
    pub product: String,
    /// Seats.
    pub quantity: i64,
    /// Seats assigned.
    pub assigned: i64,
    /// Seats free.
    pub unassigned: i64,
    /// Price of one seat, formatted.
    pub unit_price: String,
}

/// An upcoming invoice in one line.
pub struct UpcomingSummary {
    /// Invoice date.
    pub date: String,
    /// Total, formatted.
    pub total: String,
}

/// The licenses page.
#[derive(Template)]
#[template(path = "licenses.html")]
pub struct LicensesPage {
    /// CSRF token for the forms.
    pub csrf: String,
    /// The navigation entry of this page.
    pub active: &'static str,
    /// Whether the user may change licenses (viewers may not: no forms are shown).
    pub can_change: bool,
    /// A confirmation to show.
    pub notice: Option<String>,
    /// An error about the page as a whole.
    pub page_error: Option<String>,
    /// The license items.
    pub items: Vec<LicenseItemView>,
    /// Seat forms here return to the licenses page, not to a page of seats.
    pub return_to_seats: Option<SeatsPageAt>,
}

/// Which page of an item's seats a seat form returns to.
pub struct SeatsPageAt {
    /// The license item.
    pub item: String,
    /// The cursor the page starts after; `None` for the first page.
    pub after: Option<String>,
    /// The number of the page's first seat (1 on the first page), for display.
    pub from: usize,
}

/// One license item's seats, a hundred at a time.
#[derive(Template)]
#[template(path = "seats.html")]
pub struct SeatsPage {
    /// CSRF token for the forms.
    pub csrf: String,
    /// The navigation entry of this page.
    pub active: &'static str,
    /// Whether the user may assign and unassign.
    pub can_change: bool,
    /// A confirmation to show.
    pub notice: Option<String>,
    /// An error about the page as a whole.
    pub page_error: Option<String>,
    /// The item, with this page's seats.
    pub item: LicenseItemView,
    /// The first seat number on this page, and the last.
    pub shown: (usize, usize),
    /// The link to the next page of seats, when there is one.
    pub next: Option<String>,
    /// Seat forms return to this page.
    pub return_to_seats: Option<SeatsPageAt>,
}

/// A license item on the licenses page.
pub struct LicenseItemView {
    /// Item id.
    pub id: String,
    /// Product name.
    pub product: String,
    /// Seats.
    pub quantity: i64,
    /// Seats assigned.
    pub assigned: i64,
    /// Seats free.
    pub unassigned: i64,
    /// Price of one seat, formatted.
    pub unit_price: String,
    /// "per month", "every 3 months"…
    pub per: String,
    /// The current period, for people.
    pub period: String,
    /// How removals work here.
    pub removal_rule: String,
    /// The seats (the first hundred on the licenses page).
    pub seats: Vec<SeatView>,
    /// Whether the item has more seats than are listed.
    pub more_seats: bool,
    /// Members who hold no seat of this item: (id, label).
    pub free_members: Vec<(String, String)>,
    /// An error about the quantity field.
    pub error: Option<String>,
}

/// A seat on the licenses page.
pub struct SeatView {
    /// Seat id.
    pub id: String,
    /// Its number in the item, from 1, oldest first.
    pub number: usize,
    /// Assignee's name.
    pub member: Option<String>,
    /// Why the last assign or unassign of this seat was refused.
    pub error: Option<String>,
}

/// The confirmation of a license change quote (Ringover's pop-up, as a page).
#[derive(Template)]
#[template(path = "quote.html")]
pub struct QuotePage {
    /// CSRF token for the forms.
    pub csrf: String,
    /// The navigation entry of this page.
    pub active: &'static str,
    /// The quote to apply.
    pub quote_id: String,
    /// A fresh key, so a resubmitted confirmation applies once.
    pub idempotency_key: String,
    /// Adding (or removing).
    pub adding: bool,
    /// Seats changed.
    pub count: i64,
    /// Product name.
    pub product: String,
    /// Price of one seat for a period.
    pub unit_price: String,
    /// "per month"…
    pub per: String,
    /// Seats before.
    pub quantity_before: i64,
    /// Seats after.
    pub quantity_after: i64,
    /// Recurring cost of the seats changed.
    pub delta_recurring_total: String,
    /// Recurring cost after the change.
    pub new_recurring_total: String,
    /// The proration line, e.g. "2 ADVANCED licenses at €46.93 each for 22 days: €93.86".
    pub line: Option<String>,
    /// Tax on it.
    pub tax: String,
    /// The prepaid (or still paid) part of the period.
    pub prepaid_period: String,
    /// First payment date.
    pub first_payment: String,
    /// Charged now, if anything.
    pub due_now: Option<String>,
    /// Added to the next invoice, if anything.
    pub due_next_invoice: Option<String>,
    /// Credited, if anything.
    pub credit: Option<String>,
    /// When the quote expires.
    pub expires: String,
}

/// The upcoming charges breakdown.
#[derive(Template)]
#[template(path = "charges.html")]
pub struct ChargesPage {
    /// CSRF token for the forms.
    pub csrf: String,
    /// The navigation entry of this page.
    pub active: &'static str,
    /// One per upcoming invoice.
    pub invoices: Vec<InvoiceView>,
}

/// An upcoming invoice, line by line.
pub struct InvoiceView {
    /// Invoice date.
    pub date: String,
    /// Period billed.
    pub period: String,
    /// (description, amount, tax).
    pub lines: Vec<(String, String, String)>,
    /// Subtotal.
    pub subtotal: String,
    /// Tax.
    pub tax: String,
    /// Total.
    pub total: String,
    /// Amount due.
    pub amount_due: String,
}

/// A page for errors that leave nothing else to show.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// Heading.
    pub title: String,
    /// Explanation.
    pub message: String,
}

/// Renders a template, or a plain 500 if the template itself fails.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}
