//! Staff review pending documents (accept, or reject with a reason the organisation reads),
//! publish documents to an organisation, and an accepted proof of address verifies its address.

use serde_json::{Value, json};
use tests::{Session, TestApp, assert_code, e2e_test};

use super::{documents, pdf, upload, uploaded};

pub const REVIEW: &str =
    "mutation R($input: ReviewDocumentInput!) { reviewDocument(input: $input) {
    document { id status rejectionReason reviewedAt published } } }";
pub const TO_REVIEW: &str =
    "{ documentsToReview(first: 100) { nodes { id customerId type status } } }";

/// `reviewDocument` as `session`; the body.
pub async fn review(
    session: &Session<'_>,
    id: &str,
    decision: &str,
    reason: Option<&str>,
) -> Value {
    session
        .graphql(
            REVIEW,
            json!({ "input": { "documentId": id, "decision": decision, "reason": reason } }),
        )
        .await
}

/// The ids in staff's review queue, oldest first.
async fn queue(app: &TestApp) -> Vec<String> {
    let data: Value = app
        .as_staff()
        .await
        .data("queue", TO_REVIEW, json!({}))
        .await;
    data["documentsToReview"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|d| d["id"].as_str().expect("id").to_owned())
        .collect()
}

e2e_test!(staff_accept_or_reject_each_pending_document_once, |app| {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let mut ids = Vec::new();
    for name in ["first.pdf", "second.pdf"] {
        let document = uploaded(
            &app,
            billing.token(),
            &[("type", "contract"), ("name", name)],
            pdf(300),
        )
        .await;
        ids.push(document["id"].as_str().expect("id").to_owned());
    }
    assert_eq!(queue(&app).await, ids, "oldest first");

    // Customers never review, whatever the role.
    for session in [
        app.as_owner("Acme Telecom").await,
        app.as_owner("Globex").await,
    ] {
        assert_code(
            &review(&session, &ids[0], "ACCEPT", None).await,
            "FORBIDDEN",
        );
    }
    let staff = app.as_staff().await;
    // A rejection says why.
    for reason in [None, Some("   ")] {
        let body = review(&staff, &ids[0], "REJECT", reason).await;
        assert_code(&body, "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "input.reason");
    }
    let body = review(&staff, &ids[0], "REJECT", Some("The scan is unreadable")).await;
    let rejected = &body["data"]["reviewDocument"]["document"];
    assert_eq!(rejected["status"], "REJECTED", "{body}");
    assert_eq!(rejected["rejectionReason"], "The scan is unreadable");
    let body = review(&staff, &ids[1], "ACCEPT", Some("ignored")).await;
    let accepted = &body["data"]["reviewDocument"]["document"];
    assert_eq!(accepted["status"], "ACCEPTED", "{body}");
    assert!(accepted["rejectionReason"].is_null());
    assert!(queue(&app).await.is_empty());

    // Once only.
    for id in &ids {
        let body = review(&staff, id, "ACCEPT", None).await;
        assert_code(&body, "CONFLICT");
        assert_eq!(
            body["errors"][0]["extensions"]["reason"],
            "DOCUMENT_REVIEWED"
        );
    }
    // The organisation reads the outcome.
    let listed = documents(&billing).await;
    assert_eq!(listed[1]["status"], "REJECTED");
    assert_eq!(listed[1]["rejectionReason"], "The scan is unreadable");
    assert_eq!(listed[0]["status"], "ACCEPTED");
    assert!(listed[0]["reviewedAt"].is_string());
    assert_eq!(billing.audit_count("document.review").await, 2);
});

e2e_test!(staff_publish_a_contract_to_an_organisation, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let document = uploaded(
        &app,
        staff.token(),
        &[
            ("type", "contract"),
            ("name", "Contract 2026.pdf"),
            ("customerId", acme.as_str()),
        ],
        pdf(2000),
    )
    .await;
    assert_eq!(document["status"], "ACCEPTED");
    assert_eq!(document["published"], true);
    let id = document["id"].as_str().expect("id");
    assert!(queue(&app).await.is_empty(), "nothing to review");
    assert_code(&review(&staff, id, "REJECT", Some("no")).await, "CONFLICT");

    let owner = app.as_owner("Acme Telecom").await;
    let listed = documents(&owner).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["published"], true);
    assert_eq!(listed[0]["type"], "CONTRACT");
    assert_eq!(owner.audit_count("document.publish").await, 1);
    // Globex sees nothing of it.
    assert!(documents(&app.as_owner("Globex").await).await.is_empty());
    let (status, _) = upload(
        &app,
        Some(staff.token()),
        &[
            ("type", "contract"),
            ("name", "c.pdf"),
            ("customerId", "cus_00000000000000000000000000000000"),
        ],
        pdf(10),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND);
});
