//! Giving a seat to a member and freeing it, from the licenses page or from a page of seats;
//! the form returns to the page it was on, with the confirmation or with the refusal next to
//! that seat's form (422).

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::list::render_licenses;
use super::seats::render_seats;
use super::view::Messages;
use crate::Portal;
use crate::client::PortalError;
use crate::error::PageError;
use crate::flash::Flash;
use crate::operations::{AssignLicense, UnassignLicense, assign_license, unassign_license};
use crate::route::{Route, SeatPage};
use crate::session::Visitor;

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
    /// The page of seats the form was on; `None` for the licenses page.
    fn seat_page(&self) -> Option<SeatPage> {
        let item = self.item.clone().filter(|i| !i.is_empty())?;
        Some(SeatPage::new(item, self.after.clone(), self.from))
    }
}

/// `POST /licenses/assign`.
pub(super) async fn assign(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(form): Form<SeatForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let back = form.seat_page();
    let result = match form.member_id.filter(|m| !m.is_empty()) {
        None => Err(PortalError::Field {
            field: "memberId".into(),
            message: "Choose a member to assign the license to.".into(),
        }),
        Some(member_id) => {
            let variables = assign_license::Variables {
                input: assign_license::AssignLicenseInput {
                    seat_id: form.seat_id.clone(),
                    member_id,
                },
            };
            portal
                .run::<AssignLicense>(variables, Some(&visitor.session))
                .await
                .map(|_| ())
        }
    };
    let outcome = SeatChange {
        seat: form.seat_id,
        back,
        done: Flash::SeatAssigned,
    };
    outcome.respond(&portal, &visitor, result).await
}

/// `POST /licenses/unassign`.
pub(super) async fn unassign(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(form): Form<SeatForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let back = form.seat_page();
    let variables = unassign_license::Variables {
        input: unassign_license::UnassignLicenseInput {
            seat_id: form.seat_id.clone(),
        },
    };
    let result = portal
        .run::<UnassignLicense>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    let outcome = SeatChange {
        seat: form.seat_id,
        back,
        done: Flash::SeatFreed,
    };
    outcome.respond(&portal, &visitor, result).await
}

/// An assign or unassign that was tried: which seat, from which page, what to confirm.
struct SeatChange {
    /// The seat.
    seat: String,
    /// The page of seats the form was on; `None` for the licenses page.
    back: Option<SeatPage>,
    /// The confirmation if it worked.
    done: Flash,
}

impl SeatChange {
    /// Back to the page the form was on: redirected with the confirmation, or shown again
    /// with the refusal next to the seat.
    async fn respond(
        self,
        portal: &Portal,
        visitor: &Visitor,
        result: Result<(), PortalError>,
    ) -> Result<Response, PageError> {
        let message = match result {
            Ok(()) => {
                let route = match self.back {
                    Some(page) => Route::Seats(page),
                    None => Route::Licenses,
                };
                return Ok(self.done.redirect(&route).into_response());
            }
            Err(error) => error.form_message()?,
        };
        let messages = Messages::seat_error(self.seat, message);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        match self.back {
            Some(page) => render_seats(portal, visitor, status, page, messages).await,
            None => render_licenses(portal, visitor, status, messages).await,
        }
    }
}
