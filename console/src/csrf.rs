//! CSRF protection by double submission: a random token in a SameSite=Strict cookie of the
//! console's own (`Path=/admin`) must be echoed in every form. A cross-site page can neither
//! make the browser send the cookie nor read it to put it in a form.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::cookies;
use crate::error::PageError;

/// Name of the console's CSRF cookie (not the portal's: both may be in one browser).
pub const CSRF_COOKIE: &str = "billfold_console_csrf";
/// Lifetime of the CSRF cookie: a working day.
const CSRF_TTL_SECONDS: u64 = 12 * 3600;
/// Length of a token: 32 random bytes in unpadded base64.
const TOKEN_LENGTH: usize = 43;

/// The CSRF token of the request being handled, put there by the cookie middleware, which
/// also sends the cookie when the token is new.
#[derive(Clone, Debug)]
pub struct CsrfToken {
    value: String,
    /// Whether the request carried it in its cookie (a new token verifies no form).
    from_cookie: bool,
}

impl CsrfToken {
    /// The token of a request with these headers, and the `Set-Cookie` to send when it is new.
    pub fn for_request(headers: &HeaderMap, secure: bool) -> (Self, Option<String>) {
        match cookies::get(headers, CSRF_COOKIE) {
            Some(value) if value.len() == TOKEN_LENGTH => (
                Self {
                    value,
                    from_cookie: true,
                },
                None,
            ),
            _ => {
                let value = new_token();
                let cookie = cookies::set(CSRF_COOKIE, &value, "Strict", CSRF_TTL_SECONDS, secure);
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

    /// A submitted form's token must be the cookie's (constant time); a forged or expired form
    /// is refused with 403.
    pub fn verify(&self, submitted: &str) -> Result<(), PageError> {
        if self.from_cookie && same_bytes(&self.value, submitted) {
            Ok(())
        } else {
            Err(PageError::CsrfRefused)
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, PageError> {
        parts.extensions.get::<CsrfToken>().cloned().ok_or_else(|| {
            PageError::Internal("the CSRF middleware is not installed on this route".into())
        })
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
        let (fresh, set_cookie) = CsrfToken::for_request(&HeaderMap::new(), false);
        assert!(set_cookie.is_some_and(|c| c.contains("Path=/admin")));
        assert!(fresh.verify(fresh.as_str()).is_err(), "not from the cookie");
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_str(&format!("{CSRF_COOKIE}={}", fresh.as_str())).expect("header"),
        );
        let (returning, set_cookie) = CsrfToken::for_request(&headers, false);
        assert!(set_cookie.is_none());
        assert!(returning.verify(fresh.as_str()).is_ok());
        assert!(returning.verify("forged").is_err());
    }
}
