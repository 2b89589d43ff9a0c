//! Why a page could not be shown. Handlers return `Result<_, PageError>` and use `?`; errors a
//! form can correct never get here: the handler renders its form again with the message next
//! to the field ([`ApiError::form_message`]).
//!
//! A `PageError` does not know the frame of the UI it happened in, so its response only says
//! what to show ([`ErrorShown`], or [`SignInAgain`]); the UI's [`crate::site::middleware`]
//! renders that in the UI's own error page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;
use crate::cookies::SessionCookie;
use crate::csrf::CsrfRefused;

/// A page that cannot be shown.
#[derive(Debug)]
pub enum PageError {
    /// No session, or one the API no longer accepts: back to sign-in, the cookie deleted.
    Unauthenticated,
    /// A form without the CSRF token of its page (forged, or from an expired page).
    CsrfRefused,
    /// Signed in, but not for this UI: a staff member in the portal, a customer in the console.
    WrongAudience,
    /// The user's role does not allow this (the API's message).
    Forbidden(String),
    /// What the URL names does not exist, or is another organisation's.
    NotFound,
    /// Input no form on the page can show (a hand-made URL): the API's message.
    BadRequest(String),
    /// A change the API refused where no form can show why.
    Rejected(String),
    /// A bug or an outage: logged with the details, shown without them.
    Internal(String),
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Unauthenticated => PageError::Unauthenticated,
            ApiError::Forbidden(message) => PageError::Forbidden(message),
            ApiError::NotFound(_) => PageError::NotFound,
            ApiError::Field { message, .. } => PageError::BadRequest(message),
            ApiError::Rejected { message, .. } => PageError::Rejected(message),
            ApiError::Internal(detail) => PageError::Internal(detail),
        }
    }
}

impl From<CsrfRefused> for PageError {
    fn from(_: CsrfRefused) -> Self {
        PageError::CsrfRefused
    }
}

/// What an error page shows, left in the response for the UI's middleware to render. Its
/// `message` never holds an internal error's details.
#[derive(Clone, Debug)]
pub struct ErrorShown {
    /// Heading.
    pub title: &'static str,
    /// Explanation; `None` for the UI's own text ([`PageError::WrongAudience`]).
    pub message: Option<String>,
}

/// The visitor must sign in again: the UI's middleware redirects to its sign-in page.
#[derive(Clone, Copy, Debug)]
pub struct SignInAgain;

impl PageError {
    /// The status and what to show; `None` for an error that is a redirect instead.
    pub fn shown(self) -> Option<(StatusCode, ErrorShown)> {
        let shown = |title, message: &str| ErrorShown {
            title,
            message: Some(message.to_owned()),
        };
        Some(match self {
            PageError::Unauthenticated => return None,
            PageError::CsrfRefused => (
                StatusCode::FORBIDDEN,
                shown(
                    "This form has expired",
                    "Please go back, reload the page and try again.",
                ),
            ),
            PageError::WrongAudience => (
                StatusCode::FORBIDDEN,
                ErrorShown {
                    title: "Not for this account",
                    message: None,
                },
            ),
            PageError::Forbidden(message) => (
                StatusCode::FORBIDDEN,
                shown("Not allowed for your role", &message),
            ),
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                shown(
                    "Not found",
                    "There is nothing here, or it belongs to another organisation.",
                ),
            ),
            PageError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                shown("Something is wrong with this address", &message),
            ),
            PageError::Rejected(message) => (
                StatusCode::CONFLICT,
                shown("This could not be done", &message),
            ),
            PageError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                shown(
                    "Something went wrong on our side",
                    "Please try again in a moment.",
                ),
            ),
        })
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let PageError::Internal(detail) = &self {
            tracing::error!(%detail, "page failed");
        }
        match self.shown() {
            // The plain text is what a route without the UI's middleware would send (a bug);
            // the middleware replaces it with the UI's page.
            Some((status, shown)) => {
                let mut response = (status, shown.title).into_response();
                response.extensions_mut().insert(shown);
                response
            }
            None => {
                let mut response =
                    (StatusCode::SEE_OTHER, SessionCookie::End, "sign in again").into_response();
                response.extensions_mut().insert(SignInAgain);
                response
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_status() {
        for (error, status) in [
            (PageError::CsrfRefused, StatusCode::FORBIDDEN),
            (PageError::WrongAudience, StatusCode::FORBIDDEN),
            (PageError::Forbidden("no".into()), StatusCode::FORBIDDEN),
            (PageError::NotFound, StatusCode::NOT_FOUND),
            (PageError::BadRequest("bad".into()), StatusCode::BAD_REQUEST),
            (PageError::Rejected("stale".into()), StatusCode::CONFLICT),
            (
                PageError::Internal("x".into()),
                StatusCode::INTERNAL_SERVER_ERROR,
            ),
        ] {
            let response = error.into_response();
            assert_eq!(response.status(), status);
            assert!(response.extensions().get::<ErrorShown>().is_some());
        }
    }

    #[test]
    fn an_internal_error_shows_no_details() {
        let (_, shown) = PageError::Internal("db password=hunter2".into())
            .shown()
            .expect("a page");
        assert!(!format!("{shown:?}").contains("hunter2"));
    }

    #[test]
    fn without_a_session_the_visitor_signs_in_again_and_the_cookie_goes() {
        let response = PageError::Unauthenticated.into_response();
        assert!(response.extensions().get::<SignInAgain>().is_some());
        assert!(matches!(
            response.extensions().get::<SessionCookie>(),
            Some(SessionCookie::End)
        ));
    }
}
