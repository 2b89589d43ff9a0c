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
