//! The review queue in headless Chromium: an organisation uploads a document; support signs in
//! to the console, opens "Documents to review", accepts it, reads the confirmation and an
//! empty queue; the organisation then reads it accepted. Screenshots: `75-…`, `76-…`.

use api::seed::DEMO_PASSWORD;
use tests::browser::Browser;
use tests::e2e_test;

use crate::vault::{documents, pdf, uploaded};

e2e_test!(support_accept_a_document_in_the_browser, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let document = uploaded(
        &app,
        owner.token(),
        &[("type", "other"), ("name", "Signed order.pdf")],
        pdf(2048),
    )
    .await;
    let id = document["id"].as_str().expect("an id").to_owned();

    let browser = Browser::start(&app).await;
    browser.visit("/admin/login").await;
    browser.fill("email", "support@billfold.example").await;
    browser.fill("password", DEMO_PASSWORD).await;
    browser
        .submit("button[type=submit].primary", "#header-search")
        .await;
    browser
        .submit(
            "nav[aria-label=Main] a[href='/admin/documents']",
            &format!("#document-{id}"),
        )
        .await;
    assert!(
        browser
            .text(&format!("#title-{id}"))
            .await
            .contains("Signed order.pdf")
    );
    browser.screenshot("75-console-review-queue").await;
    browser
        .submit(&format!("#document-{id} button[value=accept]"), "#notice")
        .await;
    assert_eq!(browser.text("#notice").await, "The document is accepted.");
    assert_eq!(
        browser.text("#no-documents").await,
        "No document waits for review."
    );
    browser.screenshot("76-console-review-accepted").await;
    browser.close().await;

    let listed = documents(&owner).await;
    let reviewed = listed
        .iter()
        .find(|d| d["id"] == id.as_str())
        .unwrap_or_else(|| panic!("{id} in {listed:?}"));
    assert_eq!(reviewed["status"], "ACCEPTED");
});
