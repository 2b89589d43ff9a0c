//! Signing in and out, and the account page.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Visitor, csrf_refused, error_response, sign_out_to_login, to_login, with_cookies};
use crate::client::PortalError;
use crate::operations::{Login, Viewer, login, viewer};
use crate::views::{AccountPage, LoginPage, render};
use crate::{Portal, SESSION_COOKIE, cookies, csrf};

/// Sign-in form fields.
#[derive(Deserialize)]
pub(super) struct LoginForm {
    csrf: String,
    email: String,
    password: String,
}

/// A form that carries only the CSRF token.
#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

pub(super) async fn login_page(State(portal): State<Portal>, headers: HeaderMap) -> Response {
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

pub(super) async fn login_submit(
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
        Err(
            PortalError::Other(message)
            | PortalError::Forbidden(message)
            | PortalError::Rejected(message),
        ) => {
            page.form_error = Some(message);
            render(StatusCode::OK, &page)
        }
    }
}

pub(super) async fn account(State(portal): State<Portal>, headers: HeaderMap) -> Response {
    let Some(visitor) = Visitor::from_headers(&portal, &headers) else {
        return to_login();
    };
    match portal
        .run::<Viewer>(viewer::Variables, Some(&visitor.session))
        .await
    {
        Ok(data) => {
            let viewer = data.viewer;
            let page = AccountPage {
                csrf: visitor.csrf.clone(),
                active: "account",
                name: viewer.user.name,
                email: viewer.user.email,
                role: role_label(&viewer.user.role).to_owned(),
                organisation: viewer.organisation.as_ref().map(|o| o.name.clone()),
                currency: viewer.organisation.map(|o| o.currency),
            };
            visitor.respond(render(StatusCode::OK, &page))
        }
        Err(error) => error_response(&portal, error),
    }
}

pub(super) async fn logout(
    State(portal): State<Portal>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !csrf::verify(&headers, &form.csrf) {
        return csrf_refused();
    }
    sign_out_to_login(&portal)
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
