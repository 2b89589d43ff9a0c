//! Downloading documents: the stored bytes every time (their hash is the one recorded), as an
//! attachment that a browser will not sniff, to the right people only.

use entity::{credit_note, invoice};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tests::{TestApp, assert_code, assert_ok, bill_demo_next_period, e2e_test};

use super::pdf;

/// GETs `path` with `token` (or none); answers status, headers and body.
async fn get(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("body").to_vec();
    (status, headers, body)
}

/// Acme's invoice of the next period, read through GraphQL as its billing admin.
async fn acme_invoice(app: &TestApp) -> Value {
    let report = bill_demo_next_period(app).await;
    let acme = app.customer_id("Acme Telecom").await;
    let billed = report
        .invoiced
        .iter()
        .find(|b| b.customer.to_string() == acme)
        .expect("Acme was billed");
    let billing = app.as_billing_admin("Acme Telecom").await;
    let data: Value = billing
        .data(
            "invoice",
            "query I($id: ID!) { viewer { organisation { invoice(id: $id) { id number pdfUrl
                total { formatted } amountDue { formatted }
                lines { kind description amount { formatted } } } } } }",
            json!({ "id": billed.invoice.to_string() }),
        )
        .await;
    data["viewer"]["organisation"]["invoice"].clone()
}

e2e_test!(an_invoice_pdf_is_the_stored_document_every_time, |app| {
    let invoice = acme_invoice(&app).await;
    let url = invoice["pdfUrl"].as_str().expect("pdfUrl");
    let id = invoice["id"].as_str().expect("id");
    assert_eq!(url, format!("/invoices/{id}.pdf"));
    let billing = app.as_billing_admin("Acme Telecom").await;

    let (status, headers, first) = get(&app, url, Some(billing.token())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let number = invoice["number"].as_str().expect("number");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"{number}.pdf\"").as_str()
    );
    assert!(first.starts_with(b"%PDF-"), "a PDF");

    // The recorded hash is the served bytes' hash, on every download, for staff too.
    let row = invoice::Entity::find_by_id(id.parse::<ids::InvoiceId>().expect("id"))
        .one(app.app.db.reads())
        .await
        .expect("read invoice")
        .expect("invoice row");
    let recorded = row
        .pdf_sha256
        .expect("hash recorded at the first rendering");
    assert_eq!(pdf::sha256(&first), recorded);
    assert_eq!(headers["etag"], format!("\"{recorded}\"").as_str());
    let staff = app.as_staff().await;
    for token in [billing.token(), staff.token()] {
        let (status, _, again) = get(&app, url, Some(token)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again, first, "byte for byte the first document");
    }

    // It says what the invoice says.
    let text = pdf::text(&first);
    assert!(text.contains(number), "number in:\n{text}");
    for line in invoice["lines"].as_array().expect("lines") {
        if line["kind"] == "CREDIT" {
            continue;
        }
        let description = line["description"].as_str().expect("description");
        // A long description wraps in its column: its first words are on one line.
        let start: String = description
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(&start), "{start:?} in:\n{text}");
        let amount = line["amount"]["formatted"].as_str().expect("amount");
        assert!(text.contains(amount), "{amount} in:\n{text}");
    }
    let total = invoice["total"]["formatted"].as_str().expect("total");
    assert!(text.contains(total), "total {total} in:\n{text}");
});

e2e_test!(only_the_invoices_customer_and_staff_get_its_pdf, |app| {
    let invoice = acme_invoice(&app).await;
    let url = invoice["pdfUrl"].as_str().expect("pdfUrl").to_owned();
    let globex_owner = app.as_owner("Globex").await;
    let (status, headers, _) = get(&app, &url, Some(globex_owner.token())).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another tenant: as if it did not exist"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let (status, _, _) = get(&app, &url, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "anonymous");
    let (status, _, _) = get(&app, &url, Some("not-a-token")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a token that does not verify"
    );
    let missing = format!("/invoices/{}.pdf", ids::InvoiceId::new());
    let acme_viewer = app.as_viewer("Acme Telecom").await;
    let (status, _, _) = get(&app, &missing, Some(acme_viewer.token())).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no such invoice");
    let (status, _, _) = get(
        &app,
        &url.replace(".pdf", ".html"),
        Some(acme_viewer.token()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only .pdf");
    let (status, _, body) = get(&app, &url, Some(acme_viewer.token())).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a viewer of the organisation reads it"
    );
    assert!(body.starts_with(b"%PDF-"));
});

e2e_test!(a_stored_pdf_that_was_altered_is_never_served, |app| {
    let invoice = acme_invoice(&app).await;
    let url = invoice["pdfUrl"].as_str().expect("pdfUrl");
    let billing = app.as_billing_admin("Acme Telecom").await;
    let (status, headers, _) = get(&app, url, Some(billing.token())).await;
    assert_eq!(status, StatusCode::OK);
    let sha = headers["etag"]
        .to_str()
        .expect("etag")
        .trim_matches('"')
        .to_owned();
    let id = invoice["id"].as_str().expect("id");
    let stored = app
        .data_dir()
        .join("documents/invoices")
        .join(id)
        .join(format!("{sha}.pdf"));
    std::fs::write(&stored, b"%PDF-1.7 forged").expect("alter the stored file");
    let (status, _, body) = get(&app, url, Some(billing.token())).await;
    assert_eq!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert!(
        !body.starts_with(b"%PDF"),
        "the altered bytes are not served"
    );
});

e2e_test!(a_credit_note_has_its_own_pdf, |app| {
    let invoice = acme_invoice(&app).await;
    let staff = app.as_staff().await;
    let body = staff
        .graphql(
            "mutation C($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) {
                creditNote { id number pdfUrl total { formatted } } } }",
            json!({ "input": { "invoiceId": invoice["id"], "reason": "Service outage on 3 May",
                "whole": true } }),
        )
        .await;
    assert_ok(&body);
    let note = &body["data"]["issueCreditNote"]["creditNote"];
    let url = note["pdfUrl"].as_str().expect("pdfUrl");
    let billing = app.as_billing_admin("Acme Telecom").await;
    let (status, headers, bytes) = get(&app, url, Some(billing.token())).await;
    assert_eq!(status, StatusCode::OK);
    let number = note["number"].as_str().expect("number");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"{number}.pdf\"").as_str()
    );
    let text = pdf::text(&bytes);
    for expected in [
        number,
        invoice["number"].as_str().expect("invoice number"),
        "Service outage on 3 May",
        note["total"]["formatted"].as_str().expect("total"),
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    let row = credit_note::Entity::find_by_id(
        note["id"]
            .as_str()
            .expect("id")
            .parse::<ids::CreditNoteId>()
            .expect("id"),
    )
    .one(app.app.db.reads())
    .await
    .expect("read")
    .expect("row");
    assert_eq!(
        row.pdf_sha256.as_deref(),
        Some(pdf::sha256(&bytes).as_str())
    );
    let globex = app.as_billing_admin("Globex").await;
    let (status, _, _) = get(&app, url, Some(globex.token())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Its e-mail was queued with it, to the invoice address, and carries the same document.
    let queued: Vec<_> = entity::outbox_message::Entity::find()
        .all(app.app.db.reads())
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.kind == entity::outbox_message::MessageKind::CreditNote)
        .collect();
    let recipients: Vec<&str> = queued.iter().map(|m| m.recipient.as_str()).collect();
    assert_eq!(
        recipients,
        ["accounts@acme.example", "claire.dubois@acme.example"]
    );
    let sent = app.app.services.mail.deliver_due().await.expect("deliver");
    assert!(sent.sent >= 1 && sent.failed == 0, "{sent:?}");
    let eml = std::fs::read_to_string(
        app.data_dir()
            .join("outbox")
            .join(format!("{}.eml", queued[0].id)),
    )
    .expect("the credit note's e-mail");
    assert!(
        eml.contains(&format!("Subject: Credit note {number} for invoice")),
        "{eml}"
    );
    assert!(
        eml.contains(&format!("filename=\"{number}.pdf\""))
            || eml.contains(&format!("filename={number}.pdf")),
        "{eml}"
    );

    // The credit note lists the e-mails that carried it, to its customer's users only.
    let emails = "query Q($id: ID!) { viewer { organisation { creditNote(id: $id) {
        emails { recipient status kind documentId } } } } }";
    let seen = billing.graphql(emails, json!({ "id": note["id"] })).await;
    assert_ok(&seen);
    let seen = &seen["data"]["viewer"]["organisation"]["creditNote"]["emails"];
    assert_eq!(
        seen.as_array().map(Vec::len),
        Some(2),
        "one e-mail per recipient: {seen}"
    );
    assert_eq!(seen[0]["recipient"], "accounts@acme.example");
    assert_eq!(seen[0]["status"], "SENT");
    assert_eq!(seen[1]["status"], "SENT");
    assert_eq!(seen[0]["kind"], "CREDIT_NOTE");
    assert_eq!(seen[0]["documentId"], note["id"]);
    let other = globex.graphql(emails, json!({ "id": note["id"] })).await;
    assert_code(&other, "NOT_FOUND");
});

e2e_test!(
    a_document_rendered_after_a_payment_still_says_what_was_issued,
    |app| {
        // Nothing renders Acme's invoice before staff record its payment: the first rendering
        // comes after, and must print the invoice as issued (open, due), like one rendered at once.
        let invoice = acme_invoice(&app).await;
        let staff = app.as_staff().await;
        assert_ok(
        &staff
            .graphql(
                "mutation P($input: SettleInvoiceInput!) { markInvoicePaid(input: $input) { invoice { id } } }",
                json!({ "input": { "invoiceId": invoice["id"] } }),
            )
            .await,
    );
        let billing = app.as_billing_admin("Acme Telecom").await;
        let url = invoice["pdfUrl"].as_str().expect("pdfUrl");
        let (status, _, bytes) = get(&app, url, Some(billing.token())).await;
        assert_eq!(status, StatusCode::OK);
        let text = pdf::text(&bytes);
        let status_row = text
            .lines()
            .find(|line| line.trim_start().starts_with("Status"))
            .unwrap_or_else(|| panic!("a status row in:\n{text}"));
        assert!(status_row.contains("Open"), "{status_row:?}");
        assert!(
            !text.contains("PAID"),
            "no paid mark on the issued document:\n{text}"
        );
        let due = invoice["amountDue"]["formatted"]
            .as_str()
            .expect("amount due");
        assert!(
            text.lines()
                .any(|line| line.contains("Amount due") && line.contains(due)),
            "the amount due as issued, {due}, in:\n{text}"
        );
    }
);
