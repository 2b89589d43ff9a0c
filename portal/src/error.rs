//! Why a page could not be shown, and what the visitor gets instead. Handlers return
//! `Result<_, PageError>` and use `?`; errors a form can correct never get here: the handler
//! re-renders its form with the message next to the field (see
//! [`PortalError::form_message`](crate::client::PortalError)).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::chrome::Chrome;
use crate::client::PortalError;
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
    /// Operator staff have no organisation: the portal is for customers.
    NotACustomer,
    /// The user's role does not allow this.
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

impl From<PortalError> for PageError {
    fn from(error: PortalError) -> Self {
        match error {
            PortalError::Unauthenticated => PageError::Unauthenticated,
            PortalError::Forbidden(message) => PageError::Forbidden(message),
            PortalError::NotFound(_) => PageError::NotFound,
            PortalError::Field { message, .. } => PageError::BadRequest(message),
            PortalError::Rejected(message) => PageError::Rejected(message),
            PortalError::Internal(detail) => PageError::Internal(detail),
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
    /// The page with `title` and `message`.
    fn new(title: &'static str, message: impl Into<String>) -> Self {
        Self {
            chrome: Chrome::bare(),
            title,
            message: message.into(),
        }
    }
}

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
            PageError::NotACustomer => (
                StatusCode::FORBIDDEN,
                ErrorPage::new(
                    "The portal is for customers",
                    "You are signed in as operator staff: use the GraphQL API at /graphql.",
                ),
            ),
            PageError::Forbidden(message) => (
                StatusCode::FORBIDDEN,
                ErrorPage::new("Not allowed", message),
            ),
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                ErrorPage::new(
                    "Not found",
                    "There is nothing here, or it belongs to another organisation.",
                ),
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
            tracing::error!(%detail, "portal page failed");
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
        assert_eq!(response.headers()[LOCATION], "/login");
        assert!(matches!(
            response.extensions().get::<SessionCookie>(),
            Some(SessionCookie::End)
        ));
    }

    #[test]
    fn each_error_has_its_status() {
        for (error, status) in [
            (PageError::CsrfRefused, StatusCode::FORBIDDEN),
            (PageError::NotACustomer, StatusCode::FORBIDDEN),
            (PageError::Forbidden("no".into()), StatusCode::FORBIDDEN),
            (PageError::NotFound, StatusCode::NOT_FOUND),
            (PageError::BadRequest("bad".into()), StatusCode::BAD_REQUEST),
            (PageError::Rejected("stale".into()), StatusCode::CONFLICT),
        ] {
            assert_eq!(error.into_response().status(), status);
        }
    }

    #[test]
    fn an_internal_error_shows_no_details() {
        let (status, page) = PageError::Internal("db password=hunter2".into())
            .page()
            .expect("a page");
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let html = page.render().expect("renders");
        assert!(html.contains("Something went wrong on our side"), "{html}");
        assert!(!html.contains("hunter2"), "{html}");
    }
}
