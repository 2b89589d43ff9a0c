//! The licenses page: add or remove licenses through a binding quote, assign and unassign
//! seats. Viewers see the same page without any form.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::pages::staff_have_no_portal;
use super::{Visitor, csrf_refused, error_response, to_login};
use crate::Portal;
use crate::client::PortalError;
use crate::operations::{
    ApplyLicenseChange, AssignLicense, Licenses, PreviewLicenseChange, UnassignLicense,
    apply_license_change, assign_license, licenses, preview_license_change, unassign_license,
};
use crate::views::{LicenseItemView, LicensesPage, QuotePage, SeatView, render};

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
}

/// Messages to show on the page.
#[derive(Default)]
struct Messages {
    notice: Option<String>,
    page_error: Option<String>,
    item_error: Option<(String, String)>,
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
    if !crate::csrf::verify(&headers, &form.csrf) {
        return csrf_refused();
    }
    let Some(visitor) = Visitor::from_headers(&portal, &headers) else {
        return to_login();
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
    if !crate::csrf::verify(&headers, &form.csrf) {
        return csrf_refused();
    }
    let Some(visitor) = Visitor::from_headers(&portal, &headers) else {
        return to_login();
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
    if !crate::csrf::verify(&headers, &form.csrf) {
        return csrf_refused();
    }
    let Some(visitor) = Visitor::from_headers(&portal, &headers) else {
        return to_login();
    };
    let Some(member_id) = form.member_id.filter(|m| !m.is_empty()) else {
        let messages = Messages {
            page_error: Some("Choose a member to assign the license to.".into()),
            ..Messages::default()
        };
        return licenses_page(&portal, visitor, StatusCode::UNPROCESSABLE_ENTITY, messages).await;
    };
    let variables = assign_license::Variables {
        input: assign_license::AssignLicenseInput {
            seat_id: form.seat_id,
            member_id,
        },
    };
    let result = portal
        .run::<AssignLicense>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    seat_result(&portal, visitor, result, "assigned").await
}

pub(super) async fn unassign(
    State(portal): State<Portal>,
    headers: HeaderMap,
    Form(form): Form<SeatForm>,
) -> Response {
    if !crate::csrf::verify(&headers, &form.csrf) {
        return csrf_refused();
    }
    let Some(visitor) = Visitor::from_headers(&portal, &headers) else {
        return to_login();
    };
    let variables = unassign_license::Variables {
        input: unassign_license::UnassignLicenseInput {
            seat_id: form.seat_id,
        },
    };
    let result = portal
        .run::<UnassignLicense>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    seat_result(&portal, visitor, result, "freed").await
}

async fn seat_result(
    portal: &Portal,
    visitor: Visitor,
    result: Result<(), PortalError>,
    done: &str,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/licenses?seat={done}")).into_response(),
        Err(PortalError::Field { message, .. } | PortalError::Rejected(message)) => {
            let messages = Messages {
                page_error: Some(message),
                ..Messages::default()
            };
            licenses_page(portal, visitor, StatusCode::UNPROCESSABLE_ENTITY, messages).await
        }
        Err(error) => error_response(portal, error),
    }
}

async fn licenses_page(
    portal: &Portal,
    visitor: Visitor,
    status: StatusCode,
    messages: Messages,
) -> Response {
    let data = match portal
        .run::<Licenses>(licenses::Variables, Some(&visitor.session))
        .await
    {
        Ok(data) => data,
        Err(error) => return error_response(portal, error),
    };
    let can_change = !matches!(data.viewer.user.role, licenses::Role::VIEWER);
    let Some(organisation) = data.viewer.organisation else {
        return staff_have_no_portal(visitor);
    };
    let members = organisation.members.nodes;
    let items = organisation
        .licenses
        .into_iter()
        .map(|item| {
            let holders: Vec<String> = item
                .seats
                .nodes
                .iter()
                .filter_map(|s| s.member.as_ref().map(|m| m.id.clone()))
                .collect();
            let error = messages
                .item_error
                .as_ref()
                .filter(|(id, _)| *id == item.id)
                .map(|(_, message)| message.clone());
            LicenseItemView {
                per: per(&item.interval, item.interval_count),
                period: format!(
                    "{} to {}",
                    item.current_period_start, item.current_period_end
                ),
                removal_rule: if item.remove_one_at_a_time {
                    format!(
                        "Only free licenses can be removed, one at a time, down to {}.",
                        item.min_quantity
                    )
                } else {
                    format!(
                        "Only free licenses can be removed, down to {}.",
                        item.min_quantity
                    )
                },
                seats: item
                    .seats
                    .nodes
                    .into_iter()
                    .map(|s| SeatView {
                        id: s.id,
                        member: s.member.map(|m| m.name),
                    })
                    .collect(),
                free_members: members
                    .iter()
                    .filter(|m| !holders.contains(&m.id))
                    .map(|m| {
                        let label = match &m.team {
                            Some(team) => format!("{} ({})", m.name, team.name),
                            None => m.name.clone(),
                        };
                        (m.id.clone(), label)
                    })
                    .collect(),
                id: item.id,
                product: item.product_name,
                quantity: item.quantity,
                assigned: item.assigned,
                unassigned: item.unassigned,
                unit_price: item.unit_price.formatted,
                error,
            }
        })
        .collect();
    let page = LicensesPage {
        csrf: visitor.csrf.clone(),
        active: "licenses",
        can_change,
        notice: messages.notice,
        page_error: messages.page_error,
        items,
    };
    visitor.respond(render(status, &page))
}

/// "per month", "every 3 months"…
fn per(unit: &Option<licenses::IntervalUnit>, count: i64) -> String {
    let unit = match unit {
        Some(licenses::IntervalUnit::DAY) => "day",
        Some(licenses::IntervalUnit::WEEK) => "week",
        Some(licenses::IntervalUnit::MONTH) => "month",
        Some(licenses::IntervalUnit::QUARTER) => "quarter",
        Some(licenses::IntervalUnit::YEAR) => "year",
        _ => "period",
    };
    every(unit, count)
}

/// The same for a quote's interval.
fn per_period(unit: &preview_license_change::IntervalUnit, count: i64) -> String {
    let unit = match unit {
        preview_license_change::IntervalUnit::DAY => "day",
        preview_license_change::IntervalUnit::WEEK => "week",
        preview_license_change::IntervalUnit::MONTH => "month",
        preview_license_change::IntervalUnit::QUARTER => "quarter",
        preview_license_change::IntervalUnit::YEAR => "year",
        preview_license_change::IntervalUnit::Other(_) => "period",
    };
    every(unit, count)
}

fn every(unit: &str, count: i64) -> String {
    if count == 1 {
        format!("per {unit}")
    } else {
        format!("every {count} {unit}s")
    }
}

/// `2026-11-21T23:12:32.83+00:00` -> `2026-11-21 at 23:12 UTC`.
fn readable_instant(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) if rfc3339.ends_with("+00:00") || rfc3339.ends_with('Z') => {
            format!("{date} at {time} UTC")
        }
        _ => rfc3339.to_owned(),
    }
}

/// A random idempotency key for one rendering of the confirmation form.
fn random_key() -> String {
    let mut bytes = [0u8; 16];
    // The OS random source failing is unrecoverable for a web server.
    getrandom::fill(&mut bytes).expect("operating system random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
