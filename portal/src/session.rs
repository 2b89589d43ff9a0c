//! The signed-in visitor.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::SESSION_COOKIE;
use crate::chrome::{Chrome, Nav, SignedInUser};
use crate::cookies;
use crate::csrf::CsrfToken;
use crate::error::PageError;

/// A visitor with a session cookie, as a handler argument; without one, the handler is not
/// called and the visitor is sent to sign in. Whether the session is still valid is the API's
/// to say: an operation answers `UNAUTHENTICATED` and the page error does the same.
pub struct Visitor {
    /// The session token (bearer) operations run with.
    pub session: String,
    /// The CSRF token of this request.
    pub csrf: CsrfToken,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let session =
            cookies::get(&parts.headers, SESSION_COOKIE).ok_or(PageError::Unauthenticated)?;
        let csrf = CsrfToken::from_request_parts(parts, state)
            .await
            .map_err(|_| PageError::Internal("the cookie middleware is not installed".into()))?;
        Ok(Self { session, csrf })
    }
}

impl Visitor {
    /// A form's token must be this page's; the session alone does not prove the visitor
    /// meant to submit it.
    pub fn verify_form(&self, submitted: &str) -> Result<(), PageError> {
        Ok(self.csrf.verify(submitted)?)
    }

    /// The frame of a page with `current` marked, for `user` of `organisation`.
    pub fn chrome(&self, current: Nav, user: String, organisation: Option<String>) -> Chrome {
        let user = SignedInUser {
            name: user,
            organisation,
        };
        Chrome::signed_in(self.csrf.as_str(), current, user)
    }
}
