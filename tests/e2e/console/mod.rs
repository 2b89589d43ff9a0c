//! The operator console at `/admin`: staff search customers (GraphQL `searchCustomers`, and
//! its page), read a customer's tabs, and add one-time charges through a preview; the API,
//! not the console, decides what each role may do.
//!
//! - `audit`: the whole audit log, for every staff role;
//! - `search`: the staff-only search by name, company, e-mail and number;
//! - `pages`: the console over plain HTTP, as a browser without JavaScript: sign-in (staff
//!   only, a cookie of its own), the tabs, the charges' preview and creation, refusals shown;
//! - `credits`: the credit balance adjusted, coupons applied and removed;
//! - `dunning`: the dunning page lists open invoices, filtered to past-due or failed ones;
//! - `invoices`: the invoice page's payment and void, and support refused;
//! - `keys`: API keys, an administrator's only;
//! - `documents`: support reviews documents (download, accept, reject with a reason);
//! - `tabs`: every tab of a customer's page;
//! - `seats`: a license line's seats through a binding quote;
//! - `filters`: billing runs, the review queue and a customer's subscriptions filtered;
//! - `roles`: support is offered no change, billing staff the forms;
//! - `routes`: every console path answers staff only (nobody, a customer's own session);
//! - `runs`: billing runs over plain HTTP (start, read, refresh, support refused);
//! - `runs_browser`: a run followed live and one started, in Chromium;
//! - `review_browser`: support accepts a document in Chromium;
//! - `unbilled`: an unbilled charge removed from the charges tab;
//! - `browser`: the journey in headless Chromium, from the console to the customer's portal.

mod audit;
mod browser;
mod catalog;
mod credits;
mod documents;
mod dunning;
mod filters;
mod invoice_actions;
mod invoices;
mod keys;
mod list_filters;
mod numbers;
mod pages;
mod records;
mod review_browser;
mod roles;
mod routes;
mod runs;
mod runs_browser;
mod search;
mod seats;
mod settings;
mod staff;
mod subscription_items;
mod subscriptions;
mod tabs;
mod unbilled;
mod usage;

use api::seed::DEMO_PASSWORD;
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use tests::TestApp;
use tests::html::set_cookie;

/// The console's session cookie.
pub const CONSOLE_SESSION: &str = "billfold_console_session";
/// The console's CSRF cookie.
pub const CONSOLE_CSRF: &str = "billfold_console_csrf";

/// The console's CSRF cookie and form token, as a fresh visitor of its sign-in page gets them.
pub async fn console_csrf(app: &TestApp) -> (String, String) {
    let response = app
        .client
        .get(format!("{}/admin/login", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = set_cookie(&response, CONSOLE_CSRF).expect("the console's CSRF cookie");
    let html = response.text().await.expect("html");
    (cookie, tests::html::field(&html, "csrf"))
}

/// Posts the console's sign-in form as `email` with the demo password.
pub async fn console_sign_in(app: &TestApp, email: &str) -> (reqwest::Response, String, String) {
    console_sign_in_with(app, email, DEMO_PASSWORD).await
}

/// Posts the console's sign-in form as `email` with `password`.
pub async fn console_sign_in_with(
    app: &TestApp,
    email: &str,
    password: &str,
) -> (reqwest::Response, String, String) {
    let (csrf_cookie, token) = console_csrf(app).await;
    let response = app
        .client
        .post(format!("{}/admin/login", app.address))
        .header(COOKIE, &csrf_cookie)
        .form(&[
            ("csrf", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .expect("sent");
    (response, csrf_cookie, token)
}

/// Signs `email` in to the console; the cookies to send and the CSRF token for forms.
pub async fn console_session(app: &TestApp, email: &str) -> (String, String) {
    let (response, csrf_cookie, token) = console_sign_in(app, email).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email} signs in");
    let session = set_cookie(&response, CONSOLE_SESSION).expect("a console session");
    (format!("{session}; {csrf_cookie}"), token)
}
