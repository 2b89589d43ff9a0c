//! The customer's record tabs in the console: support reads the documents the organisation
//! uploaded (and downloads one under /admin), and the audit log, filtered by kind and days,
//! with a filter the form cannot read said above the table.

use reqwest::StatusCode;
use tests::e2e_test;
use tests::html::page;

use super::console_session;
use crate::vault::{pdf, uploaded};

e2e_test!(support_reads_documents_and_a_filtered_audit_log, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let acme = app.customer_id("Acme Telecom").await;
    let uploaded = uploaded(
        &app,
        owner.token(),
        &[("type", "other"), ("name", "Signed order.pdf")],
        pdf(2048),
    )
    .await;
    let document = uploaded["id"].as_str().expect("an id").to_owned();

    let (cookies, _) = console_session(&app, "support@billfold.example").await;
    let html = page(
        &app,
        &cookies,
        &format!("/admin/customers/{acme}?tab=documents"),
    )
    .await;
    let link = format!("href=\"/admin/documents/{document}\"");
    assert!(
        html.contains(&link) && html.contains("Signed order.pdf"),
        "{html}"
    );
    let file = app
        .client
        .get(format!("{}/admin/documents/{document}", app.address))
        .header(reqwest::header::COOKIE, &cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(file.status(), StatusCode::OK);

    // The upload is a documents change; no money changed today.
    let tab = format!("/admin/customers/{acme}?tab=audit");
    let all = page(&app, &cookies, &tab).await;
    assert!(all.contains("<code>document."), "{all}");
    let documents = page(&app, &cookies, &format!("{tab}&kind=documents")).await;
    assert!(documents.contains("<code>document."), "{documents}");
    assert!(
        documents.contains("<option value=\"documents\" selected>"),
        "{documents}"
    );
    let money = page(&app, &cookies, &format!("{tab}&kind=money")).await;
    assert!(!money.contains("<code>document."), "{money}");
    let long_ago = page(
        &app,
        &cookies,
        &format!("{tab}&from=2020-01-01&to=2020-01-31"),
    )
    .await;
    assert!(long_ago.contains("id=\"no-entries\""), "{long_ago}");

    let refused = app
        .client
        .get(format!("{}{tab}&from=yesterday", app.address))
        .header(reqwest::header::COOKIE, &cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(
        refused
            .text()
            .await
            .expect("html")
            .contains("id=\"filter-error\"")
    );
});
