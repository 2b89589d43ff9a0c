//! Builds the [`Actor`] of a request from its credentials: an `Authorization: Bearer` header
//! (API clients) or the portal's session cookie. Presented but invalid credentials are refused
//! outright rather than treated as anonymous, so a client learns at once that its token is bad.

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};

use crate::auth::{Actor, TokenKeys};

/// Name of the portal's session cookie (HttpOnly, SameSite).
pub const SESSION_COOKIE: &str = "billfold_session";

/// Credentials were presented and refused.
#[derive(Debug)]
pub struct InvalidCredentials;

/// The actor of a request.
pub fn actor_from_headers(
    headers: &HeaderMap,
    keys: &TokenKeys,
) -> Result<Actor, InvalidCredentials> {
    match token_from_headers(headers)? {
        None => Ok(Actor::Anonymous),
        Some(token) => actor_from_token(&token, keys),
    }
}

/// The actor of a token.
pub fn actor_from_token(token: &str, keys: &TokenKeys) -> Result<Actor, InvalidCredentials> {
    let claims = keys.verify(token).map_err(|_| InvalidCredentials)?;
    Actor::from_claims(&claims).map_err(|_| InvalidCredentials)
}

fn token_from_headers(headers: &HeaderMap) -> Result<Option<String>, InvalidCredentials> {
    if let Some(value) = headers.get(AUTHORIZATION) {
        let value = value.to_str().map_err(|_| InvalidCredentials)?;
        let (scheme, token) = value.split_once(' ').ok_or(InvalidCredentials)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(InvalidCredentials);
        }
        return Ok(Some(token.trim().to_owned()));
    }
    Ok(session_cookie(headers))
}

/// The value of the session cookie, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}
