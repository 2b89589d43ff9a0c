//! The portal's pages. Each handler reads the request, runs one operation, renders or redirects.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::client::PortalError;
use crate::operations::{Login, Viewer, login, viewer};
use crate::views::{AccountPage, ErrorPage, LoginPage, render};
use crate::{Portal, SESSION_COOKIE, cookies, csrf};

/// The portal's pages and assets.
pub fn router<S: Clone + Send + Sync + 'static>(portal: Portal) -> Router<S> {
    Router::new()
        .route("/", get(account))
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", axum::routing::post(logout))
        .route("/static/portal.css", get(stylesheet))
        .with_state(portal)
}

/// Sign-in form fields.
#[derive(Deserialize)]
struct LoginForm {
    csrf: String,
    email: String,
    password: String,
}

/// A form that carries only the CSRF token.
#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn login_page(State(portal): State<Portal>, headers: HeaderMap) -> Response {
    if cookies::get(&headers, SESSION_COOKIE).is_some() {
        return Redirect::to("/").into_response();
    }
    let (csrf, set_cookie) = csrf::token(&headers, portal.config.secure_cookies);
    let page = LoginPage {
        csrf,
        email: String::new(),
        email_error: None,
        password_error: None,
        form_error: None,
    };
    with_cookies(render(StatusCode::OK, &page), set_cookie)
}

async fn login_submit(
    State(portal): State<Portal>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    if !csrf::verify(&headers, &form.csrf) {
        return csrf_refused();
    }
    let variables = login::Variables {
        input: login::LoginInput {
            email: form.email.clone(),
            password: form.password,
        },
    };
    let mut page = LoginPage {
        csrf: form.csrf,
        email: form.email,
        email_error: None,
        password_error: None,
        form_error: None,
    };
    match portal.run::<Login>(variables, None).await {
        Ok(data) => {
            let cookie = cookies::set(
                SESSION_COOKIE,
                &data.login.token,
                "Lax",
                portal.config.session_ttl_seconds,
                portal.config.secure_cookies,
            );
            with_cookies(Redirect::to("/").into_response(), Some(cookie))
        }
        Err(PortalError::Unauthenticated) => {
            page.form_error = Some("The e-mail or password is incorrect.".into());
            render(StatusCode::OK, &page)
        }
        Err(PortalError::Field { field, message }) => {
            if field.ends_with("password") {
                page.password_error = Some(message);
            } else {
                page.email_error = Some(message);
            }
            render(StatusCode::OK, &page)
        }
        Err(PortalError::Other(message)) => {
            page.form_error = Some(message);
            render(StatusCode::OK, &page)
        }
    }
}

async fn account(State(portal): State<Portal>, headers: HeaderMap) -> Response {
    let Some(session) = cookies::get(&headers, SESSION_COOKIE) else {
        return Redirect::to("/login").into_response();
    };
    match portal
        .run::<Viewer>(viewer::Variables, Some(&session))
        .await
    {
        Ok(data) => {
            let (csrf, set_cookie) = csrf::token(&headers, portal.config.secure_cookies);
            let viewer = data.viewer;
            let page = AccountPage {
                csrf,
                name: viewer.user.name,
                email: viewer.user.email,
                role: role_label(&viewer.user.role).to_owned(),
                organisation: viewer.organisation.as_ref().map(|o| o.name.clone()),
                currency: viewer.organisation.map(|o| o.currency),
            };
            with_cookies(render(StatusCode::OK, &page), set_cookie)
        }
        Err(PortalError::Unauthenticated) => sign_out_to_login(&portal),
        Err(PortalError::Field { message, .. } | PortalError::Other(message)) => render(
            StatusCode::BAD_GATEWAY,
            &ErrorPage {
                title: "Something went wrong".into(),
                message,
            },
        ),
    }
}

async fn logout(
    State(portal): State<Portal>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !csrf::verify(&headers, &form.csrf) {
        return csrf_refused();
    }
    sign_out_to_login(&portal)
}

async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/portal.css"),
    )
        .into_response()
}

fn sign_out_to_login(portal: &Portal) -> Response {
    let cookie = cookies::clear(SESSION_COOKIE, portal.config.secure_cookies);
    with_cookies(Redirect::to("/login").into_response(), Some(cookie))
}

fn csrf_refused() -> Response {
    render(
        StatusCode::FORBIDDEN,
        &ErrorPage {
            title: "This form has expired".into(),
            message: "Please go back, reload the page and try again.".into(),
        },
    )
}

fn with_cookies(mut response: Response, cookie: Option<String>) -> Response {
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

fn role_label(role: &viewer::Role) -> &'static str {
    match role {
        viewer::Role::ADMIN => "Operator administrator",
        viewer::Role::STAFF => "Operator staff",
        viewer::Role::OWNER => "Owner",
        viewer::Role::BILLING_ADMIN => "Billing administrator",
        viewer::Role::VIEWER => "Viewer",
        viewer::Role::Other(_) => "Unknown role",
    }
}
