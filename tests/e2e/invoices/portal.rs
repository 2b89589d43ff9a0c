//! The portal's invoice pages over plain HTTP: the history links each invoice, an invoice page
//! shows its lines and totals, a viewer reads them too, and another organisation's invoice is a
//! 404 like a missing one.

use reqwest::StatusCode;
use reqwest::header::COOKIE;
use serde_json::json;
use tests::html::{page, signed_in, unescape};
use tests::{TestApp, e2e_test};

/// Bills the demo subscriptions' next period; returns each organisation's invoice id.
async fn bill_demo(app: &TestApp) -> (String, String) {
    tests::bill_demo_next_period(app).await;
    let staff = app.as_staff().await;
    let mut ids = Vec::new();
    for name in ["Acme Telecom", "Globex"] {
        let id = staff.customer_id(name).await;
        let body = staff
            .graphql(
                "query I($id: ID!) { customer(id: $id) { invoices(first: 1) { nodes { id } } } }",
                json!({ "id": id }),
            )
            .await;
        ids.push(
            body["data"]["customer"]["invoices"]["nodes"][0]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{name} has an invoice: {body}"))
                .to_owned(),
        );
    }
    (ids[0].clone(), ids[1].clone())
}

e2e_test!(
    the_history_links_each_invoice_and_its_page_shows_the_lines,
    |app| {
        let (acme, globex) = bill_demo(&app).await;
        for email in ["billing@acme.example", "viewer@acme.example"] {
            let (cookies, _) = signed_in(&app, email).await;
            let history = page(&app, &cookies, "/invoices").await;
            assert!(history.contains("INV-"), "{email}: {history}");
            let link = format!("/invoice?id={acme}");
            assert!(unescape(&history).contains(&link), "{email}: {history}");
            assert!(history.contains("€768.00"), "10 × €64 + 20 %: {history}");

            let invoice = page(&app, &cookies, &link).await;
            assert!(
                invoice.contains("10 ADVANCED licenses at €64.00 each"),
                "{invoice}"
            );
            assert!(invoice.contains("id=\"amount-due\">€768.00"), "{invoice}");
            assert!(invoice.contains("Open"), "{invoice}");

            // Globex's invoice, from Acme: the same 404 as an invoice that does not exist.
            for id in [
                globex.clone(),
                format!("inv_{}", uuid::Uuid::now_v7().simple()),
            ] {
                let response = app
                    .client
                    .get(format!("{}/invoice?id={id}", app.address))
                    .header(COOKIE, &cookies)
                    .send()
                    .await
                    .expect("sent");
                assert_eq!(response.status(), StatusCode::NOT_FOUND, "{email}: {id}");
            }
        }
    }
);

e2e_test!(
    malformed_invoice_addresses_are_bad_requests_not_errors,
    |app| {
        let (cookies, _) = signed_in(&app, "billing@acme.example").await;
        for path in ["/invoice?id=garbage", "/invoice", "/invoices?after=garbage"] {
            let response = app
                .client
                .get(format!("{}{path}", app.address))
                .header(COOKIE, &cookies)
                .send()
                .await
                .expect("sent");
            let status = response.status();
            assert!(
                status == StatusCode::BAD_REQUEST || status == StatusCode::NOT_FOUND,
                "{path}: {status}"
            );
        }
    }
);

e2e_test!(
    the_overview_shows_the_credit_balance_and_an_invoice_its_credits_and_credit_notes,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let top_up = staff
            .graphql(
                "mutation A($input: AdjustCreditBalanceInput!) { adjustCreditBalance(input: $input) { entry { id } } }",
                json!({ "input": { "customerId": acme, "kind": "TOP_UP", "amount": "100",
                    "description": "Prepayment by bank transfer" } }),
            )
            .await;
        tests::assert_ok(&top_up);
        for email in ["billing@acme.example", "viewer@acme.example"] {
            let (cookies, _) = signed_in(&app, email).await;
            let overview = page(&app, &cookies, "/").await;
            assert!(
                overview.contains("id=\"credit-balance\">€100.00"),
                "{email}: {overview}"
            );
            assert!(
                overview.contains("Prepayment by bank transfer"),
                "{overview}"
            );
        }

        let (invoice, _) = bill_demo(&app).await;
        let note = staff
            .graphql(
                "mutation C($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) { creditNote { number } } }",
                json!({ "input": { "invoiceId": invoice, "reason": "Outage on 3 May",
                    "lines": [{ "line": 0, "amount": "10" }] } }),
            )
            .await;
        tests::assert_ok(&note);
        let (cookies, _) = signed_in(&app, "viewer@acme.example").await;
        let page_html = page(&app, &cookies, &format!("/invoice?id={invoice}")).await;
        // €768.00 − €100.00 of credit − €12.00 credited by the note.
        assert!(
            page_html.contains("id=\"credits-applied\">−€100.00"),
            "{page_html}"
        );
        assert!(
            page_html.contains("id=\"amount-due\">€656.00"),
            "{page_html}"
        );
        assert!(page_html.contains("Outage on 3 May"), "{page_html}");
        assert!(page_html.contains("CN-"), "{page_html}");
        let overview = page(&app, &cookies, "/").await;
        assert!(
            overview.contains("id=\"credit-balance\">€0.00"),
            "{overview}"
        );
        assert!(overview.contains("Applied to invoice INV-"), "{overview}");
    }
);

/// The invoice numbers a history page lists, in order.
fn listed_numbers(html: &str) -> Vec<String> {
    html.split("<tr><td><a href=\"")
        .skip(1)
        .filter_map(|row| row.split('>').nth(1)?.split('<').next())
        .map(str::to_owned)
        .collect()
}

/// The `href` of the link with `id`.
fn link(html: &str, id: &str) -> String {
    let tag = html
        .split("<a ")
        .find(|a| a.contains(&format!("id=\"{id}\"")))
        .unwrap_or_else(|| panic!("no link {id}: {html}"));
    unescape(
        tag.split("href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("href"),
    )
}

e2e_test!(
    the_history_filters_by_status_and_dates_and_its_pages_keep_the_filter,
    |app| {
        // 52 invoices issued on 15 June, then the first paid: 51 open, one more than a page.
        app.app
            .services
            .clock
            .set(tests::instant("2026-06-15T10:00:00Z"));
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let mut ids = Vec::new();
        for i in 0..52 {
            let body = staff
                .graphql(
                    "mutation C($input: CreateChargesInput!) { createCharges(input: $input) { invoice { id } } }",
                    json!({ "input": { "customerId": acme, "timing": "INVOICE_NOW",
                        "confirmUnpaidInvoices": true,
                        "charges": [{ "description": format!("Charge {i}"), "amount": "10" }] } }),
                )
                .await;
            tests::assert_ok(&body);
            ids.push(
                body["data"]["createCharges"]["invoice"]["id"]
                    .as_str()
                    .expect("id")
                    .to_owned(),
            );
        }
        tests::assert_ok(
            &staff
                .graphql(
                    "mutation P($input: SettleInvoiceInput!) { markInvoicePaid(input: $input) { invoice { id } } }",
                    json!({ "input": { "invoiceId": ids[0] } }),
                )
                .await,
        );
        let (cookies, _) = signed_in(&app, "viewer@acme.example").await;
        let get = |path: String| {
            let (app, cookies) = (&app, &cookies);
            async move {
                let response = app
                    .client
                    .get(format!("{}{path}", app.address))
                    .header(COOKIE, cookies)
                    .send()
                    .await
                    .expect("sent");
                let status = response.status();
                (status, response.text().await.expect("html"))
            }
        };

        // No filter: a form with nothing chosen, the newest 50, a link to the rest.
        let all = page(&app, &cookies, "/invoices").await;
        assert!(
            all.contains("<option value=\"\">Any status</option>"),
            "{all}"
        );
        assert!(!all.contains(" selected"), "nothing chosen: {all}");
        assert_eq!(listed_numbers(&all).len(), 50, "{all}");
        assert_eq!(listed_numbers(&all)[0], "INV-2026-000052");
        assert!(!all.contains("id=\"clear-filter\""), "{all}");

        // Paid: the one paid invoice; the form shows the choice and offers to clear it.
        let paid = page(&app, &cookies, "/invoices?status=paid").await;
        assert_eq!(listed_numbers(&paid), ["INV-2026-000001"], "{paid}");
        assert!(
            paid.contains("<option value=\"paid\" selected>Paid</option>"),
            "{paid}"
        );
        assert_eq!(link(&paid, "clear-filter"), "/invoices");

        // Open, from and to the 15th: 50 on the first page; the next page's link keeps the
        // filter, and that page links back to the filter's newest.
        let filter = "status=open&from=2026-06-15&to=2026-06-15";
        let first = page(&app, &cookies, &format!("/invoices?{filter}")).await;
        assert_eq!(listed_numbers(&first).len(), 50, "{first}");
        assert!(
            first.contains("name=\"from\" value=\"2026-06-15\""),
            "{first}"
        );
        let older = link(&first, "older-invoices");
        assert!(
            older.starts_with(&format!("/invoices?{filter}&after=")),
            "{older}"
        );
        let second = page(&app, &cookies, &older).await;
        assert_eq!(listed_numbers(&second), ["INV-2026-000002"], "{second}");
        assert_eq!(
            link(&second, "newer-invoices"),
            format!("/invoices?{filter}")
        );
        assert!(!second.contains("id=\"older-invoices\""), "{second}");

        // Nothing issued from the 16th: the empty state says so.
        let none = page(&app, &cookies, "/invoices?from=2026-06-16").await;
        assert!(none.contains("id=\"no-match\""), "{none}");
        assert!(none.contains("No invoice matches this filter."), "{none}");
        assert!(listed_numbers(&none).is_empty());

        // A reversed range: the API's error, next to the last day; nothing listed.
        let (status, reversed) = get("/invoices?from=2026-06-15&to=2026-06-14".into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reversed}");
        assert!(
            reversed.contains("id=\"to\" name=\"to\" value=\"2026-06-14\" aria-invalid=\"true\" aria-describedby=\"to-error\""),
            "{reversed}"
        );
        assert!(
            reversed.contains(
                "<p id=\"to-error\" class=\"field-error\">the last day is before the first</p>"
            ),
            "{reversed}"
        );
        assert!(listed_numbers(&reversed).is_empty(), "{reversed}");
        assert!(!reversed.contains("id=\"no-match\""), "{reversed}");

        // Values only a hand-made address carries, each by its field.
        let (status, made) = get("/invoices?status=draft&from=15%2F06%2F2026".into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{made}");
        assert!(made.contains("id=\"status-error\""), "{made}");
        assert!(made.contains("id=\"from-error\""), "{made}");
        assert!(
            made.contains("value=\"15/06/2026\""),
            "kept as typed: {made}"
        );
    }
);
