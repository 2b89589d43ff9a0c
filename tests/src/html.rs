//! The portal over plain HTTP, as a browser without JavaScript sees it: sign-in, pages, forms,
//! and reading values back out of the HTML.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};

use crate::TestApp;
use api::seed::DEMO_PASSWORD;

/// The CSRF cookie and form token a fresh visitor receives on the sign-in page.
pub async fn csrf(app: &TestApp) -> (String, String) {
    let response = app
        .client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = set_cookie(&response, "billfold_csrf").expect("CSRF cookie");
    let html = response.text().await.expect("html");
    let token = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("CSRF field in the form")
        .to_owned();
    (cookie, token)
}

/// The `name=value` of the cookie `name` a response sets, if it sets one.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// Posts the sign-in form with the CSRF cookie and token.
pub async fn sign_in(
    app: &TestApp,
    cookie: &str,
    csrf: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.client
        .post(format!("{}/login", app.address))
        .header(COOKIE, cookie)
        .form(&[("csrf", csrf), ("email", email), ("password", password)])
        .send()
        .await
        .expect("sent")
}

/// Signs in through the form; returns the cookies to send and the CSRF token for forms.
pub async fn signed_in(app: &TestApp, email: &str) -> (String, String) {
    let (csrf_cookie, token) = csrf(app).await;
    let response = sign_in(app, &csrf_cookie, &token, email, DEMO_PASSWORD).await;
    let session = set_cookie(&response, "billfold_session").expect("session");
    (format!("{session}; {csrf_cookie}"), token)
}

/// GETs a portal page with the session cookies; asserts 200 and returns the HTML.
pub async fn page(app: &TestApp, cookies: &str, path: &str) -> String {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .header(COOKIE, cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("html")
}

/// POSTs a form with the session cookies, as a browser without JavaScript would.
pub async fn form(
    app: &TestApp,
    cookies: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.address))
        .header(COOKIE, cookies)
        .form(fields)
        .send()
        .await
        .expect("sent")
}

/// Undoes the HTML escaping of an attribute value (askama writes `&` as `&#38;`).
pub fn unescape(text: &str) -> String {
    text.replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
}

/// The first value of `name="…" value="…"` in a page.
pub fn field(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no {name} field"))
        .to_owned()
}
