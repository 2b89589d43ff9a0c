//! Finds the credentials of a request: an `Authorization: Bearer` header (API clients) or the
//! portal's session cookie. Turning them into an [`Actor`](crate::auth::Actor) is the accounts
//! service's job, which checks the token and the user row behind it.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use portal::SESSION_COOKIE;
use web::cookies;

/// Credentials a request presents.
#[derive(Debug, PartialEq, Eq)]
pub enum Credentials {
    /// None: the caller is anonymous.
    None,
    /// A bearer token: if it is refused, the request is refused (401).
    Bearer(String),
    /// The portal's session cookie: if it is refused, the caller is anonymous, so that a stale
    /// cookie never stands in the way of signing in again.
    SessionCookie(String),
    /// An `Authorization` header that is not a bearer token.
    Malformed,
}

/// The credentials of a request; the header wins over the cookie.
pub fn credentials(headers: &HeaderMap) -> Credentials {
    if let Some(value) = headers.get(AUTHORIZATION) {
        let Some((scheme, token)) = value.to_str().ok().and_then(|v| v.split_once(' ')) else {
            return Credentials::Malformed;
        };
        let token = token.trim();
        if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
            return Credentials::Malformed;
        }
        return Credentials::Bearer(token.to_owned());
    }
    cookies::get(headers, SESSION_COOKIE).map_or(Credentials::None, Credentials::SessionCookie)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use axum::http::header::COOKIE;

    fn headers(name: axum::http::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn bearer_header_then_cookie() {
        assert_eq!(credentials(&HeaderMap::new()), Credentials::None);
        assert_eq!(
            credentials(&headers(AUTHORIZATION, "Bearer abc")),
            Credentials::Bearer("abc".into())
        );
        assert_eq!(
            credentials(&headers(AUTHORIZATION, "Basic abc")),
            Credentials::Malformed
        );
        assert_eq!(
            credentials(&headers(AUTHORIZATION, "Bearer ")),
            Credentials::Malformed
        );
        assert_eq!(
            credentials(&headers(COOKIE, "a=1; billfold_session=tok")),
            Credentials::SessionCookie("tok".into())
        );
    }
}
