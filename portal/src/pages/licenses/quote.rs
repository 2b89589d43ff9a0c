//! Changing the number of licenses through a binding quote: the add/remove form asks for a
//! quote and shows it as a page (Ringover's pop-up, without JavaScript); confirming applies
//! exactly that quote, once.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::list::render_licenses;
use super::view::{Messages, per};
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::dates::{self, CustomerZone};
use crate::error::PageError;
use crate::flash::Flash;
use crate::html::render;
use crate::operations::{
    ApplyLicenseChange, PreviewLicenseChange, Viewer, apply_license_change, preview_license_change,
    viewer,
};
use crate::route::Route;
use crate::session::Visitor;

/// Most licenses one change may add (the server has its own, larger, limit per item).
const MAX_CHANGE: i64 = 1_000;

/// The add/remove form.
#[derive(Deserialize)]
pub(super) struct ChangeForm {
    csrf: String,
    item_id: String,
    quantity: String,
    action: String,
}

/// The confirmation form.
#[derive(Deserialize)]
pub(super) struct ApplyForm {
    csrf: String,
    quote_id: String,
    idempotency_key: String,
}

/// The confirmation of a license change quote.
#[derive(Template)]
#[template(path = "licenses/quote.html")]
struct QuotePage {
    /// The frame.
    chrome: Chrome,
    /// The quote to apply.
    quote_id: String,
    /// A fresh key, so a resubmitted confirmation applies once.
    idempotency_key: String,
    /// Adding (or removing).
    adding: bool,
    /// Seats changed.
    count: i64,
    /// Product name.
    product: String,
    /// Price of one seat for a period.
    unit_price: String,
    /// "per month"…
    per: String,
    /// Seats before.
    quantity_before: i64,
    /// Seats after.
    quantity_after: i64,
    /// Recurring cost of the seats changed.
    delta_recurring_total: String,
    /// Recurring cost after the change.
    new_recurring_total: String,
    /// The proration line, e.g. "2 ADVANCED licenses at €46.93 each for 22 days: €93.86".
    line: Option<String>,
    /// Tax on it.
    tax: String,
    /// Adding: the prepaid part of the period ("9–30 Apr 2026"); removing: the last day the
    /// removed seats are paid for.
    prepaid_period: String,
    /// First payment date.
    first_payment: String,
    /// Charged now, if anything.
    due_now: Option<String>,
    /// Added to the next invoice, if anything.
    due_next_invoice: Option<String>,
    /// Credited, if anything.
    credit: Option<String>,
    /// When the quote expires, in the customer's time zone.
    expires: String,
}

/// `POST /licenses/quote`: the quote to confirm, or the licenses page with the refusal next to
/// the item's quantity field (422).
pub(super) async fn quote(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(form): Form<ChangeForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let count = match form.quantity.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_CHANGE).contains(&n) => n,
        _ => {
            let error = format!("Enter a whole number from 1 to {MAX_CHANGE}.");
            let messages = Messages::item_error(form.item_id, error);
            return render_licenses(&portal, &visitor, refused, messages).await;
        }
    };
    let adding = form.action != "remove";
    let variables = preview_license_change::Variables {
        input: preview_license_change::PreviewLicenseChangeInput {
            item_id: form.item_id.clone(),
            delta: if adding { count } else { -count },
        },
    };
    let quote = match portal
        .run::<PreviewLicenseChange>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => data.preview_license_change.quote,
        Err(error) => {
            let messages = Messages::item_error(form.item_id, error.form_message()?);
            return render_licenses(&portal, &visitor, refused, messages).await;
        }
    };
    // The frame and the time zone the expiry is shown in.
    let who = portal
        .run::<Viewer>(viewer::Variables, Some(&visitor.session))
        .await?
        .viewer;
    let organisation = who.organisation.ok_or(PageError::WrongAudience)?;
    let zone = CustomerZone::named(&organisation.time_zone);
    let positive = |amount: &str| amount.chars().any(|c| matches!(c, '1'..='9'));
    let page = QuotePage {
        chrome: visitor.chrome(Nav::Licenses, who.user.name, Some(organisation.name)),
        quote_id: quote.id,
        idempotency_key: random_key(),
        adding,
        count,
        product: quote.product_name,
        unit_price: quote.unit_price.formatted,
        per: per(Some(quote.interval), quote.interval_count),
        quantity_before: quote.quantity_before,
        quantity_after: quote.quantity_after,
        delta_recurring_total: quote.delta_recurring_total.formatted,
        new_recurring_total: quote.new_recurring_total.formatted,
        line: quote.line_description.map(|text| match quote.line_amount {
            Some(amount) => format!("{text}: {}", amount.formatted),
            None => text,
        }),
        tax: quote.tax.formatted,
        prepaid_period: if adding {
            dates::period(quote.prepaid_period_start, quote.prepaid_period_end)
        } else {
            dates::last_day(quote.prepaid_period_end)
        },
        first_payment: dates::day(quote.first_payment_date),
        due_now: positive(&quote.amount_due_now.amount).then_some(quote.amount_due_now.formatted),
        due_next_invoice: positive(&quote.amount_next_invoice.amount)
            .then_some(quote.amount_next_invoice.formatted),
        credit: positive(&quote.credit_to_balance.amount)
            .then_some(quote.credit_to_balance.formatted),
        expires: zone.time_and_day(quote.expires_at),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /licenses/apply`: the licenses page with the confirmation, or with why the quote can
/// no longer be applied (409) so the customer can ask for a new one.
pub(super) async fn apply(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(form): Form<ApplyForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let variables = apply_license_change::Variables {
        input: apply_license_change::ApplyLicenseChangeInput {
            quote_id: form.quote_id,
            idempotency_key: form.idempotency_key,
        },
    };
    match portal
        .run::<ApplyLicenseChange>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => {
            // A quantity beyond u32 cannot exist; showing none beats showing a wrong one.
            let after = u32::try_from(data.apply_license_change.quantity_after).ok();
            let redirect = match after {
                Some(after) => Flash::LicensesUpdated(after).redirect(&Route::Licenses),
                None => Route::Licenses.redirect(),
            };
            Ok(redirect.into_response())
        }
        Err(error) => {
            let messages = Messages::page_error(error.form_message()?);
            render_licenses(&portal, &visitor, StatusCode::CONFLICT, messages).await
        }
    }
}

/// A random idempotency key for one rendering of the confirmation form.
fn random_key() -> String {
    let mut bytes = [0u8; 16];
    // The OS random source failing is unrecoverable for a web server.
    getrandom::fill(&mut bytes).expect("operating system random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
