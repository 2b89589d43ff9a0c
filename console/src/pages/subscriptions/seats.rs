//! A license line's seats, changed by staff as the customer changes them in the portal:
//! through a binding quote. `POST …/seats/quote` asks the API for the quote (prorated as the
//! price says) and shows it; `POST …/seats/apply` applies exactly that quote, once (the
//! idempotency key is chosen with the quote page, so a resubmitted form applies nothing more),
//! then goes back to the subscription with the seats it now has.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::items::{items_page, refused};
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::form::{FormErrors, idempotency_key};
use crate::html::render;
use crate::operations::{ApplySeats, QuoteSeats, apply_seats, quote_seats};
use crate::pages::catalog::every;
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, period};

/// Most seats one change adds or removes (the API has its own limit per line).
const MAX_CHANGE: i64 = 1_000;

/// The seats form of a license line: `action` is `add` or `remove`.
#[derive(Deserialize)]
pub(super) struct SeatsForm {
    csrf: String,
    item: String,
    action: String,
    seats: String,
}

/// The quote's confirmation.
#[derive(Deserialize)]
pub(super) struct ApplyForm {
    csrf: String,
    quote: String,
    key: String,
}

/// The quote to apply.
#[derive(Template)]
#[template(path = "subscriptions/seats.html")]
struct QuotePage {
    chrome: Chrome,
    customer: CustomerFrame,
    /// `sub_…`.
    subscription: String,
    /// `quo_…`.
    quote: String,
    /// Chosen with this page: applying twice applies once.
    key: String,
    /// "Add 2 seats of Advanced".
    title: String,
    /// Adding seats (or removing).
    adding: bool,
    /// The price of one seat for a whole period.
    unit_price: String,
    /// "10 → 12".
    seats: String,
    /// The recurring total after the change.
    new_total: String,
    /// The prorated line, "2 Advanced licenses at €46.93 each for 22 days: €93.86".
    line: Option<String>,
    tax: String,
    /// Adding: the part of the period paid now; removing: the last day the seats are paid.
    paid_period: String,
    /// When the change is first paid.
    first_payment: String,
    /// Charged now (an invoice issued at once), if anything.
    due_now: Option<String>,
    /// Added to the next invoice, if anything.
    next_invoice: Option<String>,
    /// Credited to the balance, if anything.
    credit: Option<String>,
    /// "14:05 UTC on 2 Dec 2026".
    expires: String,
}

/// `POST …/subscriptions/sub_…/seats/quote`: the quote, or the subscription page with the
/// refusal (a whole number typed, fewer free seats than removed, support's role…).
pub(super) async fn quote(
    State(console): State<Console>,
    visitor: Visitor,
    Path((customer, subscription)): Path<(String, String)>,
    Form(form): Form<SeatsForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let ids = (customer.as_str(), subscription.as_str());
    let count = match form.seats.trim().parse::<i64>() {
        Ok(count) if (1..=MAX_CHANGE).contains(&count) => count,
        _ => {
            let errors = FormErrors::above(format!(
                "Enter the seats to add or remove: a whole number from 1 to {MAX_CHANGE}."
            ));
            return items_page(&console, &visitor, ids, None, errors).await;
        }
    };
    let delta = match form.action.as_str() {
        "add" => count,
        "remove" => -count,
        _ => return Err(PageError::BadRequest("Add or remove seats.".into())),
    };
    let input = quote_seats::PreviewLicenseChangeInput {
        item_id: form.item,
        delta,
    };
    let quote = match console
        .run::<QuoteSeats>(quote_seats::Variables { input }, Some(&visitor.session))
        .await
    {
        Ok(data) => data.preview_license_change.quote,
        Err(error) => return refused(&console, &visitor, ids, error).await,
    };
    let chrome = visitor.chrome(&console, Nav::Customers).await?;
    let frame = CustomerFrame::load(&console, &visitor, &customer, Tab::Subscriptions).await?;
    let adding = delta > 0;
    let some = |amount: &str| amount.chars().any(|c| matches!(c, '1'..='9'));
    let plural = if count == 1 { "seat" } else { "seats" };
    // A seat's price is for the price's own interval: "per month", "per year", "per 3 months".
    let per = every(Some(&quote.interval), quote.interval_count);
    let page = QuotePage {
        chrome,
        customer: frame,
        subscription,
        quote: quote.id,
        key: idempotency_key(),
        title: format!(
            "{} {count} {plural} of {}",
            if adding { "Add" } else { "Remove" },
            quote.product_name
        ),
        adding,
        unit_price: format!("{} {per}", quote.unit_price.formatted),
        seats: format!("{} → {}", quote.quantity_before, quote.quantity_after),
        new_total: format!("{} {per}", quote.new_recurring_total.formatted),
        line: quote.line_description.map(|text| match quote.line_amount {
            Some(amount) => format!("{text}: {}", amount.formatted),
            None => text,
        }),
        tax: quote.tax.formatted,
        paid_period: if adding {
            period(quote.prepaid_period_start, quote.prepaid_period_end)
        } else {
            quote
                .prepaid_period_end
                .pred_opt()
                .map_or_else(String::new, day)
        },
        first_payment: day(quote.first_payment_date),
        due_now: some(&quote.amount_due_now.amount).then_some(quote.amount_due_now.formatted),
        next_invoice: some(&quote.amount_next_invoice.amount)
            .then_some(quote.amount_next_invoice.formatted),
        credit: some(&quote.credit_to_balance.amount).then_some(quote.credit_to_balance.formatted),
        expires: quote
            .expires_at
            .format("%H:%M UTC on %-d %b %Y")
            .to_string(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST …/subscriptions/sub_…/seats/apply`: back to the subscription with the seats it now
/// has (and the invoice issued, for seats charged at once), or with why the quote no longer
/// applies (expired, or the change would now cost something else) so staff quote again.
pub(super) async fn apply(
    State(console): State<Console>,
    visitor: Visitor,
    Path((customer, subscription)): Path<(String, String)>,
    Form(form): Form<ApplyForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let input = apply_seats::ApplyLicenseChangeInput {
        quote_id: form.quote,
        idempotency_key: form.key,
    };
    match console
        .run::<ApplySeats>(apply_seats::Variables { input }, Some(&visitor.session))
        .await
    {
        Ok(data) => {
            let applied = data.apply_license_change;
            let mut pairs = vec![
                ("done", "seats".to_owned()),
                ("seats", applied.quantity_after.to_string()),
            ];
            if let Some(invoice) = applied.invoice_id {
                pairs.push(("invoice", invoice));
            }
            let to = Route::Subscription(customer, subscription).href_with(&pairs);
            Ok(Redirect::to(&to).into_response())
        }
        Err(error) => {
            let ids = (customer.as_str(), subscription.as_str());
            refused(&console, &visitor, ids, error).await
        }
    }
}
