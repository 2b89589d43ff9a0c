//! What the license pages have in common: the messages a page shows besides its data, the seats
//! table's rows and member choices, and the wording of an interval. The pages (`list`, `seats`,
//! `quote`) and the seat forms (`assignments`) use this module; it uses none of them.

use crate::flash::Flash;
use crate::operations::IntervalUnit;

/// Messages to show on a license page besides its data.
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

impl Messages {
    /// A page's messages after a redirect that carried `flash`.
    pub fn flashed(flash: Option<Flash>) -> Self {
        Self {
            notice: flash.map(Flash::message),
            ..Self::default()
        }
    }

    /// A refusal of the change to item `item`, shown next to its quantity field.
    pub fn item_error(item: String, message: String) -> Self {
        Self {
            item_error: Some((item, message)),
            ..Self::default()
        }
    }

    /// A refusal of the assign or unassign of seat `seat`, shown next to its form.
    pub fn seat_error(seat: String, message: String) -> Self {
        Self {
            seat_error: Some((seat, message)),
            ..Self::default()
        }
    }

    /// A refusal about the page as a whole, shown at its top.
    pub fn page_error(message: String) -> Self {
        Self {
            page_error: Some(message),
            ..Self::default()
        }
    }

    /// The seat refusal stays next to its seat when `on_page` says that seat is shown; one
    /// about a seat that is not (gone, or never ours) moves to the top of the page rather than
    /// being lost.
    pub fn place_seat_error(mut self, on_page: impl Fn(&str) -> bool) -> Self {
        if let Some((seat, message)) = self.seat_error.take() {
            if on_page(&seat) {
                self.seat_error = Some((seat, message));
            } else {
                self.page_error.get_or_insert(message);
            }
        }
        self
    }

    /// The refusal about item `item`'s quantity, if it is the one refused.
    pub fn for_item(&self, item: &str) -> Option<String> {
        self.item_error
            .as_ref()
            .filter(|(id, _)| id == item)
            .map(|(_, message)| message.clone())
    }
}

/// A seat as an operation returned it: id, and assignee's (id, name).
pub(super) struct SeatRow {
    /// Seat id.
    pub id: String,
    /// Assignee's (id, name).
    pub member: Option<(String, String)>,
}

/// A seat in the seats table.
pub(super) struct SeatView {
    /// Seat id.
    pub id: String,
    /// Its number in the item, from 1, oldest first.
    pub number: usize,
    /// Assignee's name.
    pub member: Option<String>,
    /// Why the last assign or unassign of this seat was refused.
    pub error: Option<String>,
}

/// A member a free seat can go to: id and "Name (Team)".
pub(super) struct MemberChoice {
    /// Member id.
    pub id: String,
    /// "Name (Team)".
    pub label: String,
}

impl MemberChoice {
    /// The choice for a member of `team`, if any.
    pub fn new(id: String, name: String, team: Option<String>) -> Self {
        let label = match team {
            Some(team) => format!("{name} ({team})"),
            None => name,
        };
        Self { id, label }
    }
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
pub(super) fn per(unit: Option<IntervalUnit>, count: i64) -> String {
    let unit = match unit {
        Some(IntervalUnit::DAY) => "day",
        Some(IntervalUnit::WEEK) => "week",
        Some(IntervalUnit::MONTH) => "month",
        Some(IntervalUnit::QUARTER) => "quarter",
        Some(IntervalUnit::YEAR) => "year",
        Some(IntervalUnit::Other) | None => "period",
    };
    if count == 1 {
        format!("per {unit}")
    } else {
        format!("every {count} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interval_reads_as_people_say_it() {
        assert_eq!(per(Some(IntervalUnit::MONTH), 1), "per month");
        assert_eq!(per(Some(IntervalUnit::MONTH), 3), "every 3 months");
        assert_eq!(per(None, 1), "per period");
    }

    #[test]
    fn a_refusal_about_a_seat_not_shown_goes_to_the_top() {
        let shown = Messages::seat_error("lic_1".into(), "no".into()).place_seat_error(|_| true);
        assert!(shown.seat_error.is_some() && shown.page_error.is_none());
        let hidden = Messages::seat_error("lic_x".into(), "no".into()).place_seat_error(|_| false);
        assert!(hidden.seat_error.is_none());
        assert_eq!(hidden.page_error.as_deref(), Some("no"));
    }
}
