//! Reading and writing the console's cookies: every one `Path=/admin`, so the browser sends
//! them to the console only, and the portal's cookies (`Path=/`) are never mistaken for them.

use std::convert::Infallible;

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use axum::response::{IntoResponseParts, ResponseParts};

use crate::MOUNT;

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

/// A `Set-Cookie` value: HttpOnly, `Path=/admin`, with the given SameSite policy and lifetime.
pub fn set(name: &str, value: &str, same_site: &str, max_age: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{name}={value}; Path={MOUNT}; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
    )
}

/// A `Set-Cookie` value that deletes cookie `name`.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", "Strict", 0, secure)
}

/// A change to the session cookie that a response asks for; the cookie middleware writes the
/// `Set-Cookie` with the configured lifetime and `Secure` flag.
#[derive(Clone, Debug)]
pub(crate) enum SessionCookie {
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

    #[test]
    fn cookies_live_under_the_console_only() {
        let cookie = set("c", "v", "Strict", 60, true);
        assert_eq!(
            cookie,
            "c=v; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=60; Secure"
        );
        assert!(clear("c", false).contains("Max-Age=0"));
    }
}
