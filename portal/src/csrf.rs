//! CSRF protection by double submission: a random token in a SameSite=Strict cookie must be
//! echoed in every form. A cross-site page can make the browser send the cookie (it cannot,
//! with Strict) but can never read it to put it in the form.

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::cookies;

/// Name of the CSRF cookie.
pub const CSRF_COOKIE: &str = "billfold_csrf";
/// Lifetime of the CSRF cookie: a working day.
const CSRF_TTL_SECONDS: u64 = 12 * 3600;

/// The request's CSRF token, and the `Set-Cookie` to send when a new one had to be made.
pub fn token(headers: &HeaderMap, secure: bool) -> (String, Option<String>) {
    match cookies::get(headers, CSRF_COOKIE) {
        Some(token) if token.len() == 43 => (token, None),
        _ => {
            let token = new_token();
            let cookie = cookies::set(CSRF_COOKIE, &token, "Strict", CSRF_TTL_SECONDS, secure);
            (token, Some(cookie))
        }
    }
}

/// Whether the form's token matches the cookie (constant time).
pub fn verify(headers: &HeaderMap, submitted: &str) -> bool {
    let Some(expected) = cookies::get(headers, CSRF_COOKIE) else {
        return false;
    };
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
        let (token, set_cookie) = token(&HeaderMap::new(), false);
        assert!(set_cookie.is_some());
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_str(&format!("{CSRF_COOKIE}={token}")).expect("header"),
        );
        assert!(verify(&headers, &token));
        assert!(!verify(&headers, "forged"));
        assert!(!verify(&HeaderMap::new(), &token));
    }
}
