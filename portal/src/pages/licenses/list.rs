//! The licenses page: every license item with its first hundred seats, the add/remove form and
//! the seat forms. Viewers see the same page without any form.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::view::{MemberChoice, Messages, SeatRow, SeatView, free_members, per, seat_views};
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::dates;
use crate::error::PageError;
use crate::flash::Flash;
use crate::html::render;
use crate::operations::{Licenses, licenses};
use crate::route::{Route, SeatPage};
use crate::session::Visitor;

/// The licenses page.
#[derive(Template)]
#[template(path = "licenses/licenses.html")]
struct LicensesPage {
    /// The frame.
    chrome: Chrome,
    /// Whether the user may change licenses (viewers may not: no forms are shown).
    can_change: bool,
    /// A confirmation to show.
    notice: Option<String>,
    /// An error about the page as a whole.
    page_error: Option<String>,
    /// The license items.
    items: Vec<LicenseItemView>,
    /// Seat forms here return to the licenses page, not to a page of seats.
    return_to: Option<SeatPage>,
}

/// A license item on the licenses page.
struct LicenseItemView {
    /// Item id.
    id: String,
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
    /// "per month", "every 3 months"…
    per: String,
    /// The current period, for people ("1–31 Dec 2026").
    period: String,
    /// How removals work here.
    removal_rule: String,
    /// The first hundred seats.
    seats: Vec<SeatView>,
    /// The page of all the item's seats, when it has more than are listed here.
    all_seats: Option<Route>,
    /// Members who hold no seat of this item: (id, label).
    free_members: Vec<(String, String)>,
    /// An error about the quantity field.
    error: Option<String>,
}

/// `GET /licenses`, with the confirmation of the change that redirected here.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    flash: Option<Flash>,
) -> Result<Response, PageError> {
    render_licenses(&portal, &visitor, StatusCode::OK, Messages::flashed(flash)).await
}

/// The licenses page with `messages`, answered with `status` (422 when a form is shown again
/// with its refusal).
pub(super) async fn render_licenses(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    messages: Messages,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Licenses>(licenses::Variables, Some(&visitor.session))
        .await?;
    let user = data.viewer.user;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let members: Vec<MemberChoice> = organisation
        .members
        .nodes
        .into_iter()
        .map(|m| MemberChoice::new(m.id, m.name, m.team.map(|t| t.name)))
        .collect();
    let messages = messages.place_seat_error(|seat| {
        organisation
            .licenses
            .iter()
            .any(|item| item.seats.nodes.iter().any(|s| s.id == seat))
    });
    let items = organisation
        .licenses
        .into_iter()
        .map(|item| item_view(item, &members, &messages))
        .collect();
    let page = LicensesPage {
        chrome: visitor.chrome(Nav::Licenses, user.name, Some(organisation.name)),
        can_change: user.role.can_change(),
        notice: messages.notice,
        page_error: messages.page_error,
        items,
        return_to: None,
    };
    Ok(render(status, &page).into_response())
}

/// One item as the page shows it.
fn item_view(
    item: licenses::LicensesViewerOrganisationLicenses,
    members: &[MemberChoice],
    messages: &Messages,
) -> LicenseItemView {
    let seats: Vec<SeatRow> = item
        .seats
        .nodes
        .into_iter()
        .map(|s| SeatRow {
            id: s.id,
            member: s.member.map(|m| (m.id, m.name)),
        })
        .collect();
    let removal_rule = if item.remove_one_at_a_time {
        format!(
            "Only free licenses can be removed, one at a time, down to {}.",
            item.min_quantity
        )
    } else {
        format!(
            "Only free licenses can be removed, down to {}.",
            item.min_quantity
        )
    };
    LicenseItemView {
        per: per(item.interval, item.interval_count),
        period: dates::period(item.current_period_start, item.current_period_end),
        removal_rule,
        free_members: free_members(members, &seats),
        seats: seat_views(seats, 1, messages),
        all_seats: item
            .seats
            .page_info
            .has_next_page
            .then(|| Route::Seats(SeatPage::first(item.id.clone()))),
        error: messages.for_item(&item.id),
        id: item.id,
        product: item.product_name,
        quantity: item.quantity,
        assigned: item.assigned,
        unassigned: item.unassigned,
        unit_price: item.unit_price.formatted,
    }
}
