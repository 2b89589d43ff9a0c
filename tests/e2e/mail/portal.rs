//! Documents and e-mail in the portal, over plain HTTP as a browser without JavaScript sees
//! it: an invoice's page and the history link the PDFs, which download with the session
//! cookie; "Send me this invoice again" queues a copy to the signed-in user and the page lists
//! it in words; "Receive your invoices by e-mail" changes where invoices go for owners and
//! billing admins, shows a refused address beside its field, and changes nothing for a
//! viewer, another organisation or a form without its CSRF token.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION};
use serde_json::{Value, json};
use tests::html::{field, form, page, signed_in, unescape};
use tests::{TestApp, bill_demo_next_period, e2e_test};

/// Bills the demo's next period; answers Acme's and Globex's new invoice ids.
async fn bill(app: &TestApp) -> (String, String) {
    let report = bill_demo_next_period(app).await;
    let invoice_of = |id: String| {
        report
            .invoiced
            .iter()
            .find(|b| b.customer.to_string() == id)
            .unwrap_or_else(|| panic!("{id} was billed"))
            .invoice
            .to_string()
    };
    (
        invoice_of(app.customer_id("Acme Telecom").await),
        invoice_of(app.customer_id("Globex").await),
    )
}

/// GETs `path` with `cookies` (none when empty): status, content type, body.
async fn get(app: &TestApp, cookies: &str, path: &str) -> (StatusCode, String, Vec<u8>) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if !cookies.is_empty() {
        request = request.header(COOKIE, cookies);
    }
    let response = request.send().await.expect("sent");
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (
        status,
        content_type,
        response.bytes().await.expect("body").to_vec(),
    )
}

/// The `href` of the element with `id`.
fn href_of(html: &str, id: &str) -> String {
    let tag = html
        .split('<')
        .find(|tag| tag.contains(&format!("id=\"{id}\"")))
        .unwrap_or_else(|| panic!("no #{id}: {html}"));
    unescape(
        tag.split("href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("#{id} has no href: {tag}")),
    )
}

/// Acme's invoice `id`'s e-mails, read over GraphQL by its billing admin.
async fn emails_of(app: &TestApp, id: &str) -> Vec<Value> {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let data: Value = billing
        .data(
            "emails",
            "query E($id: ID!) { viewer { organisation { invoice(id: $id) {
                emails { kind recipient status } } } } }",
            json!({ "id": id }),
        )
        .await;
    data["viewer"]["organisation"]["invoice"]["emails"]
        .as_array()
        .expect("emails")
        .clone()
}

/// Where Acme's invoices go now: (invoiceEmail, emailInvoices), read over GraphQL.
async fn acme_delivery(app: &TestApp) -> (String, bool) {
    let owner = app.as_owner("Acme Telecom").await;
    let data: Value = owner
        .data(
            "delivery",
            "{ viewer { organisation { invoiceEmail emailInvoices } } }",
            json!({}),
        )
        .await;
    let organisation = &data["viewer"]["organisation"];
    (
        organisation["invoiceEmail"]
            .as_str()
            .expect("address")
            .to_owned(),
        organisation["emailInvoices"].as_bool().expect("setting"),
    )
}

e2e_test!(
    the_invoice_pages_link_the_pdfs_which_download_with_the_session_cookie,
    |app| {
        let (acme, globex) = bill(&app).await;
        let staff = app.as_staff().await;
        let note = staff
            .graphql(
                "mutation C($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) {
                    creditNote { id number } } }",
                json!({ "input": { "invoiceId": acme, "reason": "Outage on 3 May",
                    "lines": [{ "line": 0, "amount": "10" }] } }),
            )
            .await;
        tests::assert_ok(&note);
        let note = &note["data"]["issueCreditNote"]["creditNote"];
        let note_pdf = format!("/credit-notes/{}.pdf", note["id"].as_str().expect("id"));

        let (cookies, _) = signed_in(&app, "viewer@acme.example").await;
        let invoice = unescape(&page(&app, &cookies, &format!("/invoice?id={acme}")).await);
        let pdf = href_of(&invoice, "download-pdf");
        assert_eq!(pdf, format!("/invoices/{acme}.pdf"));
        assert!(
            invoice.contains(&format!("href=\"{pdf}\" download")),
            "a download link: {invoice}"
        );
        assert!(
            invoice.contains(&format!("href=\"{note_pdf}\" download")),
            "the credit note's PDF: {invoice}"
        );
        let history = unescape(&page(&app, &cookies, "/invoices").await);
        assert!(
            history.contains(&format!("href=\"{pdf}\" download")),
            "the history links each invoice's PDF: {history}"
        );

        // The links download the PDFs with the portal's session cookie alone.
        for path in [&pdf, &note_pdf] {
            let (status, content_type, body) = get(&app, &cookies, path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(content_type, "application/pdf", "{path}");
            assert!(body.starts_with(b"%PDF-"), "{path} is a PDF");
            // Without a session, or as another organisation: nothing there.
            assert_eq!(get(&app, "", path).await.0, StatusCode::NOT_FOUND, "{path}");
            let (globex_cookies, _) = signed_in(&app, "billing@globex.example").await;
            assert_eq!(
                get(&app, &globex_cookies, path).await.0,
                StatusCode::NOT_FOUND,
                "{path} as Globex"
            );
        }
        let (status, _, _) = get(&app, &cookies, &format!("/invoices/{globex}.pdf")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "Globex's PDF as Acme");
    }
);

e2e_test!(
    send_me_this_invoice_again_queues_a_copy_to_whoever_pressed_it,
    |app| {
        let (acme, globex) = bill(&app).await;
        // Any role may ask, viewers included; each copy goes to the user who asked.
        for email in ["viewer@acme.example", "billing@acme.example"] {
            let (cookies, csrf) = signed_in(&app, email).await;
            let link = format!("/invoice?id={acme}");
            let before = page(&app, &cookies, &link).await;
            assert!(
                before.contains("Send me this invoice again"),
                "{email}: {before}"
            );
            assert!(
                before.contains(&format!("A copy with the PDF goes to {email}.")),
                "{before}"
            );

            let response = form(
                &app,
                &cookies,
                "/invoice/copy",
                &[("csrf", &csrf), ("invoice_id", &acme)],
            )
            .await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email}");
            let location = response.headers()[LOCATION].to_str().expect("location");
            assert_eq!(location, format!("{link}&done=invoice-copy"));
            let after = page(&app, &cookies, location).await;
            assert!(
                after.contains(&format!(
                    "<p class=\"notice\" role=\"status\" id=\"notice\">A copy is on its way to {email}.</p>"
                )),
                "{after}"
            );
            assert!(
                after.contains(&format!(
                    "<tr><td>A copy, on request</td><td class=\"recipient\" data-label=\"To\">{email}</td><td>Waiting to be sent</td></tr>"
                )),
                "{after}"
            );
        }
        let copies = |emails: &[Value]| {
            let mut copies: Vec<String> = emails
                .iter()
                .filter(|e| e["kind"] == "INVOICE_COPY")
                .map(|e| format!("{} {}", e["recipient"], e["status"]))
                .collect();
            copies.sort();
            copies
        };
        let emails = emails_of(&app, &acme).await;
        assert_eq!(
            copies(&emails),
            [
                "\"billing@acme.example\" \"PENDING\"",
                "\"viewer@acme.example\" \"PENDING\""
            ],
            "{emails:?}"
        );
        assert!(
            emails
                .iter()
                .any(|e| e["kind"] == "INVOICE" && e["recipient"] == "accounts@acme.example"),
            "the invoice's own e-mail: {emails:?}"
        );

        // Sent, the page says when, in the organisation's time; the invoice's own e-mail too.
        app.app.services.mail.deliver_due().await.expect("deliver");
        let (cookies, csrf) = signed_in(&app, "viewer@acme.example").await;
        let sent = page(&app, &cookies, &format!("/invoice?id={acme}")).await;
        assert!(
            sent.contains(
                "<tr><td>The invoice, when issued</td><td class=\"recipient\" data-label=\"To\">accounts@acme.example</td><td>Sent on "
            ),
            "{sent}"
        );
        assert!(
            sent.contains(
                "<td class=\"recipient\" data-label=\"To\">viewer@acme.example</td><td>Sent on "
            ),
            "{sent}"
        );
        assert!(!sent.contains("Waiting to be sent"), "{sent}");

        // Refused, nothing queued: no token, a forged token, another organisation's invoice.
        let count = emails_of(&app, &acme).await.len();
        for (fields, expected) in [
            (vec![("invoice_id", acme.as_str())], StatusCode::FORBIDDEN),
            (
                vec![("csrf", "forged"), ("invoice_id", acme.as_str())],
                StatusCode::FORBIDDEN,
            ),
            (
                vec![("csrf", csrf.as_str()), ("invoice_id", globex.as_str())],
                StatusCode::NOT_FOUND,
            ),
        ] {
            let response = form(&app, &cookies, "/invoice/copy", &fields).await;
            assert_eq!(response.status(), expected, "{fields:?}");
        }
        assert_eq!(emails_of(&app, &acme).await.len(), count);
        let globex_emails: Value = app
            .as_billing_admin("Globex")
            .await
            .data(
                "emails",
                "query E($id: ID!) { viewer { organisation { invoice(id: $id) { emails { kind } } } } }",
                json!({ "id": globex }),
            )
            .await;
        let globex_emails = globex_emails["viewer"]["organisation"]["invoice"]["emails"]
            .as_array()
            .expect("emails")
            .clone();
        assert!(
            !globex_emails.is_empty() && globex_emails.iter().all(|e| e["kind"] == "INVOICE"),
            "Globex's invoice went out as issued, and no copy of it: {globex_emails:?}"
        );
    }
);

e2e_test!(
    the_delivery_form_changes_where_invoices_go_and_shows_a_bad_address_beside_it,
    |app| {
        let (cookies, csrf) = signed_in(&app, "billing@acme.example").await;
        let history = page(&app, &cookies, "/invoices").await;
        assert!(
            history.contains("<h2 id=\"delivery-heading\">Receive your invoices by e-mail</h2>"),
            "{history}"
        );
        assert!(
            history.contains("<strong id=\"delivery-address\">accounts@acme.example</strong>"),
            "{history}"
        );
        assert!(
            history.contains(
                "(your organisation's address), and to the <a href=\"/contacts\">contacts</a> marked to receive invoices."
            ),
            "{history}"
        );
        assert!(
            history.contains("name=\"email\" value=\"\""),
            "empty: the organisation's own address: {history}"
        );
        assert!(
            history.contains("id=\"delivery-enabled\" name=\"enabled\" value=\"on\" checked"),
            "{history}"
        );
        assert!(
            history.contains("E-mail me each invoice and credit note when it is issued"),
            "{history}"
        );
        let customer = field(&history, "customer_id");
        let post = |fields: Vec<(&'static str, String)>| {
            let (app, cookies) = (&app, &cookies);
            async move {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
                form(app, cookies, "/invoice-delivery", &fields).await
            }
        };
        let fields = |email: &str, enabled: bool| {
            let mut fields = vec![
                ("csrf", csrf.clone()),
                ("customer_id", customer.clone()),
                ("email", email.to_owned()),
            ];
            if enabled {
                fields.push(("enabled", "on".to_owned()));
            }
            fields
        };

        // Another address: saved, confirmed, shown, and what the API says.
        let saved = post(fields(" finance@acme.example ", true)).await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let location = saved.headers()[LOCATION].to_str().expect("location");
        assert_eq!(location, "/invoices?done=invoice-delivery");
        let shown = page(&app, &cookies, location).await;
        assert!(
            shown.contains(
                "id=\"delivery-notice\">Saved: invoices and credit notes now go to finance@acme.example.</p>"
            ),
            "{shown}"
        );
        assert!(
            shown.contains("name=\"email\" value=\"finance@acme.example\""),
            "{shown}"
        );
        assert_eq!(
            acme_delivery(&app).await,
            ("finance@acme.example".to_owned(), true)
        );

        // A bad address: the page again (422), the message beside the field, the form as
        // typed, nothing changed.
        let refused = post(fields("not an address", false)).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(
            html.contains("name=\"email\" value=\"not an address\""),
            "kept as typed: {html}"
        );
        assert!(
            html.contains("aria-invalid=\"true\" aria-describedby=\"delivery-email-hint delivery-email-error\" autofocus"),
            "{html}"
        );
        assert!(
            html.contains("<p id=\"delivery-email-error\" class=\"field-error\">enter an e-mail address like name@example.com</p>"),
            "{html}"
        );
        assert!(
            html.contains("id=\"delivery-enabled\" name=\"enabled\" value=\"on\">"),
            "unticked, as submitted: {html}"
        );
        assert!(html.contains("<details open>"), "{html}");
        assert!(
            html.contains("No invoice yet"),
            "the rest of the page too: {html}"
        );
        assert_eq!(
            acme_delivery(&app).await,
            ("finance@acme.example".to_owned(), true)
        );

        // Refused without the page's CSRF token, missing or forged: nothing changed.
        for token in [None, Some("forged")] {
            let mut attempt = fields("forged@evil.example", false);
            attempt.retain(|(name, _)| *name != "csrf");
            if let Some(token) = token {
                attempt.push(("csrf", token.to_owned()));
            }
            assert_eq!(post(attempt).await.status(), StatusCode::FORBIDDEN);
        }
        assert_eq!(
            acme_delivery(&app).await,
            ("finance@acme.example".to_owned(), true)
        );

        // Blank and unticked: back to the organisation's own address, and no e-mails.
        let off = post(fields("", false)).await;
        assert_eq!(off.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            acme_delivery(&app).await,
            ("accounts@acme.example".to_owned(), false)
        );
        let shown = page(&app, &cookies, "/invoices?done=invoice-delivery").await;
        assert!(
            shown.contains("Saved: invoices and credit notes are no longer e-mailed."),
            "{shown}"
        );
        assert!(
            shown
                .contains("Invoices and credit notes are <strong>not e-mailed</strong>, to anyone"),
            "{shown}"
        );
        assert!(
            shown.contains("id=\"delivery-enabled\" name=\"enabled\" value=\"on\">"),
            "{shown}"
        );

        // A filter the page refuses still shows the card.
        let (status, _, body) = get(&app, &cookies, "/invoices?status=draft").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            String::from_utf8_lossy(&body).contains("id=\"delivery-status\""),
            "the card on a refused filter"
        );
    }
);

e2e_test!(
    a_viewer_reads_the_delivery_setting_without_a_form_and_cannot_forge_one,
    |app| {
        let (cookies, csrf) = signed_in(&app, "viewer@acme.example").await;
        let history = page(&app, &cookies, "/invoices").await;
        assert!(
            history.contains("<strong id=\"delivery-address\">accounts@acme.example</strong>"),
            "{history}"
        );
        assert!(
            history.contains("Owners and billing admins of your organisation can change this."),
            "{history}"
        );
        for control in ["/invoice-delivery", "delivery-email", "delivery-enabled"] {
            assert!(
                !history.contains(control),
                "a viewer must not see {control}"
            );
        }

        // The form a billing admin would post, posted by the viewer: the API refuses it.
        let acme = app.customer_id("Acme Telecom").await;
        let forged = form(
            &app,
            &cookies,
            "/invoice-delivery",
            &[
                ("csrf", &csrf),
                ("customer_id", &acme),
                ("email", "viewer@acme.example"),
            ],
        )
        .await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            acme_delivery(&app).await,
            ("accounts@acme.example".to_owned(), true)
        );

        // Acme's billing admin aiming at Globex: not found, like a missing organisation.
        let globex_delivery = || async {
            let data: Value = app
                .as_owner("Globex")
                .await
                .data(
                    "delivery",
                    "{ viewer { organisation { invoiceEmail emailInvoices } } }",
                    json!({}),
                )
                .await;
            data["viewer"]["organisation"].clone()
        };
        let globex_before = globex_delivery().await;
        let (cookies, csrf) = signed_in(&app, "billing@acme.example").await;
        let globex = app.customer_id("Globex").await;
        let across = form(
            &app,
            &cookies,
            "/invoice-delivery",
            &[
                ("csrf", &csrf),
                ("customer_id", &globex),
                ("email", "billing@acme.example"),
                ("enabled", "on"),
            ],
        )
        .await;
        assert_eq!(across.status(), StatusCode::NOT_FOUND);
        assert_eq!(globex_delivery().await, globex_before);
    }
);
