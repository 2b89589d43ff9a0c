//! Why a page could not be shown, in the portal's frame. Handlers return
//! `Result<_, PageError>` (the `web` crate's, shared with the console) and use `?`; errors a
//! form can correct never get here: the handler re-renders its form with the message next to
//! the field (see [`PortalError::form_message`](crate::client::PortalError)). The portal's
//! [`Site`] says how such an error looks here.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use web::cookies::CookieSettings;
use web::site::Site;

pub use web::page_error::PageError;

use crate::chrome::Chrome;
use crate::html::render;
use crate::route::{Route, path};
use crate::{Portal, SESSION_COOKIE};

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

impl Site for Portal {
    const SIGN_IN: &'static str = path::SIGN_IN;
    const WRONG_AUDIENCE: (&'static str, &'static str) = (
        "The portal is for customers",
        "You are signed in as operator staff: use the console at /admin.",
    );

    fn cookies(&self) -> CookieSettings {
        CookieSettings {
            path: "/",
            csrf_cookie: "billfold_csrf",
            session_cookie: SESSION_COOKIE,
            // Lax: a customer who follows a link from an invoice e-mail arrives signed in.
            session_same_site: "Lax",
            session_ttl_seconds: self.config.session_ttl_seconds,
            secure: self.config.secure_cookies,
        }
    }

    fn error_page(&self, status: StatusCode, title: &'static str, message: String) -> Response {
        let page = ErrorPage {
            chrome: Chrome::bare(),
            title,
            message,
        };
        render(status, &page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_page_shows_its_title_and_message() {
        let page = ErrorPage {
            chrome: Chrome::bare(),
            title: "Not found",
            message: "There is nothing here.".into(),
        };
        let html = page.render().expect("renders");
        assert!(
            html.contains("Not found") && html.contains("There is nothing here."),
            "{html}"
        );
    }
}
