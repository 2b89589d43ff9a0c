//! The organisation's own portal pages over plain HTTP forms, as a browser without JavaScript
//! uses them: each form posts, redirects with its confirmation, and the page shows the change;
//! a refused form comes back (422) with the message next to its field and what was typed;
//! viewers get no forms; every form needs its CSRF token.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use tests::TestApp;
use tests::e2e_test;
use tests::html::{form, page, set_cookie, signed_in, unescape};

/// The ids of kind `kind` (`ctc_`) in `html` that an `id="{prefix}…"` attribute names
/// (`contact-ctc_…`), in page order.
fn ids(html: &str, prefix: &str, kind: &str) -> Vec<String> {
    html.split(&format!("id=\"{prefix}{kind}"))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|hex| format!("{kind}{hex}"))
        .collect()
}

/// The id of the entry (`id="{prefix}{kind}…"`) whose text, up to the next entry, has `text`.
fn entry_with(html: &str, prefix: &str, kind: &str, text: &str) -> String {
    ids(html, prefix, kind)
        .into_iter()
        .find(|id| {
            let start = format!("id=\"{prefix}{id}\"");
            html.split(&start)
                .nth(1)
                .and_then(|rest| rest.split(&format!("id=\"{prefix}{kind}")).next())
                .is_some_and(|entry| entry.contains(text))
        })
        .unwrap_or_else(|| panic!("no {prefix}{kind} entry with {text}: {html}"))
}

/// Posts `fields` to `path` and expects the redirect to `to`, which is then read.
async fn post_and_follow(
    app: &TestApp,
    cookies: &str,
    path: &str,
    fields: &[(&str, &str)],
    to: &str,
) -> String {
    let response = form(app, cookies, path, fields).await;
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    if status != StatusCode::SEE_OTHER {
        panic!(
            "{path}: {status} {}",
            response.text().await.unwrap_or_default()
        );
    }
    assert_eq!(location.as_deref(), Some(to), "{path}");
    page(app, cookies, to).await
}

/// Posts `fields` to `path` and expects the form back with its refusal.
async fn post_refused(app: &TestApp, cookies: &str, path: &str, fields: &[(&str, &str)]) -> String {
    let response = form(app, cookies, path, fields).await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{path}"
    );
    unescape(&response.text().await.expect("html"))
}

e2e_test!(the_contacts_page_adds_edits_and_removes_contacts, |app| {
    let (cookies, csrf) = signed_in(&app, "billing@acme.example").await;
    let html = page(&app, &cookies, "/contacts").await;
    assert!(
        html.contains("Claire Dubois") && html.contains("Receives invoices"),
        "{html}"
    );
    assert_eq!(ids(&html, "contact-", "ctc_").len(), 2);

    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("role", "operational"),
        ("name", "Jeanne Roy"),
        ("email", "jeanne@"),
        ("phone", "+33 6 12 34 56 78"),
        ("receives_invoices", "on"),
    ];
    let refused = post_refused(&app, &cookies, "/contacts/add", &fields).await;
    assert!(refused.contains("id=\"contact-email-error\""), "{refused}");
    assert!(
        refused.contains("value=\"Jeanne Roy\""),
        "what was typed stays: {refused}"
    );
    fields[3] = ("email", "jeanne@acme.example");
    let html = post_and_follow(
        &app,
        &cookies,
        "/contacts/add",
        &fields,
        "/contacts?done=contact-added",
    )
    .await;
    assert!(html.contains("The contact is added."), "{html}");
    assert!(
        html.contains("Jeanne Roy") && html.contains("+33612345678"),
        "{html}"
    );
    let jeanne = entry_with(&html, "contact-", "ctc_", "Jeanne Roy");

    let edit = page(&app, &cookies, &format!("/contacts/edit?id={jeanne}")).await;
    assert!(edit.contains("value=\"jeanne@acme.example\""), "{edit}");
    let html = post_and_follow(
        &app,
        &cookies,
        "/contacts/edit",
        &[
            ("csrf", &csrf),
            ("id", &jeanne),
            ("role", "technical"),
            ("name", "Jeanne Roy-Martin"),
            ("email", "jeanne@acme.example"),
            ("phone", ""),
        ],
        "/contacts?done=contact-updated",
    )
    .await;
    assert!(html.contains("Jeanne Roy-Martin"), "{html}");
    let html = post_and_follow(
        &app,
        &cookies,
        "/contacts/remove",
        &[("csrf", &csrf), ("id", &jeanne)],
        "/contacts?done=contact-removed",
    )
    .await;
    assert!(!html.contains("Jeanne Roy-Martin"), "{html}");

    // Without the page's token, nothing is added.
    let forged = form(
        &app,
        &cookies,
        "/contacts/add",
        &[("csrf", "forged"), ("name", "X")],
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    // A viewer reads the contacts and gets no form.
    let (viewer, _) = signed_in(&app, "viewer@acme.example").await;
    let html = page(&app, &viewer, "/contacts").await;
    assert!(html.contains("Claire Dubois"), "{html}");
    assert!(
        !html.contains("Add a contact") && !html.contains("Remove"),
        "{html}"
    );
});

e2e_test!(the_addresses_page_adds_and_switches_the_default, |app| {
    let (cookies, csrf) = signed_in(&app, "owner@acme.example").await;
    let html = page(&app, &cookies, "/addresses").await;
    assert!(
        html.contains("75002 Paris") && html.contains("Unverified"),
        "{html}"
    );

    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("country", "GB"),
        ("line1", "10 Downing Street"),
        ("line2", ""),
        ("postal_code", "SW1A 2A"),
        ("city", "London"),
        ("region", ""),
    ];
    let refused = post_refused(&app, &cookies, "/addresses/add", &fields).await;
    assert!(
        refused.contains("id=\"address-postal-code-error\""),
        "{refused}"
    );
    assert!(refused.contains("value=\"10 Downing Street\""), "{refused}");
    fields[4] = ("postal_code", "sw1a2aa");
    let html = post_and_follow(
        &app,
        &cookies,
        "/addresses/add",
        &fields,
        "/addresses?done=address-added",
    )
    .await;
    assert!(
        html.contains("LONDON<br>SW1A 2AA<br>United Kingdom"),
        "{html}"
    );
    assert_eq!(ids(&html, "address-", "addr_").len(), 3, "{html}");
    let london = entry_with(&html, "address-", "addr_", "LONDON");

    let html = post_and_follow(
        &app,
        &cookies,
        "/addresses/default",
        &[("csrf", &csrf), ("id", &london)],
        "/addresses?done=default-address",
    )
    .await;
    // The default is listed first, with its badge.
    assert_eq!(ids(&html, "address-", "addr_")[0], london);
    let first_card = html
        .split("class=\"card address\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        first_card.contains("Default") && first_card.contains("LONDON"),
        "{html}"
    );
});

e2e_test!(the_team_page_adds_people_and_keeps_license_holders, |app| {
    let (cookies, csrf) = signed_in(&app, "owner@acme.example").await;
    let html = page(&app, &cookies, "/team").await;
    assert!(html.contains("Holds a license"), "{html}");
    let html = post_and_follow(
        &app,
        &cookies,
        "/team/teams/add",
        &[("csrf", &csrf), ("name", "Marketing")],
        "/team?done=team-created",
    )
    .await;
    let marketing = entry_with(&html, "team-", "team_", "entry-title\">Marketing<");
    let html = post_and_follow(
        &app,
        &cookies,
        "/team/members/add",
        &[
            ("csrf", &csrf),
            ("name", "Hugo Blanc"),
            ("email", ""),
            ("team", &marketing),
        ],
        "/team?done=member-added",
    )
    .await;
    assert!(html.contains("Hugo Blanc"), "{html}");

    // A member with a license: the page disables the button, and the API refuses anyway.
    let holder = entry_with(&html, "member-", "mem_", "Holds a license");
    let refused = post_refused(
        &app,
        &cookies,
        "/team/members/remove",
        &[("csrf", &csrf), ("id", &holder)],
    )
    .await;
    assert!(
        refused.contains(&format!("id=\"member-error-{holder}\""))
            && refused.contains("unassign the license"),
        "{refused}"
    );
    // A team name that is taken comes back next to the field.
    let refused = post_refused(
        &app,
        &cookies,
        "/team/teams/add",
        &[("csrf", &csrf), ("name", "Sales")],
    )
    .await;
    assert!(refused.contains("id=\"team-name-error\""), "{refused}");
});

e2e_test!(
    the_account_page_changes_the_password_and_the_session,
    |app| {
        let (cookies, csrf) = signed_in(&app, "viewer@acme.example").await;
        let mismatch = post_refused(
            &app,
            &cookies,
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", "billfold-demo"),
                ("new_password", "correct horse battery"),
                ("confirm_password", "correct horse battery!"),
            ],
        )
        .await;
        assert!(
            mismatch.contains("id=\"confirm-password-error\""),
            "{mismatch}"
        );
        let wrong = post_refused(
            &app,
            &cookies,
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", "not it"),
                ("new_password", "correct horse battery"),
                ("confirm_password", "correct horse battery"),
            ],
        )
        .await;
        assert!(wrong.contains("id=\"current-password-error\""), "{wrong}");

        let response = form(
            &app,
            &cookies,
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", "billfold-demo"),
                ("new_password", "correct horse battery"),
                ("confirm_password", "correct horse battery"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[LOCATION],
            "/account?done=password-changed"
        );
        let session = set_cookie(&response, "billfold_session").expect("a new session cookie");
        let csrf_cookie = cookies
            .split("; ")
            .find(|c| c.starts_with("billfold_csrf="))
            .expect("csrf cookie");
        let renewed = format!("{session}; {csrf_cookie}");
        let html = page(&app, &renewed, "/account?done=password-changed").await;
        assert!(html.contains("Your password is changed."), "{html}");

        // The old cookie is a session that ended: back to sign-in.
        let old = app
            .client
            .get(format!("{}/account", app.address))
            .header(COOKIE, &cookies)
            .send()
            .await
            .expect("sent");
        assert_eq!(old.status(), StatusCode::SEE_OTHER);
        assert_eq!(old.headers()[LOCATION], "/login");
    }
);
