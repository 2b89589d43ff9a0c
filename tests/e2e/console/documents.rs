//! The console's review queue: support (who may review, as the API says) reads the documents
//! waiting, downloads one as an attachment that runs nothing, is told beside the field that a
//! rejection needs a reason, accepts one and rejects another with a reason, which the
//! organisation then reads.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, COOKIE};
use tests::e2e_test;
use tests::html::{form, page};

use super::console_session;
use crate::vault::{documents, pdf, uploaded};

e2e_test!(support_reviews_documents_in_the_console, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let order = uploaded(
        &app,
        owner.token(),
        &[("type", "other"), ("name", "Signed order.pdf")],
        pdf(2048),
    )
    .await;
    let scan = uploaded(
        &app,
        owner.token(),
        &[("type", "other"), ("name", "Blurry scan.pdf")],
        pdf(4096),
    )
    .await;
    let (order, scan) = (
        order["id"].as_str().expect("an id").to_owned(),
        scan["id"].as_str().expect("an id").to_owned(),
    );

    let (cookies, token) = console_session(&app, "support@billfold.example").await;
    let queue = page(&app, &cookies, "/admin/documents").await;
    assert!(
        queue.contains("Signed order.pdf") && queue.contains("Blurry scan.pdf"),
        "{queue}"
    );

    // The file: its bytes, as an attachment, sandboxed.
    let response = app
        .client
        .get(format!("{}/admin/documents/{order}", app.address))
        .header(COOKIE, &cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_DISPOSITION],
        "attachment; filename=\"Signed order.pdf\""
    );
    assert_eq!(
        response.headers()[CONTENT_SECURITY_POLICY],
        "default-src 'none'; sandbox"
    );
    assert_eq!(response.bytes().await.expect("bytes").to_vec(), pdf(2048));
    let missing = app
        .client
        .get(format!(
            "{}/admin/documents/doc_0190d0a0-0000-7000-8000-000000000000",
            app.address
        ))
        .header(COOKIE, &cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // A rejection without a reason: refused beside the reason of that document.
    let refused = form(
        &app,
        &cookies,
        "/admin/documents/review",
        &[
            ("csrf", token.as_str()),
            ("document", scan.as_str()),
            ("decision", "reject"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(
        html.contains(&format!("id=\"reason-{scan}-error\"")),
        "{html}"
    );

    for (document, decision, reason) in [
        (order.as_str(), "accept", ""),
        (scan.as_str(), "reject", "The scan cannot be read"),
    ] {
        let done = form(
            &app,
            &cookies,
            "/admin/documents/review",
            &[
                ("csrf", token.as_str()),
                ("document", document),
                ("decision", decision),
                ("reason", reason),
            ],
        )
        .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER, "{decision}");
    }
    let queue = page(&app, &cookies, "/admin/documents").await;
    assert!(queue.contains("No document waits for review."), "{queue}");

    // The organisation reads the outcome.
    let listed = documents(&owner).await;
    let find = |id: &str| {
        listed
            .iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {listed:?}"))
            .clone()
    };
    assert_eq!(find(&order)["status"], "ACCEPTED");
    assert_eq!(find(&scan)["status"], "REJECTED");
    assert_eq!(find(&scan)["rejectionReason"], "The scan cannot be read");
});
