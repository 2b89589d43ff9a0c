//! Why a license use case refuses: one variant per reason, each with a fixed code and, for bad
//! input, the input field at fault. The one conversion to [`ServiceError`] is below.

use crate::error::ServiceError;
use crate::services::subscriptions::MAX_ITEM_QUANTITY;

/// A refused license request.
#[derive(Debug)]
pub enum LicenseError {
    /// No such license item in the caller's organisation (or not a license item).
    ItemNotFound,
    /// No such quote in the caller's organisation.
    QuoteNotFound,
    /// No such seat in the caller's organisation.
    SeatNotFound,
    /// No such member in the seat's organisation.
    MemberNotFound,
    /// Removing more seats than are unassigned.
    RemovesAssignedSeats,
    /// The change would take the item past [`MAX_ITEM_QUANTITY`].
    TooManySeats,
    /// The seat is assigned to someone else.
    SeatTaken,
    /// The member already holds a seat of this item.
    MemberHasSeat,
    /// A concurrent assignment gave the member a seat first.
    MemberJustGivenSeat,
    /// A concurrent assignment took the seat first.
    SeatJustTaken,
    /// The quote's validity ran out.
    QuoteExpired,
    /// The item changed since the quote so that it would now cost something else.
    QuoteStale(billing::Error),
    /// Seats the quote removes have been assigned since.
    SeatsAssignedSinceQuote,
    /// Seats added since the quote leave no room for it.
    FullSinceQuote,
    /// The idempotency key was used at the same moment for another request.
    KeyReused,
}

impl From<LicenseError> for ServiceError {
    fn from(error: LicenseError) -> Self {
        use LicenseError::*;
        let stale = |message: &str| ServiceError::QuoteStale {
            message: message.into(),
        };
        let conflict = |message: &str| ServiceError::Conflict {
            message: message.into(),
        };
        match error {
            ItemNotFound => ServiceError::NotFound {
                entity: "license item",
            },
            QuoteNotFound => ServiceError::NotFound { entity: "quote" },
            SeatNotFound => ServiceError::NotFound { entity: "license" },
            MemberNotFound => ServiceError::NotFound { entity: "member" },
            RemovesAssignedSeats => ServiceError::bad_input(
                "input.delta",
                "only unassigned licenses can be removed: unassign a member first",
            ),
            TooManySeats => ServiceError::bad_input(
                "input.delta",
                format!("an item holds at most {MAX_ITEM_QUANTITY} licenses"),
            ),
            SeatTaken => ServiceError::bad_input(
                "input.seatId",
                "this license is assigned to someone else: unassign it first",
            ),
            MemberHasSeat => ServiceError::bad_input(
                "input.memberId",
                "this member already has one of these licenses",
            ),
            MemberJustGivenSeat => conflict("this member was just given one of these licenses"),
            SeatJustTaken => conflict("this license was just assigned"),
            QuoteExpired => ServiceError::QuoteExpired,
            QuoteStale(reason) => ServiceError::QuoteStale {
                message: format!("the licenses changed since this quote ({reason}): preview again"),
            },
            SeatsAssignedSinceQuote => stale("the seats to remove are now assigned: preview again"),
            FullSinceQuote => ServiceError::QuoteStale {
                message: format!("an item holds at most {MAX_ITEM_QUANTITY} licenses"),
            },
            KeyReused => conflict("this idempotency key was already used for another request"),
        }
    }
}
