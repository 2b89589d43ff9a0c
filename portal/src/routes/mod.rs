//! The portal's pages. Each handler reads the request, runs one or two operations, renders or
//! redirects (POST, then redirect, so a reload never repeats a change).

mod licenses;
mod licenses_view;
mod pages;
mod seats;
mod session;

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::client::PortalError;
use crate::views::{ErrorPage, render};
use crate::{Portal, SESSION_COOKIE, cookies, csrf};

/// The portal's pages and assets.
pub fn router<S: Clone + Send + Sync + 'static>(portal: Portal) -> Router<S> {
    Router::new()
        .route("/", get(pages::overview))
        .route("/charges", get(pages::charges))
        .route("/account", get(session::account))
        .route("/licenses", get(licenses::page))
        .route("/licenses/quote", post(licenses::quote))
        .route("/licenses/apply", post(licenses::apply))
        .route("/licenses/assign", post(licenses::assign))
        .route("/licenses/unassign", post(licenses::unassign))
        .route("/licenses/seats", get(seats::page))
        .route(
            "/login",
            get(session::login_page).post(session::login_submit),
        )
        .route("/logout", post(session::logout))
        .route("/static/portal.css", get(stylesheet))
        .with_state(portal)
}

/// A signed-in visitor: the session token and the CSRF token for the page's forms.
pub(crate) struct Visitor {
    /// The session token (bearer).
    pub session: String,
    /// The CSRF token to put in forms.
    pub csrf: String,
    /// A `Set-Cookie` for a CSRF cookie that had to be created.
    pub set_cookie: Option<String>,
}

impl Visitor {
    /// The signed-in visitor, if the request has a session (otherwise: [`to_login`]).
    pub fn from_headers(portal: &Portal, headers: &HeaderMap) -> Option<Visitor> {
        let session = cookies::get(headers, SESSION_COOKIE)?;
        let (csrf, set_cookie) = csrf::token(headers, portal.config.secure_cookies);
        Some(Visitor {
            session,
            csrf,
            set_cookie,
        })
    }

    /// `response` with the CSRF cookie attached when it was created for this page.
    pub fn respond(self, response: Response) -> Response {
        with_cookies(response, self.set_cookie)
    }
}

/// The visitor posting a form: the CSRF token must match, and a session must exist. Otherwise
/// the response to send instead (403 for a forged form, the sign-in page without a session).
pub(crate) fn form_visitor(
    portal: &Portal,
    headers: &HeaderMap,
    submitted_csrf: &str,
) -> Result<Visitor, Box<Response>> {
    if !csrf::verify(headers, submitted_csrf) {
        return Err(Box::new(csrf_refused()));
    }
    Visitor::from_headers(portal, headers).ok_or_else(|| Box::new(to_login()))
}

/// Where a visitor without a session goes.
pub(crate) fn to_login() -> Response {
    Redirect::to("/login").into_response()
}

/// The page for an error an operation returned: back to sign-in when the session is gone.
pub(crate) fn error_response(portal: &Portal, error: PortalError) -> Response {
    match error {
        PortalError::Unauthenticated => sign_out_to_login(portal),
        PortalError::Forbidden(message) => render(
            StatusCode::FORBIDDEN,
            &ErrorPage {
                title: "Not allowed".into(),
                message,
            },
        ),
        PortalError::Field { message, .. }
        | PortalError::Rejected(message)
        | PortalError::Other(message) => render(
            StatusCode::BAD_REQUEST,
            &ErrorPage {
                title: "Something went wrong".into(),
                message,
            },
        ),
    }
}

async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/portal.css"),
    )
        .into_response()
}

pub(crate) fn sign_out_to_login(portal: &Portal) -> Response {
    let cookie = cookies::clear(SESSION_COOKIE, portal.config.secure_cookies);
    with_cookies(Redirect::to("/login").into_response(), Some(cookie))
}

pub(crate) fn csrf_refused() -> Response {
    render(
        StatusCode::FORBIDDEN,
        &ErrorPage {
            title: "This form has expired".into(),
            message: "Please go back, reload the page and try again.".into(),
        },
    )
}

pub(crate) fn with_cookies(mut response: Response, cookie: Option<String>) -> Response {
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}
