//! The signed-in staff member, and the middleware that writes the console's cookies.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::chrome::{Chrome, Nav};
use crate::cookies::{self, SessionCookie};
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::operations::{StaffViewer, staff_viewer};
use crate::{Console, SESSION_COOKIE};

/// A visitor with a console session cookie, as a handler argument; without one, the handler is
/// not called and the visitor is sent to sign in. Whether the session is still valid, and what
/// its role may do, is the API's to say.
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
        let csrf = CsrfToken::from_request_parts(parts, state).await?;
        Ok(Self { session, csrf })
    }
}

impl Visitor {
    /// A form's token must be this page's; the session alone does not prove the visitor
    /// meant to submit it.
    pub fn verify_form(&self, submitted: &str) -> Result<(), PageError> {
        self.csrf.verify(submitted)
    }

    /// The frame of a page with `current` marked, for the staff member signed in (read from
    /// the API; a customer's session is no staff session: [`PageError::NotStaff`]).
    pub async fn chrome(&self, console: &Console, current: Nav) -> Result<Chrome, PageError> {
        let data = console
            .run::<StaffViewer>(staff_viewer::Variables, Some(&self.session))
            .await?;
        if data.viewer.organisation.is_some() {
            return Err(PageError::NotStaff);
        }
        Ok(Chrome::signed_in(
            self.csrf.as_str(),
            current,
            data.viewer.user.name,
            data.viewer.user.role,
        ))
    }
}

/// Every console request goes through here: it gets its CSRF token (a new one, sent as a
/// cookie, on a first visit), and a response's [`SessionCookie`] change becomes a `Set-Cookie`
/// with the configured lifetime and `Secure` flag.
pub(crate) async fn cookie_middleware(
    State(console): State<Console>,
    mut request: Request,
    next: Next,
) -> Response {
    let secure = console.config.secure_cookies;
    let (csrf, new_csrf_cookie) = CsrfToken::for_request(request.headers(), secure);
    request.extensions_mut().insert(csrf);
    let mut response = next.run(request).await;
    let session_cookie = response
        .extensions_mut()
        .remove::<SessionCookie>()
        .map(|change| match change {
            // Strict: staff never arrive at the console signed in from another site's link.
            SessionCookie::Start(token) => cookies::set(
                SESSION_COOKIE,
                &token,
                "Strict",
                console.config.session_ttl_seconds,
                secure,
            ),
            SessionCookie::End => cookies::clear(SESSION_COOKIE, secure),
        });
    for cookie in new_csrf_cookie.into_iter().chain(session_cookie) {
        match HeaderValue::from_str(&cookie) {
            Ok(value) => {
                response.headers_mut().append(SET_COOKIE, value);
            }
            Err(error) => tracing::error!(%error, "a cookie that is not a header value"),
        }
    }
    response
}
