//! The licenses page: add or remove licenses through a binding quote, assign and unassign
//! seats. Viewers see the same page without any form.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::licenses_view::{licenses_page, per_period, readable_instant};
use super::seats::{seat_number, seats_page, seats_url};
use super::{Visitor, error_response, form_visitor, to_login};
use crate::Portal;
use crate::client::PortalError;
use crate::operations::{
    ApplyLicenseChange, AssignLicense, PreviewLicenseChange, UnassignLicense, apply_license_change,
    assign_license, preview_license_change, unassign_license,
};
use crate::views::{QuotePage, SeatsPageAt, render};

/// Most licenses one change may add (the server has its own, larger, limit per item).
const MAX_CHANGE: i64 = 1_000;

/// What the licenses page was redirected with after a change.
#[derive(Deserialize, Default)]
pub(super) struct Done {
    /// Seats after an applied change.
    updated: Option<u32>,
    /// A seat was assigned or freed.
    seat: Option<String>,
}

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

/// The assign and unassign forms.
#[derive(Deserialize)]
pub(super) struct SeatForm {
    csrf: String,
    seat_id: String,
    member_id: Option<String>,
    /// Set by the page of an item's seats, so the form returns there.
    item: Option<String>,
    after: Option<String>,
    from: Option<usize>,
}

impl SeatForm {
    /// The page of seats the form was on, if not the licenses page.
    fn seats_page(&self) -> Option<SeatsPageAt> {
        let item = self.item.clone().filter(|i| !i.is_empty())?;
        Some(SeatsPageAt {
            item,
            after: self.after.clone().filter(|a| !a.is_empty()),
            from: seat_number(self.from),
        })
    }
}

/// Messages to show on the page.
#[derive(Default)]
pub(super) struct Messages {
    /// A confirmation.
    pub notice: Option<String>,
    /// An error about the page as a whole.
    pub page_error: Option<String>,
    /// An error about one item's quantity field: (item id, message).
    pub item_error: Option<(String, String)>,
    /// An error about one seat's assign or unassign form: (seat id, message).
    pub seat_error: Option<(String, String)>,
}

pub(super) async fn page(
    State(portal): State<Portal>,
    headers: HeaderMap,
    done: Result<Query<Done>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(visitor) = Visitor::from_headers(&portal, &headers) else {
        return to_login();
    };
    let done = done.map(|Query(done)| done).unwrap_or_default();
    let notice = match (done.updated, done.seat.as_deref()) {
        (Some(n), _) => Some(format!("Done: you now have {n} licenses.")),
        (None, Some("assigned")) => Some("The license is assigned.".to_owned()),
        (None, Some("freed")) => Some("The license is free again.".to_owned()),
        _ => None,
    };
    licenses_page(
        &portal,
        visitor,
        StatusCode::OK,
        Messages {
            notice,
            ..Messages::default()
        },
    )
    .await
}

pub(super) async fn quote(
    State(portal): State<Portal>,
    headers: HeaderMap,
    Form(form): Form<ChangeForm>,
) -> Response {
    let visitor = match form_visitor(&portal, &headers, &form.csrf) {
        Ok(visitor) => visitor,
        Err(refusal) => return *refusal,
    };
    let count = match form.quantity.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_CHANGE).contains(&n) => n,
        _ => {
            let error = format!("Enter a whole number from 1 to {MAX_CHANGE}.");
            let messages = Messages {
                item_error: Some((form.item_id, error)),
                ..Messages::default()
            };
            return licenses_page(&portal, visitor, StatusCode::UNPROCESSABLE_ENTITY, messages)
                .await;
        }
    };
    let adding = form.action != "remove";
    let delta = if adding { count } else { -count };
    let variables = preview_license_change::Variables {
        input: preview_license_change::PreviewLicenseChangeInput {
            item_id: form.item_id.clone(),
            delta,
        },
    };
    let quote = match portal
        .run::<PreviewLicenseChange>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => data.preview_license_change.quote,
        Err(PortalError::Field { message, .. } | PortalError::Rejected(message)) => {
            let messages = Messages {
                item_error: Some((form.item_id, message)),
                ..Messages::default()
            };
            return licenses_page(&portal, visitor, StatusCode::UNPROCESSABLE_ENTITY, messages)
                .await;
        }
        Err(error) => return error_response(&portal, error),
    };
    let positive = |amount: &str| amount.chars().any(|c| matches!(c, '1'..='9'));
    let page = QuotePage {
        csrf: visitor.csrf.clone(),
        active: "licenses",
        quote_id: quote.id,
        idempotency_key: random_key(),
        adding,
        count,
        product: quote.product_name,
        unit_price: quote.unit_price.formatted,
        per: per_period(&quote.interval, quote.interval_count),
        quantity_before: quote.quantity_before,
        quantity_after: quote.quantity_after,
        delta_recurring_total: quote.delta_recurring_total.formatted,
        new_recurring_total: quote.new_recurring_total.formatted,
        line: quote.line_description.map(|text| match quote.line_amount {
            Some(amount) => format!("{text}: {}", amount.formatted),
            None => text,
        }),
        tax: quote.tax.formatted,
        prepaid_period: format!(
            "{} to {}",
            quote.prepaid_period_start, quote.prepaid_period_end
        ),
        first_payment: quote.first_payment_date,
        due_now: positive(&quote.amount_due_now.amount).then_some(quote.amount_due_now.formatted),
        due_next_invoice: positive(&quote.amount_next_invoice.amount)
            .then_some(quote.amount_next_invoice.formatted),
        credit: positive(&quote.credit_to_balance.amount)
            .then_some(quote.credit_to_balance.formatted),
        expires: readable_instant(&quote.expires_at),
    };
    visitor.respond(render(StatusCode::OK, &page))
}

pub(super) async fn apply(
    State(portal): State<Portal>,
    headers: HeaderMap,
    Form(form): Form<ApplyForm>,
) -> Response {
    let visitor = match form_visitor(&portal, &headers, &form.csrf) {
        Ok(visitor) => visitor,
        Err(refusal) => return *refusal,
    };
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
            let after = data.apply_license_change.quantity_after;
            Redirect::to(&format!("/licenses?updated={after}")).into_response()
        }
        Err(PortalError::Field { message, .. } | PortalError::Rejected(message)) => {
            let messages = Messages {
                page_error: Some(message),
                ..Messages::default()
            };
            licenses_page(&portal, visitor, StatusCode::CONFLICT, messages).await
        }
        Err(error) => error_response(&portal, error),
    }
}

pub(super) async fn assign(
    State(portal): State<Portal>,
    headers: HeaderMap,
    Form(form): Form<SeatForm>,
) -> Response {
    let visitor = match form_visitor(&portal, &headers, &form.csrf) {
        Ok(visitor) => visitor,
        Err(refusal) => return *refusal,
    };
    let back = form.seats_page();
    let Some(member_id) = form.member_id.filter(|m| !m.is_empty()) else {
        let refusal = Err(PortalError::Field {
            field: "memberId".into(),
            message: "Choose a member to assign the license to.".into(),
        });
        return seat_result(&portal, visitor, form.seat_id, back, refusal, "assigned").await;
    };
    let variables = assign_license::Variables {
        input: assign_license::AssignLicenseInput {
            seat_id: form.seat_id.clone(),
            member_id,
        },
    };
    let result = portal
        .run::<AssignLicense>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    seat_result(&portal, visitor, form.seat_id, back, result, "assigned").await
}

pub(super) async fn unassign(
    State(portal): State<Portal>,
    headers: HeaderMap,
    Form(form): Form<SeatForm>,
) -> Response {
    let visitor = match form_visitor(&portal, &headers, &form.csrf) {
        Ok(visitor) => visitor,
        Err(refusal) => return *refusal,
    };
    let back = form.seats_page();
    let variables = unassign_license::Variables {
        input: unassign_license::UnassignLicenseInput {
            seat_id: form.seat_id.clone(),
        },
    };
    let result = portal
        .run::<UnassignLicense>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    seat_result(&portal, visitor, form.seat_id, back, result, "freed").await
}

/// Back to the page the form was on (the licenses page or a page of seats) after an assign or
/// unassign; a refusal is shown there, next to that seat's form.
async fn seat_result(
    portal: &Portal,
    visitor: Visitor,
    seat_id: String,
    back: Option<SeatsPageAt>,
    result: Result<(), PortalError>,
    done: &str,
) -> Response {
    match result {
        Ok(()) => match &back {
            Some(at) => Redirect::to(&seats_url(at, done)).into_response(),
            None => Redirect::to(&format!("/licenses?seat={done}")).into_response(),
        },
        Err(PortalError::Field { message, .. } | PortalError::Rejected(message)) => {
            let messages = Messages {
                seat_error: Some((seat_id, message)),
                ..Messages::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            match back {
                Some(at) => seats_page(portal, visitor, status, at, messages).await,
                None => licenses_page(portal, visitor, status, messages).await,
            }
        }
        Err(error) => error_response(portal, error),
    }
}

/// A random idempotency key for one rendering of the confirmation form.
fn random_key() -> String {
    let mut bytes = [0u8; 16];
    // The OS random source failing is unrecoverable for a web server.
    getrandom::fill(&mut bytes).expect("operating system random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
