//! Why a page could not be shown, and what the visitor gets instead. Handlers return
//! `Result<_, PageError>` and use `?`; errors a form can correct never get here: the handler
//! renders its form again with the message next to the field (see [`crate::form`]).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::chrome::Chrome;
use crate::client::ConsoleError;
use crate::cookies::SessionCookie;
use crate::html::render;
use crate::route::Route;

/// A page that cannot be shown.
#[derive(Debug)]
pub enum PageError {
    /// No session, or one the API no longer accepts: back to sign-in, the cookie deleted.
    Unauthenticated,
    /// A form without the CSRF token of its page (forged, or from an expired page).
    CsrfRefused,
    /// A customer's session: the console is for operator staff.
    NotStaff,
    /// The staff member's role does not allow this (the API's message).
    Forbidden(String),
    /// What the URL names does not exist.
    NotFound,
    /// Input no form on the page can show (a hand-made URL): the API's message.
    BadRequest(String),
    /// A change the API refused where no form can show why.
    Rejected(String),
    /// A bug or an outage: logged with the details, shown without them.
    Internal(String),
}

impl From<ConsoleError> for PageError {
    fn from(error: ConsoleError) -> Self {
        match error {
            ConsoleError::Unauthenticated => PageError::Unauthenticated,
            ConsoleError::Forbidden(message) => PageError::Forbidden(message),
            ConsoleError::NotFound(_) => PageError::NotFound,
            ConsoleError::Field { message, .. } => PageError::BadRequest(message),
            ConsoleError::Rejected { message, .. } => PageError::Rejected(message),
            ConsoleError::Internal(detail) => PageError::Internal(detail),
        }
    }
}

/// A page for errors that leave nothing else to show.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// The frame: no navigation.
    pub chrome: Chrome,
    /// Heading.
    pub title: &'static str,
    /// Explanation.
    pub message: String,
}

impl ErrorPage {
    fn new(title: &'static str, message: impl Into<String>) -> Self {
        Self {
            chrome: Chrome::bare(),
            title,
            message: message.into(),
        }
    }
}

/// What a customer who reaches the console is told.
pub const NOT_STAFF: &str = "The console is for operator staff. Customers sign in to their \
     portal at /.";

impl PageError {
    /// The error page and its status; `None` for an error that is a redirect instead.
    fn page(self) -> Option<(StatusCode, ErrorPage)> {
        let shown = match self {
            PageError::Unauthenticated => return None,
            PageError::CsrfRefused => (
                StatusCode::FORBIDDEN,
                ErrorPage::new(
                    "This form has expired",
                    "Please go back, reload the page and try again.",
                ),
            ),
            PageError::NotStaff => (
                StatusCode::FORBIDDEN,
                ErrorPage::new("The console is for operator staff", NOT_STAFF),
            ),
            PageError::Forbidden(message) => (
                StatusCode::FORBIDDEN,
                ErrorPage::new("Not allowed for your role", message),
            ),
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                ErrorPage::new("Not found", "There is nothing here."),
            ),
            PageError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                ErrorPage::new("Something is wrong with this address", message),
            ),
            PageError::Rejected(message) => (
                StatusCode::CONFLICT,
                ErrorPage::new("This could not be done", message),
            ),
            PageError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorPage::new(
                    "Something went wrong on our side",
                    "Please try again in a moment.",
                ),
            ),
        };
        Some(shown)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let PageError::Internal(detail) = &self {
            tracing::error!(%detail, "console page failed");
        }
        match self.page() {
            Some((status, page)) => render(status, &page),
            None => (SessionCookie::End, Route::SignIn.redirect()).into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::LOCATION;

    #[test]
    fn without_a_session_the_visitor_signs_in_again_and_the_cookie_goes() {
        let response = PageError::Unauthenticated.into_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/admin/login");
        assert!(matches!(
            response.extensions().get::<SessionCookie>(),
            Some(SessionCookie::End)
        ));
    }

    #[test]
    fn an_internal_error_shows_no_details() {
        let (status, page) = PageError::Internal("db password=hunter2".into())
            .page()
            .expect("a page");
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let html = page.render().expect("renders");
        assert!(!html.contains("hunter2"), "{html}");
        let (status, _) = PageError::NotStaff.page().expect("a page");
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}
