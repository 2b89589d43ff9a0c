//! The documents page over plain HTTP, as a browser without JavaScript uses it: the upload form
//! is a multipart form with the page's CSRF token, posted to the portal (never to the API with
//! the cookie); an accepted upload redirects with its confirmation, a refused one comes back
//! with the message beside the file field; viewers get no form; a new default address shows
//! the required-document banner.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION};
use serde_json::json;
use tests::html::{page, signed_in};
use tests::{TestApp, e2e_test};

use super::{documents, pdf};

const BOUNDARY: &str = "----billfold-test-boundary";

/// POSTs the upload form: `fields` as text parts, then `file` (name, bytes) as the file part.
async fn post_upload(
    app: &TestApp,
    cookies: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> reqwest::Response {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\n\
             Content-Type: application/pdf\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    app.client
        .post(format!("{}/vault/upload", app.address))
        .header(COOKIE, cookies)
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("sent")
}

e2e_test!(the_upload_form_sends_a_document_for_review, |app| {
    let (cookies, csrf) = signed_in(&app, "billing@acme.example").await;
    let html = page(&app, &cookies, "/vault").await;
    assert!(
        html.contains("action=\"/vault/upload\""),
        "the form is there"
    );
    assert!(html.contains("enctype=\"multipart/form-data\""));

    let fields = [
        ("csrf", csrf.as_str()),
        ("type", "company_registration"),
        ("address", ""),
    ];
    let response = post_upload(&app, &cookies, &fields, ("Kbis 2026.pdf", &pdf(3000))).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = response.headers()[LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    assert_eq!(to, "/vault?done=document-uploaded");
    let html = page(&app, &cookies, &to).await;
    assert!(html.contains("The document is uploaded"), "{html}");
    assert!(
        html.contains("Kbis 2026.pdf") && html.contains("Waiting for review"),
        "{html}"
    );
    assert!(
        html.contains("href=\"/documents/doc_"),
        "a download link to the API"
    );

    // Not a PDF: back with the message beside the file field, nothing kept.
    let mut executable = b"MZ\x90\x00".to_vec();
    executable.resize(512, 0);
    let response = post_upload(&app, &cookies, &fields, ("invoice.pdf", &executable)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    let error = html
        .split("id=\"document-file-error\" class=\"field-error\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("no message beside the file: {html}"));
    assert!(error.contains("PDF, PNG or JPEG"), "{error}");
    assert!(
        html.contains("value=\"company_registration\" selected"),
        "the type is kept"
    );

    // Larger than 10 MiB: cut off unread, answered beside the file field.
    let response = post_upload(
        &app,
        &cookies,
        &fields,
        ("big.pdf", &pdf(10 * 1024 * 1024 + 100_000)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains("The file is larger than 10 MiB."), "{html}");

    // Without the page's token: refused, nothing kept.
    let forged = [("csrf", "forged"), ("type", "other"), ("address", "")];
    let response = post_upload(&app, &cookies, &forged, ("x.pdf", &pdf(100))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let billing = app.as_billing_admin("Acme Telecom").await;
    assert_eq!(documents(&billing).await.len(), 1);
});

e2e_test!(viewers_see_documents_and_the_banner_without_a_form, |app| {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let madrid: serde_json::Value = billing
        .data(
            "addresses",
            "{ viewer { organisation { billingAddresses { id country } } } }",
            json!({}),
        )
        .await;
    let madrid = madrid["viewer"]["organisation"]["billingAddresses"]
        .as_array()
        .expect("addresses")
        .iter()
        .find(|a| a["country"] == "ES")
        .expect("Madrid")["id"]
        .clone();
    let body = billing
        .graphql(
            "mutation D($input: SetDefaultBillingAddressInput!) { setDefaultBillingAddress(input: $input) { address { id } } }",
            json!({ "input": { "addressId": madrid } }),
        )
        .await;
    tests::assert_ok(&body);
    crate::vault::uploaded(
        &app,
        billing.token(),
        &[("type", "other"), ("name", "note.pdf")],
        pdf(100),
    )
    .await;

    let (cookies, csrf) = signed_in(&app, "viewer@acme.example").await;
    let html = page(&app, &cookies, "/vault").await;
    assert!(html.contains("id=\"required-documents\""), "{html}");
    assert!(html.contains("company registration certificate"), "{html}");
    assert!(html.contains("note.pdf"), "the viewer sees the documents");
    assert!(
        !html.contains("/vault/upload"),
        "no upload form for a viewer"
    );
    // The form posted anyway: the API refuses.
    let fields = [("csrf", csrf.as_str()), ("type", "other"), ("address", "")];
    let response = post_upload(&app, &cookies, &fields, ("x.pdf", &pdf(100))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(documents(&billing).await.len(), 1);
});
