//! All the seats of one license item, a hundred at a time, with the same assign and unassign
//! forms as the licenses page (which lists only an item's first hundred seats).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::licenses::Messages;
use super::licenses_view::{MemberChoice, SeatRow, free_members, place_seat_error, seat_views};
use super::pages::staff_have_no_portal;
use super::{Visitor, error_response, to_login};
use crate::Portal;
use crate::operations::{LicenseSeats, license_seats};
use crate::views::{LicenseItemView, SeatsPage, SeatsPageAt, render};

/// `GET /licenses/seats?item=si_…&after=…&from=101`.
#[derive(Deserialize, Default)]
pub(super) struct SeatsQuery {
    item: Option<String>,
    after: Option<String>,
    /// The number of the first seat of the page, for display only.
    from: Option<usize>,
    /// A seat was assigned or freed.
    seat: Option<String>,
}

pub(super) async fn page(
    State(portal): State<Portal>,
    headers: HeaderMap,
    query: Result<Query<SeatsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(visitor) = Visitor::from_headers(&portal, &headers) else {
        return to_login();
    };
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let Some(item) = query.item.filter(|i| !i.is_empty()) else {
        return Redirect::to("/licenses").into_response();
    };
    let notice = match query.seat.as_deref() {
        Some("assigned") => Some("The license is assigned.".to_owned()),
        Some("freed") => Some("The license is free again.".to_owned()),
        _ => None,
    };
    let at = SeatsPageAt {
        item,
        after: query.after.filter(|a| !a.is_empty()),
        from: seat_number(query.from),
    };
    let messages = Messages {
        notice,
        ..Messages::default()
    };
    seats_page(&portal, visitor, StatusCode::OK, at, messages).await
}

/// Renders the page of seats `at` with `messages`.
pub(super) async fn seats_page(
    portal: &Portal,
    visitor: Visitor,
    status: StatusCode,
    at: SeatsPageAt,
    messages: Messages,
) -> Response {
    let variables = license_seats::Variables {
        item_id: at.item.clone(),
        after: at.after.clone(),
    };
    let data = match portal
        .run::<LicenseSeats>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => data,
        Err(error) => return error_response(portal, error),
    };
    let can_change = !matches!(data.viewer.user.role, license_seats::Role::VIEWER);
    let Some(organisation) = data.viewer.organisation else {
        return staff_have_no_portal(visitor);
    };
    let item = organisation.license_item;
    let members: Vec<MemberChoice> = organisation
        .members
        .nodes
        .into_iter()
        .map(|m| MemberChoice::new(m.id, m.name, m.team.map(|t| t.name)))
        .collect();
    let seats: Vec<SeatRow> = item
        .seats
        .nodes
        .into_iter()
        .map(|s| SeatRow {
            id: s.id,
            member: s.member.map(|m| (m.id, m.name)),
        })
        .collect();
    let messages = place_seat_error(messages, |seat| seats.iter().any(|s| s.id == seat));
    let shown = (
        at.from,
        at.from.saturating_add(seats.len().saturating_sub(1)),
    );
    let next = item
        .seats
        .page_info
        .end_cursor
        .filter(|_| item.seats.page_info.has_next_page)
        .map(|cursor| {
            format!(
                "/licenses/seats?item={}&after={}&from={}",
                query_value(&item.id),
                query_value(&cursor),
                shown.1.saturating_add(1)
            )
        });
    let page = SeatsPage {
        csrf: visitor.csrf.clone(),
        active: "licenses",
        can_change,
        notice: messages.notice.clone(),
        page_error: messages.page_error.clone(),
        item: LicenseItemView {
            free_members: free_members(&members, &seats),
            seats: seat_views(seats, at.from, &messages),
            more_seats: item.seats.page_info.has_next_page,
            id: item.id,
            product: item.product_name,
            quantity: item.quantity,
            assigned: item.assigned,
            unassigned: item.unassigned,
            unit_price: String::new(),
            per: String::new(),
            period: String::new(),
            removal_rule: String::new(),
            error: None,
        },
        shown,
        next,
        return_to_seats: Some(at),
    };
    visitor.respond(render(status, &page))
}

/// Highest seat number a page may start at: far above any item's seats, far below overflow.
const MAX_SEAT_NUMBER: usize = 1_000_000;

/// The first seat number of a page, as a link or form gave it (for display only): 1 when
/// missing or out of range.
pub(super) fn seat_number(given: Option<usize>) -> usize {
    given
        .filter(|n| (1..=MAX_SEAT_NUMBER).contains(n))
        .unwrap_or(1)
}

/// Where a seat form on the page of seats `at` returns after a change.
pub(super) fn seats_url(at: &SeatsPageAt, done: &str) -> String {
    let mut url = format!("/licenses/seats?item={}", query_value(&at.item));
    if let Some(after) = &at.after {
        url.push_str(&format!("&after={}", query_value(after)));
    }
    url.push_str(&format!("&from={}&seat={done}", at.from));
    url
}

/// Percent-encodes a query-string value: everything but unreserved characters (RFC 3986).
fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(query_value("si_01ab-_.~"), "si_01ab-_.~");
        assert_eq!(query_value("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn seat_numbers_out_of_range_start_at_one() {
        assert_eq!(seat_number(Some(101)), 101);
        assert_eq!(seat_number(None), 1);
        assert_eq!(seat_number(Some(0)), 1);
        assert_eq!(seat_number(Some(usize::MAX)), 1);
    }

    #[test]
    fn a_seat_form_returns_to_its_page() {
        let at = SeatsPageAt {
            item: "si_1".into(),
            after: Some("abc".into()),
            from: 101,
        };
        assert_eq!(
            seats_url(&at, "freed"),
            "/licenses/seats?item=si_1&after=abc&from=101&seat=freed"
        );
    }
}
