//! The console's route sweep: every path the console serves (read from
//! `console/src/route/path.rs`, so a new page is swept the day it is added) answers only a
//! staff session. Without one, and with an organisation's own portal session (Acme's owner,
//! with Acme's own id in the path), a GET leads to the sign-in form and a POST is refused: the
//! console's operations run for staff only, whatever a customer sends. The few public paths
//! are named here, each with why.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use tests::e2e_test;
use tests::html::signed_in;

use super::console_session;

/// Paths anyone may read, with why: the sign-in form itself, and the two static files its
/// pages load (no data in them).
const PUBLIC: [&str; 3] = [
    "/admin/login",
    "/admin/static/console.css",
    "/admin/static/billing-run.js",
];

/// Every path literal of `console/src/route/path.rs`.
fn console_paths() -> Vec<String> {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../console/src/route/path.rs");
    let source = std::fs::read_to_string(file).expect("path.rs");
    source
        .lines()
        .filter(|line| line.starts_with("pub const ") && line.contains(": &str = \""))
        .filter_map(|line| line.split('"').nth(1).map(str::to_owned))
        .collect()
}

/// `path` with its placeholders filled: the organisation's own id for `{id}` (the strongest
/// case: a customer asking about itself), a made-up id elsewhere.
fn filled(path: &str, customer: &str) -> String {
    let mut out = path.replace("{id}", customer);
    while let (Some(start), Some(end)) = (out.find('{'), out.find('}')) {
        out.replace_range(start..=end, "x_0000");
    }
    out
}

e2e_test!(every_console_path_answers_staff_only, |app| {
    let paths = console_paths();
    assert!(paths.len() >= 50, "the console's paths: {paths:?}");
    let distinct: BTreeSet<&String> = paths.iter().collect();
    for public in PUBLIC {
        assert!(distinct.iter().any(|p| p.as_str() == public), "{public}");
    }
    let acme = app.customer_id("Acme Telecom").await;
    let (portal_cookies, portal_token) = signed_in(&app, "owner@acme.example").await;
    let mut swept = 0;
    for path in distinct {
        if PUBLIC.contains(&path.as_str()) {
            continue;
        }
        let url = format!("{}{}", app.address, filled(path, &acme));
        for (who, cookies, token) in [
            ("nobody", "", ""),
            (
                "Acme's owner",
                portal_cookies.as_str(),
                portal_token.as_str(),
            ),
        ] {
            // A redirect within the console (the home page's, to the customers) is followed:
            // wherever it leads must ask for a staff session too.
            let mut target = url.clone();
            let mut hops = 0;
            let (status, location) = loop {
                let read = app
                    .client
                    .get(&target)
                    .header(COOKIE, cookies)
                    .send()
                    .await
                    .expect("sent");
                let location = read
                    .headers()
                    .get(LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .map(str::to_owned);
                match location {
                    Some(next)
                        if next != "/admin/login" && next.starts_with("/admin") && hops < 3 =>
                    {
                        target = format!("{}{next}", app.address);
                        hops += 1;
                    }
                    _ => break (read.status(), location),
                }
            };
            let to_sign_in =
                status == StatusCode::SEE_OTHER && location.as_deref() == Some("/admin/login");
            assert!(
                to_sign_in || status == StatusCode::METHOD_NOT_ALLOWED,
                "GET {path} as {who}: {status} to {location:?}"
            );
            let write = app
                .client
                .post(&url)
                .header(COOKIE, cookies)
                .form(&[("csrf", token)])
                .send()
                .await
                .expect("sent");
            let status = write.status();
            let to_sign_in = status == StatusCode::SEE_OTHER
                && write.headers().get(LOCATION).and_then(|l| l.to_str().ok())
                    == Some("/admin/login");
            assert!(
                to_sign_in
                    || status == StatusCode::FORBIDDEN
                    || status == StatusCode::METHOD_NOT_ALLOWED,
                "POST {path} as {who}: {status}"
            );
        }
        swept += 1;
    }
    assert!(swept >= 45, "swept {swept} paths");

    // The same paths do answer staff: the sweep is not passing on a console that is down.
    let (cookies, _) = console_session(&app, "support@billfold.example").await;
    let home = app
        .client
        .get(format!("{}/admin/customers/{acme}", app.address))
        .header(COOKIE, &cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(home.status(), StatusCode::OK);
});
