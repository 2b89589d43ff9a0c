//! All the seats of one license item, a hundred at a time, with the same assign and unassign
//! forms as the licenses page (which lists only an item's first hundred seats).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::view::{MemberChoice, Messages, SeatRow, SeatView, free_members, seat_views};
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::flash::Flash;
use crate::html::render;
use crate::operations::{LicenseSeats, license_seats};
use crate::route::{Route, SeatPage};
use crate::session::Visitor;

/// One license item's seats, a hundred at a time.
#[derive(Template)]
#[template(path = "licenses/seats.html")]
struct SeatsPage {
    /// The frame.
    chrome: Chrome,
    /// Whether the user may assign and unassign.
    can_change: bool,
    /// A confirmation to show.
    notice: Option<String>,
    /// An error about the page as a whole.
    page_error: Option<String>,
    /// The item, with this page's seats.
    item: SeatsOfItem,
    /// The first seat number on this page, and the last.
    shown: (usize, usize),
    /// The next page of seats, when there is one.
    next: Option<Route>,
    /// Seat forms return to this page.
    return_to: Option<SeatPage>,
}

/// The item whose seats are shown.
struct SeatsOfItem {
    /// Product name.
    product: String,
    /// Seats.
    quantity: i64,
    /// Seats assigned.
    assigned: i64,
    /// Seats free.
    unassigned: i64,
    /// This page's seats.
    seats: Vec<SeatView>,
    /// Members who hold no seat of this item (among those listed): (id, label).
    free_members: Vec<(String, String)>,
}

/// `GET /licenses/seats?item=si_…&after=…&from=101`.
#[derive(Deserialize, Default)]
pub(super) struct SeatsQuery {
    item: Option<String>,
    after: Option<String>,
    /// The number of the first seat of the page, for display only.
    from: Option<usize>,
}

/// `GET /licenses/seats`; without an item, the licenses page lists them all.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    query: Result<Query<SeatsQuery>, axum::extract::rejection::QueryRejection>,
    flash: Option<Flash>,
) -> Result<Response, PageError> {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let Some(item) = query.item.filter(|i| !i.is_empty()) else {
        return Ok(Route::Licenses.redirect().into_response());
    };
    let at = SeatPage::new(item, query.after, query.from);
    render_seats(
        &portal,
        &visitor,
        StatusCode::OK,
        at,
        Messages::flashed(flash),
    )
    .await
}

/// The page of seats `at` with `messages`, answered with `status`.
pub(super) async fn render_seats(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    at: SeatPage,
    messages: Messages,
) -> Result<Response, PageError> {
    let variables = license_seats::Variables {
        item_id: at.item.clone(),
        after: at.after.clone(),
    };
    let data = portal
        .run::<LicenseSeats>(variables, Some(&visitor.session))
        .await?;
    let user = data.viewer.user;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
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
    let messages = messages.place_seat_error(|seat| seats.iter().any(|s| s.id == seat));
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
            let from = shown.1.saturating_add(1);
            Route::Seats(SeatPage::new(item.id.clone(), Some(cursor), Some(from)))
        });
    let page = SeatsPage {
        chrome: visitor.chrome(Nav::Licenses, user.name, Some(organisation.name)),
        can_change: user.role.can_change(),
        notice: messages.notice.clone(),
        page_error: messages.page_error.clone(),
        item: SeatsOfItem {
            free_members: free_members(&members, &seats),
            seats: seat_views(seats, at.from, &messages),
            product: item.product_name,
            quantity: item.quantity,
            assigned: item.assigned,
            unassigned: item.unassigned,
        },
        shown,
        next,
        return_to: Some(at),
    };
    Ok(render(status, &page))
}
