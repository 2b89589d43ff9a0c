//! The console's invoice page, after the money came in: staff download the PDF, send the
//! invoice again, refund part of a payment (once, however often the form is sent; more than
//! was paid is refused beside that payment) and issue a credit note for an amount of a line
//! (more than the line is refused beside it), whose PDF downloads too. Support is refused the
//! money operations above the form, and nothing changes.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::html::{field, form, page};
use tests::{Session, TestApp, e2e_test};

use super::console_session;

/// A paid invoice of one quick charge of 150 for `customer`, paid by bank transfer; its id.
async fn paid_invoice(staff: &Session<'_>, customer: &str) -> String {
    let data: Value = staff
        .data(
            "createCharges",
            "mutation C($input: CreateChargesInput!) { createCharges(input: $input) { invoice { id } } }",
            json!({ "input": { "customerId": customer, "timing": "INVOICE_NOW",
                "confirmUnpaidInvoices": true,
                "charges": [{ "description": "Installation", "amount": "150" }] } }),
        )
        .await;
    let invoice = data["createCharges"]["invoice"]["id"]
        .as_str()
        .expect("an invoice")
        .to_owned();
    let _: Value = staff
        .data(
            "recordOfflinePayment",
            "mutation P($input: RecordOfflinePaymentInput!) {
                recordOfflinePayment(input: $input) { payment { id } } }",
            json!({ "input": { "invoiceId": invoice, "amount": "150", "method": "Bank transfer" } }),
        )
        .await;
    invoice
}

/// GETs `path` with `cookies`: the status, the content type and the body.
async fn download(app: &TestApp, cookies: &str, path: &str) -> (StatusCode, String, Vec<u8>) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .header(reqwest::header::COOKIE, cookies)
        .send()
        .await
        .expect("sent");
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (
        status,
        content_type,
        response.bytes().await.expect("body").to_vec(),
    )
}

/// The `<tr>` of `table_id` that contains `needle`.
fn row<'a>(html: &'a str, table_id: &str, needle: &str) -> &'a str {
    let table = html
        .split(&format!("<table id=\"{table_id}\">"))
        .nth(1)
        .unwrap_or_else(|| panic!("no table {table_id}: {html}"));
    table
        .split("<tr")
        .find(|row| row.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle} in {table_id}: {table}"))
}

e2e_test!(
    staff_send_download_refund_and_credit_a_paid_invoice,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let invoice = paid_invoice(&staff, &acme).await;
        let path = format!("/admin/customers/{acme}/invoices/{invoice}");
        let (cookies, token) = console_session(&app, "billing@billfold.example").await;

        // The PDF, under the console's own path and cookie.
        let html = page(&app, &cookies, &path).await;
        assert!(html.contains(&format!("href=\"{path}/pdf\"")), "{html}");
        let (status, content_type, bytes) = download(&app, &cookies, &format!("{path}/pdf")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type, "application/pdf");
        assert!(bytes.starts_with(b"%PDF"), "a PDF");
        let (status, _, _) = download(&app, "", &format!("{path}/pdf")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "no session: sign in first");

        // Sent again: the copy is listed.
        let sent = form(
            &app,
            &cookies,
            &format!("{path}/send"),
            &[("csrf", token.as_str())],
        )
        .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, &format!("{path}?done=invoice-sent")).await;
        assert!(html.contains("The invoice is on its way"), "{html}");
        assert!(html.contains("Invoice copy to "), "{html}");

        // A refund of more than was paid is refused beside the payment; 40 is refunded once
        // although the form is sent twice.
        let payment_row = row(&html, "payments", "Bank transfer").to_owned();
        let payment = field(&payment_row, "payment");
        let key = field(&payment_row, "key");
        let refund = |amount: &'static str| {
            let (cookies, token, path, payment, key) = (
                cookies.clone(),
                token.clone(),
                path.clone(),
                payment.clone(),
                key.clone(),
            );
            let app = &app;
            async move {
                form(
                    app,
                    &cookies,
                    &format!("{path}/refund"),
                    &[
                        ("csrf", token.as_str()),
                        ("payment", payment.as_str()),
                        ("amount", amount),
                        ("reason", "Installation took one day less"),
                        ("key", key.as_str()),
                    ],
                )
                .await
            }
        };
        let refused = refund("400").await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(
            html.contains(&format!("id=\"refund-error-{payment}\"")),
            "{html}"
        );
        assert_eq!(refund("40").await.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            refund("40").await.status(),
            StatusCode::SEE_OTHER,
            "the same key: once"
        );
        let html = page(&app, &cookies, &path).await;
        let payment_row = row(&html, "payments", "Bank transfer");
        assert!(
            payment_row.contains("€40.00"),
            "refunded once: {payment_row}"
        );

        // A credit note: more than the line is refused beside the line; 20 of it is credited.
        let credit = |amount: &'static str| {
            let (cookies, token, path) = (cookies.clone(), token.clone(), path.clone());
            let app = &app;
            async move {
                form(
                    app,
                    &cookies,
                    &format!("{path}/credit-note"),
                    &[
                        ("csrf", token.as_str()),
                        ("reason", "Goodwill"),
                        ("line-0", amount),
                    ],
                )
                .await
            }
        };
        let refused = credit("1000").await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(
            html.contains("id=\"line-0-error\"") || html.contains("id=\"credit-error\""),
            "{html}"
        );
        assert!(
            html.contains("value=\"1000\""),
            "what was typed is kept: {html}"
        );
        assert_eq!(credit("20").await.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, &format!("{path}?done=credit-note-issued")).await;
        assert!(html.contains("The credit note is issued"), "{html}");
        let note = row(&html, "credit-notes", "Goodwill");
        let pdf = note
            .split("href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a PDF link")
            .to_owned();
        let (status, content_type, bytes) = download(&app, &cookies, &pdf).await;
        assert_eq!(
            (status, content_type.as_str()),
            (StatusCode::OK, "application/pdf")
        );
        assert!(bytes.starts_with(b"%PDF"));

        // Support reads the page; the API refuses its credit note, shown above the form.
        let (support, support_token) = console_session(&app, "support@billfold.example").await;
        let refused = form(
            &app,
            &support,
            &format!("{path}/credit-note"),
            &[
                ("csrf", support_token.as_str()),
                ("reason", "Mine"),
                ("whole", "on"),
            ],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"credit-error\""), "{html}");
        assert_eq!(
            html.matches("Goodwill").count(),
            1,
            "still one credit note: {html}"
        );
    }
);
