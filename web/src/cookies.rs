//! Reading and writing a UI's cookies.
//!
//! Each UI keeps its cookies under its own path with names of its own ([`CookieSettings`]):
//! the portal's (`Path=/`) and the console's (`Path=/admin`) can be in one browser and are
//! never mistaken for each other.

use std::convert::Infallible;

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use axum::response::{IntoResponseParts, ResponseParts};

/// Where a UI's cookies live and how its session cookie behaves.
#[derive(Clone, Debug)]
pub struct CookieSettings {
    /// The `Path` of every cookie: the UI's mount (`/`, `/admin`).
    pub path: &'static str,
    /// Name of the CSRF cookie.
    pub csrf_cookie: &'static str,
    /// Name of the session cookie.
    pub session_cookie: &'static str,
    /// The session cookie's SameSite policy: `Lax` lets a customer follow a link from an
    /// e-mail signed in; `Strict` keeps staff from arriving signed in from another site.
    pub session_same_site: &'static str,
    /// Lifetime of the session cookie, in seconds (the token's own lifetime).
    pub session_ttl_seconds: u64,
    /// Mark cookies `Secure` (HTTPS only). On in production.
    pub secure: bool,
}

impl CookieSettings {
    /// A `Set-Cookie` value: HttpOnly, under [`Self::path`], with the given SameSite policy
    /// and lifetime.
    pub fn set(&self, name: &str, value: &str, same_site: &str, max_age: u64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        let path = self.path;
        format!(
            "{name}={value}; Path={path}; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
        )
    }

    /// The `Set-Cookie` value for a session change.
    pub(crate) fn session(&self, change: SessionCookie) -> String {
        match change {
            SessionCookie::Start(token) => self.set(
                self.session_cookie,
                &token,
                self.session_same_site,
                self.session_ttl_seconds,
            ),
            SessionCookie::End => self.set(self.session_cookie, "", self.session_same_site, 0),
        }
    }
}

/// The value of cookie `name`, if present and non-empty.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// A change to the session cookie that a response asks for. Handlers and errors only say
/// what should happen; [`crate::site::middleware`] writes the `Set-Cookie`, so the cookie's attributes
/// (lifetime, `Secure`) are decided in one place from the configuration.
#[derive(Clone, Debug)]
pub enum SessionCookie {
    /// Signed in: the cookie holds this session token.
    Start(String),
    /// Signed out, or the session is no longer valid: delete the cookie.
    End,
}

impl IntoResponseParts for SessionCookie {
    type Error = Infallible;

    fn into_response_parts(self, mut parts: ResponseParts) -> Result<ResponseParts, Infallible> {
        parts.extensions_mut().insert(self);
        Ok(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn console() -> CookieSettings {
        CookieSettings {
            path: "/admin",
            csrf_cookie: "c_csrf",
            session_cookie: "c_session",
            session_same_site: "Strict",
            session_ttl_seconds: 60,
            secure: true,
        }
    }

    #[test]
    fn cookies_live_under_their_ui_only() {
        let settings = console();
        assert_eq!(
            settings.session(SessionCookie::Start("t".into())),
            "c_session=t; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=60; Secure"
        );
        assert_eq!(
            settings.session(SessionCookie::End),
            "c_session=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
        );
    }

    #[test]
    fn a_cookie_is_read_by_its_exact_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("c_session_old=x; c_session=t; empty="),
        );
        assert_eq!(get(&headers, "c_session").as_deref(), Some("t"));
        assert_eq!(get(&headers, "empty"), None);
        assert_eq!(get(&headers, "missing"), None);
    }
}
