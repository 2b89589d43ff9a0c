//! Rendering the licenses page from the `Licenses` operation, and the small text helpers the
//! license pages share.

use axum::http::StatusCode;
use axum::response::Response;

use super::licenses::Messages;
use super::pages::staff_have_no_portal;
use super::{Visitor, error_response};
use crate::Portal;
use crate::operations::{Licenses, licenses, preview_license_change};
use crate::views::{LicenseItemView, LicensesPage, SeatView, render};

/// Renders the licenses page with `messages`.
pub(super) async fn licenses_page(
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
    let members: Vec<MemberChoice> = organisation
        .members
        .nodes
        .into_iter()
        .map(|m| MemberChoice::new(m.id, m.name, m.team.map(|t| t.name)))
        .collect();
    let messages = place_seat_error(messages, |seat| {
        organisation
            .licenses
            .iter()
            .any(|item| item.seats.nodes.iter().any(|s| s.id == seat))
    });
    let items = organisation
        .licenses
        .into_iter()
        .map(|item| {
            let seats: Vec<SeatRow> = item
                .seats
                .nodes
                .into_iter()
                .map(|s| SeatRow {
                    id: s.id,
                    member: s.member.map(|m| (m.id, m.name)),
                })
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
                free_members: free_members(&members, &seats),
                seats: seat_views(seats, 1, &messages),
                more_seats: item.seats.page_info.has_next_page,
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
        return_to_seats: None,
    };
    visitor.respond(render(status, &page))
}

/// A seat as an operation returned it: id, and assignee's (id, name).
pub(super) struct SeatRow {
    pub id: String,
    pub member: Option<(String, String)>,
}

/// A member a free seat can go to: id and "Name (Team)".
pub(super) struct MemberChoice {
    pub id: String,
    pub label: String,
}

impl MemberChoice {
    /// The choice for a member of `team`, if any.
    pub(super) fn new(id: String, name: String, team: Option<String>) -> Self {
        let label = match team {
            Some(team) => format!("{name} ({team})"),
            None => name,
        };
        Self { id, label }
    }
}

/// A refusal about a seat is shown next to that seat's form; one about a seat that is not on
/// the page (gone, or never ours) goes to the top of the page rather than being lost.
pub(super) fn place_seat_error(mut messages: Messages, on_page: impl Fn(&str) -> bool) -> Messages {
    if let Some((seat, message)) = messages.seat_error.take() {
        if on_page(&seat) {
            messages.seat_error = Some((seat, message));
        } else {
            messages.page_error.get_or_insert(message);
        }
    }
    messages
}

/// The seats to show, numbered from `first_number`, with the refusal next to its seat.
pub(super) fn seat_views(
    seats: Vec<SeatRow>,
    first_number: usize,
    messages: &Messages,
) -> Vec<SeatView> {
    seats
        .into_iter()
        .enumerate()
        .map(|(index, seat)| SeatView {
            error: messages
                .seat_error
                .as_ref()
                .filter(|(id, _)| *id == seat.id)
                .map(|(_, message)| message.clone()),
            number: first_number + index,
            id: seat.id,
            member: seat.member.map(|(_, name)| name),
        })
        .collect()
}

/// The members who hold none of `seats`: (id, label).
pub(super) fn free_members(members: &[MemberChoice], seats: &[SeatRow]) -> Vec<(String, String)> {
    members
        .iter()
        .filter(|m| {
            !seats
                .iter()
                .any(|s| s.member.as_ref().is_some_and(|(id, _)| *id == m.id))
        })
        .map(|m| (m.id.clone(), m.label.clone()))
        .collect()
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
pub(super) fn per_period(unit: &preview_license_change::IntervalUnit, count: i64) -> String {
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
pub(super) fn readable_instant(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) if rfc3339.ends_with("+00:00") || rfc3339.ends_with('Z') => {
            format!("{date} at {time} UTC")
        }
        _ => rfc3339.to_owned(),
    }
}
