//! CSRF protection by double submission: a random token in a SameSite=Strict cookie of the
//! UI's own must be echoed in every form. A cross-site page can neither make the browser send
//! the cookie (Strict) nor read it to put it in a form.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::cookies::{self, CookieSettings};

/// Lifetime of the CSRF cookie: a working day.
const CSRF_TTL_SECONDS: u64 = 12 * 3600;
/// Length of a token: 32 random bytes in unpadded base64.
const TOKEN_LENGTH: usize = 43;

/// The CSRF token of the request being handled, put there by [`crate::site::middleware`], which
/// also sends the cookie when the token is new.
#[derive(Clone, Debug)]
pub struct CsrfToken {
    value: String,
    /// Whether the request carried it in its cookie (a new token verifies no form).
    from_cookie: bool,
}

/// A submitted form did not carry its page's token (forged, or from an expired page). Each
/// UI's page error turns it into its "this form has expired" page.
#[derive(Debug, thiserror::Error)]
#[error("the form's CSRF token is not this browser's")]
pub struct CsrfRefused;

impl CsrfToken {
    /// The token of a request with these headers, and the `Set-Cookie` to send when it is new.
    pub fn for_request(headers: &HeaderMap, settings: &CookieSettings) -> (Self, Option<String>) {
        match cookies::get(headers, settings.csrf_cookie) {
            Some(value) if value.len() == TOKEN_LENGTH => (
                Self {
                    value,
                    from_cookie: true,
                },
                None,
            ),
            _ => {
                let value = new_token();
                let cookie = settings.set(settings.csrf_cookie, &value, "Strict", CSRF_TTL_SECONDS);
                let token = Self {
                    value,
                    from_cookie: false,
                };
                (token, Some(cookie))
            }
        }
    }

    /// The value to put in a form's hidden `csrf` field.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// A submitted form's token must be the cookie's (compared in constant time).
    pub fn verify(&self, submitted: &str) -> Result<(), CsrfRefused> {
        if self.from_cookie && same_bytes(&self.value, submitted) {
            Ok(())
        } else {
            Err(CsrfRefused)
        }
    }
}

/// A route that asks for the token without [`crate::site::middleware`] in front of it: a bug.
#[derive(Debug)]
pub struct MiddlewareMissing;

impl IntoResponse for MiddlewareMissing {
    fn into_response(self) -> Response {
        tracing::error!("the CSRF middleware is not installed on this route");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = MiddlewareMissing;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, MiddlewareMissing> {
        parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .ok_or(MiddlewareMissing)
    }
}

/// Whether two tokens are equal, in time that does not depend on where they differ.
fn same_bytes(expected: &str, submitted: &str) -> bool {
    expected.len() == submitted.len()
        && expected
            .bytes()
            .zip(submitted.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing is unrecoverable for a web server.
    getrandom::fill(&mut bytes).expect("operating system random source");
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use axum::http::header::COOKIE;

    #[test]
    fn a_fresh_token_is_set_and_then_verified() {
        let settings = CookieSettings {
            path: "/admin",
            csrf_cookie: "c_csrf",
            session_cookie: "c_session",
            session_same_site: "Strict",
            session_ttl_seconds: 60,
            secure: false,
        };
        let (fresh, set_cookie) = CsrfToken::for_request(&HeaderMap::new(), &settings);
        assert!(set_cookie.is_some_and(|c| c.starts_with("c_csrf=") && c.contains("Path=/admin")));
        assert!(
            fresh.verify(fresh.as_str()).is_err(),
            "a token the request did not send verifies nothing"
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_str(&format!("c_csrf={}", fresh.as_str())).expect("header"),
        );
        let (returning, set_cookie) = CsrfToken::for_request(&headers, &settings);
        assert!(set_cookie.is_none());
        assert!(returning.verify(fresh.as_str()).is_ok());
        assert!(returning.verify("forged").is_err());
    }
}
