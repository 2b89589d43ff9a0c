//! The console's route sweep: every path the console serves (read from
//! `console/src/route/path.rs`, so a new page is swept the day it is added) answers only a
//! staff session. Asked by nobody, a GET leads to the sign-in form and a POST is refused. Asked
//! with a customer's own session in the console's cookie (Acme's owner, its token where a staff
//! token goes, a valid console CSRF token, Acme's own id in the path), a GET is refused and a
//! POST changes nothing: no audit entry (every change is audited), no invoice, and never the
//! redirect a saved form answers. The few public paths are named here, each with why.

use std::collections::BTreeSet;

use entity::{audit_log, invoice};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use sea_orm::{EntityTrait, PaginatorTrait};
use tests::html::signed_in;
use tests::{TestApp, e2e_test};

use super::{CONSOLE_SESSION, console_csrf, console_session};

/// Paths anyone may read, with why: the sign-in form itself, and the two static files its
/// pages load (no data in them).
const PUBLIC: [&str; 3] = [
    "/admin/login",
    "/admin/static/console.css",
    "/admin/static/billing-run.js",
];

/// Every path literal of `console/src/route/path.rs`, including those rustfmt wrapped onto
/// the line after their name.
fn console_paths() -> Vec<String> {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../console/src/route/path.rs");
    let source = std::fs::read_to_string(file).expect("path.rs");
    source
        .split("\npub const ")
        .skip(1)
        .filter_map(|item| item.split(';').next())
        .filter(|item| item.contains(": &str ="))
        .filter_map(|item| item.split('"').nth(1).map(str::to_owned))
        .collect()
}

/// `path` with its placeholders filled: the organisation's own id for `{id}` (the strongest
/// case: a customer asking about itself), a made-up id for any other `{…}`.
fn filled(path: &str, customer: &str) -> String {
    path.split('/')
        .map(|part| match part {
            "{id}" => customer,
            p if p.starts_with('{') && p.ends_with('}') => "x_0000",
            p => p,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a GET of `url` ends, following redirects within the console (the home page's, to the
/// customers): (status, location).
async fn read(app: &TestApp, url: &str, cookies: &str) -> (StatusCode, Option<String>) {
    let mut target = url.to_owned();
    for _ in 0..3 {
        let response = app
            .client
            .get(&target)
            .header(COOKIE, cookies)
            .send()
            .await
            .expect("sent");
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned);
        match location {
            Some(next) if next != "/admin/login" && next.starts_with("/admin") => {
                target = format!("{}{next}", app.address);
            }
            _ => return (response.status(), location),
        }
    }
    panic!("{url} redirects in a loop");
}

/// What a refused call could have left behind: audit entries and invoices.
async fn written(app: &TestApp) -> (u64, u64) {
    let db = app.app.db.reads();
    (
        audit_log::Entity::find().count(db).await.expect("audit"),
        invoice::Entity::find().count(db).await.expect("invoices"),
    )
}

e2e_test!(every_console_path_answers_staff_only, |app| {
    let paths = console_paths();
    assert!(paths.len() >= 50, "the console's paths: {paths:?}");
    let distinct: BTreeSet<&String> = paths.iter().collect();
    for public in PUBLIC {
        assert!(distinct.iter().any(|p| p.as_str() == public), "{public}");
    }
    let acme = app.customer_id("Acme Telecom").await;
    // Acme's owner's portal token, sent where the console reads a staff token, with the
    // console's own CSRF cookie and token so that forms reach their handlers.
    let (portal_cookies, _) = signed_in(&app, "owner@acme.example").await;
    let customer_token = portal_cookies
        .split("; ")
        .find_map(|c| c.strip_prefix("billfold_session="))
        .expect("the portal's session")
        .to_owned();
    let (csrf_cookie, csrf) = console_csrf(&app).await;
    let customer = format!("{CONSOLE_SESSION}={customer_token}; {csrf_cookie}");
    let before = written(&app).await;
    let mut swept = 0;
    for path in distinct {
        if PUBLIC.contains(&path.as_str()) {
            continue;
        }
        let url = format!("{}{}", app.address, filled(path, &acme));

        // Nobody: to the sign-in form, or refused.
        let (status, location) = read(&app, &url, "").await;
        let to_sign_in =
            status == StatusCode::SEE_OTHER && location.as_deref() == Some("/admin/login");
        assert!(
            to_sign_in || status == StatusCode::METHOD_NOT_ALLOWED,
            "GET {path} as nobody: {status} to {location:?}"
        );
        let write = app
            .client
            .post(&url)
            .header(COOKIE, &csrf_cookie)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .expect("sent");
        let (status, location) = (write.status(), write.headers().get(LOCATION).cloned());
        assert!(
            (status == StatusCode::SEE_OTHER
                && location.as_ref().and_then(|l| l.to_str().ok()) == Some("/admin/login"))
                || status == StatusCode::FORBIDDEN
                || status == StatusCode::METHOD_NOT_ALLOWED,
            "POST {path} as nobody: {status} to {location:?}"
        );

        // A customer's session: refused on reading; a form never saved.
        let (status, location) = read(&app, &url, &customer).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::METHOD_NOT_ALLOWED,
            "GET {path} as Acme's owner: {status} to {location:?}"
        );
        let write = app
            .client
            .post(&url)
            .header(COOKIE, &customer)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .expect("sent");
        let status = write.status();
        // Signing out is the one form anyone may send: it only ends the cookie's session.
        let signed_out = path.as_str() == "/admin/logout" && status == StatusCode::SEE_OTHER;
        assert!(
            status.is_client_error() || signed_out,
            "POST {path} as Acme's owner: {status}"
        );
        swept += 1;
    }
    assert!(swept >= 45, "swept {swept} paths");
    assert_eq!(written(&app).await, before, "nothing was written");

    // The same console does answer staff: the sweep is not passing on a console that is down.
    let (cookies, _) = console_session(&app, "support@billfold.example").await;
    let (status, _) = read(
        &app,
        &format!("{}/admin/customers/{acme}", app.address),
        &cookies,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
});
