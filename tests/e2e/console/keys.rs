//! The console's API keys page: only an administrator manages keys (billing staff get the
//! API's refusal); a new key's secret is shown once, on the answer to the form; a key is
//! revoked from the list.

use reqwest::StatusCode;
use tests::e2e_test;
use tests::html::{form, page};

use super::console_session;

e2e_test!(only_an_admin_manages_api_keys_in_the_console, |app| {
    let (billing, _) = console_session(&app, "billing@billfold.example").await;
    let refused = app
        .client
        .get(format!("{}/admin/api-keys", app.address))
        .header(reqwest::header::COOKIE, &billing)
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .await
            .expect("html")
            .contains("Not allowed for your role")
    );

    let (admin, token) = console_session(&app, "admin@billfold.example").await;
    assert!(
        page(&app, &admin, "/admin/api-keys")
            .await
            .contains("No API key yet.")
    );
    // Without a scope: refused, nothing created.
    let refused = form(
        &app,
        &admin,
        "/admin/api-keys",
        &[("csrf", token.as_str()), ("name", "Telecom platform")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("No API key yet."), "{html}");

    let created = form(
        &app,
        &admin,
        "/admin/api-keys",
        &[
            ("csrf", token.as_str()),
            ("name", "Telecom platform"),
            ("scope", "usage_write"),
            ("scope", "read"),
        ],
    )
    .await;
    assert_eq!(created.status(), StatusCode::OK);
    let html = created.text().await.expect("html");
    let secret = html
        .split("<code id=\"secret\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("the secret, once: {html}"))
        .to_owned();
    assert!(html.contains("Read, Usage write"), "{html}");
    // Shown once: the list never shows it again.
    let list = page(&app, &admin, "/admin/api-keys").await;
    assert!(!list.contains(&secret), "{list}");
    let id = list
        .split("name=\"key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a revocation form")
        .to_owned();
    let revoked = form(
        &app,
        &admin,
        "/admin/api-keys/revoke",
        &[("csrf", token.as_str()), ("key", id.as_str())],
    )
    .await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let list = page(&app, &admin, "/admin/api-keys?done=api-key-revoked").await;
    assert!(
        list.contains("The key is revoked") && list.contains(">Revoked "),
        "{list}"
    );
});
