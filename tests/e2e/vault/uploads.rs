//! Uploads and downloads on the default (local directory) storage. The checks themselves are
//! shared with the S3 tests ([`super::s3`]), which run them against a local S3 server.

use reqwest::StatusCode;
use serde_json::json;
use tests::{TestApp, e2e_test};

use super::{MAX_BYTES, documents, download, extensions, pdf, sha256, upload, uploaded};

/// A PDF goes in and comes out byte for byte, with its hash recorded, as an attachment the
/// browser does not sniff; the upload and the download are audited. Returns the stored key's
/// document id and the bytes, for the storage-specific checks.
pub async fn round_trip(app: &TestApp) -> (String, Vec<u8>) {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let bytes = pdf(200_000);
    let document = uploaded(
        app,
        billing.token(),
        &[
            ("type", "company_registration"),
            ("name", "Extrait Kbis.pdf"),
        ],
        bytes.clone(),
    )
    .await;
    assert_eq!(
        document["type"], "COMPANY_REGISTRATION",
        "as GraphQL spells it"
    );
    assert_eq!(document["status"], "PENDING");
    assert_eq!(document["fileName"], "Extrait Kbis.pdf");
    assert_eq!(document["contentType"], "application/pdf");
    assert_eq!(document["sizeBytes"], 200_000);
    assert_eq!(
        document["sha256"],
        sha256(&bytes),
        "the hash of the bytes sent"
    );
    let id = document["id"].as_str().expect("id").to_owned();
    let url = document["downloadUrl"].as_str().expect("url").to_owned();
    assert_eq!(url, format!("/documents/{id}"));

    let listed = documents(&billing).await;
    assert_eq!(listed[0]["id"], id.as_str(), "newest first");
    assert_eq!(listed[0]["type"], "COMPANY_REGISTRATION");
    assert_eq!(listed[0]["status"], "PENDING");

    let (status, headers, body) = download(app, &url, Some(billing.token())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, bytes, "byte for byte what was sent");
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Extrait Kbis.pdf\"; filename*=UTF-8''Extrait%20Kbis.pdf"
    );
    assert_eq!(headers["etag"], format!("\"{}\"", sha256(&bytes)).as_str());
    // The viewer and staff read it too.
    for session in [app.as_viewer("Acme Telecom").await, app.as_staff().await] {
        let (status, _, again) = download(app, &url, Some(session.token())).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again, bytes);
    }
    assert_eq!(billing.audit_count("document.upload").await, 1);
    assert_eq!(billing.audit_count("document.download").await, 3);
    (id, bytes)
}

/// 10 MiB is accepted; one byte more is refused with a clear error, and nothing is kept.
pub async fn the_size_limit(app: &TestApp) {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let query = [("type", "other"), ("name", "big.pdf")];
    let document = uploaded(app, billing.token(), &query, pdf(MAX_BYTES)).await;
    assert_eq!(document["sizeBytes"], MAX_BYTES);

    let (status, body) = upload(app, Some(billing.token()), &query, pdf(MAX_BYTES + 1)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    let refused = extensions(&body);
    assert_eq!(refused["code"], "BAD_USER_INPUT");
    assert_eq!(refused["field"], "file");
    assert_eq!(refused["reason"], "TOO_LARGE");
    assert_eq!(
        body["errors"][0]["message"],
        "the file is larger than 10 MiB"
    );
    assert_eq!(documents(&billing).await.len(), 1, "only the first is kept");
    assert_eq!(billing.audit_count("document.upload").await, 1);
}

/// What is not a PDF, PNG or JPEG by its bytes is refused, whatever its name and declared
/// type: an executable named `.pdf`, an HTML page, an empty file.
pub async fn types_by_content(app: &TestApp) {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let mut executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    executable.resize(4096, 0);
    for (name, bytes) in [
        ("invoice.pdf", executable),
        (
            "scan.png",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
    ] {
        let query = [("type", "other"), ("name", name)];
        let (status, body) = upload(app, Some(billing.token()), &query, bytes).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{name}: {body}");
        assert_eq!(extensions(&body)["reason"], "UNSUPPORTED_TYPE");
        assert_eq!(extensions(&body)["field"], "file");
    }
    let (status, body) = upload(
        app,
        Some(billing.token()),
        &[("type", "other"), ("name", "empty.pdf")],
        Vec::new(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(extensions(&body)["reason"], "EMPTY");
    assert!(documents(&billing).await.is_empty(), "nothing kept");
    // A PNG and a JPEG by their signatures, whatever they are called.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.resize(64, 0);
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    jpeg.resize(64, 0);
    for (name, bytes, content_type, stored) in [
        ("photo.pdf", png, "image/png", "photo.pdf.png"),
        ("scan", jpeg, "image/jpeg", "scan.jpg"),
    ] {
        let query = [("type", "other"), ("name", name)];
        let document = uploaded(app, billing.token(), &query, bytes).await;
        assert_eq!(document["contentType"], content_type);
        assert_eq!(document["fileName"], stored);
    }
}

e2e_test!(
    a_document_comes_back_byte_for_byte_to_its_organisation,
    |app| {
        round_trip(&app).await;
    }
);

e2e_test!(ten_mib_is_accepted_and_one_byte_more_refused, |app| {
    the_size_limit(&app).await;
});

e2e_test!(the_bytes_decide_the_type_not_the_name, |app| {
    types_by_content(&app).await;
});

/// Hostile file names are shown made safe and never reach the store: every object is under
/// `vault/<customer>/<document>-<sha256>`. Returns the documents, for the store's own check.
pub async fn hostile_names(app: &TestApp) -> Vec<serde_json::Value> {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let mut kept = Vec::new();
    for (name, shown) in [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\boot.ini", "boot.ini.pdf"),
        ("a\r\nX-Evil: 1\u{0}.pdf", "aX-Evil 1.pdf"),
        ("in\u{202E}fdp.exe", "infdp.exe.pdf"),
    ] {
        let document = uploaded(
            app,
            billing.token(),
            &[("type", "other"), ("name", name)],
            pdf(1000),
        )
        .await;
        assert_eq!(document["fileName"], shown, "{name:?}");
        let url = document["downloadUrl"].as_str().expect("url");
        let (status, headers, _) = download(app, url, Some(billing.token())).await;
        assert_eq!(status, StatusCode::OK);
        let disposition = headers["content-disposition"]
            .to_str()
            .expect("ASCII header");
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{disposition}"
        );
        assert!(!disposition.contains(".."), "{disposition}");
        kept.push(document);
    }
    kept
}

e2e_test!(hostile_file_names_are_stored_safely, |app| {
    let kept = hostile_names(&app).await;
    // The local store holds each document under our key, and nothing else.
    let root = app.data_dir().join("documents");
    let acme = app.customer_id("Acme Telecom").await;
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read the store") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(
                    path.strip_prefix(&root)
                        .expect("under the store")
                        .to_owned(),
                );
            }
        }
    }
    let mut expected: Vec<_> = kept
        .iter()
        .map(|d| {
            std::path::PathBuf::from(format!(
                "vault/{acme}/{}-{}",
                d["id"].as_str().expect("id"),
                d["sha256"].as_str().expect("sha256")
            ))
        })
        .collect();
    files.sort();
    expected.sort();
    assert_eq!(files, expected);
});

e2e_test!(
    only_owners_billing_admins_and_staff_upload_with_a_bearer_token,
    |app| {
        let billing = app.as_billing_admin("Acme Telecom").await;
        let query = [("type", "other"), ("name", "a.pdf")];
        // No credentials; the session cookie alone (what a cross-site form would carry).
        let (status, body) = upload(&app, None, &query, pdf(100)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(extensions(&body)["code"], "UNAUTHENTICATED");
        let response = app
            .client
            .post(format!("{}/documents?type=other&name=a.pdf", app.address))
            .header("cookie", format!("billfold_session={}", billing.token()))
            .body(pdf(100))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        // A viewer may not.
        let viewer = app.as_viewer("Acme Telecom").await;
        let (status, body) = upload(&app, Some(viewer.token()), &query, pdf(100)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        // Inputs the route refuses, each on its field.
        for (query, field) in [
            (vec![("type", "passport"), ("name", "a.pdf")], "type"),
            (
                vec![("type", "proof_of_address"), ("name", "a.pdf")],
                "addressId",
            ),
            (
                vec![
                    ("type", "other"),
                    ("name", "a.pdf"),
                    ("addressId", "addr_x"),
                ],
                "addressId",
            ),
        ] {
            let (status, body) = upload(&app, Some(billing.token()), &query, pdf(100)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(extensions(&body)["field"], field, "{body}");
        }
        let staff = app.as_staff().await;
        let (status, body) = upload(&app, Some(staff.token()), &query, pdf(100)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(extensions(&body)["field"], "customerId");
        assert!(documents(&billing).await.is_empty(), "nothing kept");
        assert_eq!(billing.audit_count("document.upload").await, 0);
    }
);

e2e_test!(another_tenants_document_and_address_are_not_found, |app| {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let document = uploaded(
        &app,
        billing.token(),
        &[("type", "iban_mandate"), ("name", "mandate.pdf")],
        pdf(500),
    )
    .await;
    let url = document["downloadUrl"].as_str().expect("url");
    for role in [
        tests::Role::Owner,
        tests::Role::BillingAdmin,
        tests::Role::Viewer,
    ] {
        let intruder = app.as_role("Globex", role).await;
        let (status, headers, _) = download(&app, url, Some(intruder.token())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "as if it did not exist");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(documents(&intruder).await.is_empty());
    }
    let (status, _, _) = download(&app, url, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = download(&app, "/documents/doc_nothing", Some(billing.token())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Globex cannot attach a proof to Acme's address, nor upload into Acme.
    let addresses: serde_json::Value = billing
        .data(
            "addresses",
            "{ viewer { organisation { id billingAddresses { id } } } }",
            json!({}),
        )
        .await;
    let acme_address = addresses["viewer"]["organisation"]["billingAddresses"][0]["id"]
        .as_str()
        .expect("an address")
        .to_owned();
    let acme = addresses["viewer"]["organisation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let globex = app.as_owner("Globex").await;
    for query in [
        vec![
            ("type", "proof_of_address"),
            ("name", "p.pdf"),
            ("addressId", acme_address.as_str()),
        ],
        vec![
            ("type", "other"),
            ("name", "p.pdf"),
            ("customerId", acme.as_str()),
        ],
    ] {
        let (status, body) = upload(&app, Some(globex.token()), &query, pdf(100)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    assert_eq!(documents(&billing).await.len(), 1);
});
