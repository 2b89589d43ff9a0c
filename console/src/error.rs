//! Why a page could not be shown, in the console's frame. Handlers return
//! `Result<_, PageError>` (the `web` crate's, shared with the portal) and use `?`; errors a
//! form can correct never get here: the handler renders its form again with the message next
//! to the field (see [`crate::form`]). The console's [`Site`] says how such an error looks here.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use web::cookies::CookieSettings;
use web::site::Site;

pub use web::page_error::PageError;

use crate::chrome::Chrome;
use crate::html::render;
use crate::route::{Route, path};
use crate::{Console, MOUNT, SESSION_COOKIE};

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

/// What a customer who reaches the console is told.
pub const NOT_STAFF: &str = "The console is for operator staff. Customers sign in to their \
     portal at /.";

impl Site for Console {
    const SIGN_IN: &'static str = path::SIGN_IN;
    const WRONG_AUDIENCE: (&'static str, &'static str) =
        ("The console is for operator staff", NOT_STAFF);

    fn cookies(&self) -> CookieSettings {
        CookieSettings {
            path: MOUNT,
            // Not the portal's names: both may be in one browser.
            csrf_cookie: "billfold_console_csrf",
            session_cookie: SESSION_COOKIE,
            // Strict: staff never arrive at the console signed in from another site's link.
            session_same_site: "Strict",
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
    fn a_customer_is_told_where_to_go() {
        let page = ErrorPage {
            chrome: Chrome::bare(),
            title: Console::WRONG_AUDIENCE.0,
            message: Console::WRONG_AUDIENCE.1.into(),
        };
        let html = page.render().expect("renders");
        assert!(
            html.contains("Customers sign in to their portal at /."),
            "{html}"
        );
    }
}
