//! The operator's setting that customers add no licenses while an invoice is overdue: the
//! refusal names the invoice and the amount (GraphQL and the portal's form); removals, staff and
//! customers with nothing overdue go on; paying the invoice lifts it.

use chrono::Days;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::html::{field, form, page, signed_in};
use tests::{assert_code, assert_ok, e2e_test};

const PREVIEW: &str = "mutation P($input: PreviewLicenseChangeInput!) {
    previewLicenseChange(input: $input) { quote { id } } }";

e2e_test!(
    additions_wait_for_overdue_invoices_to_be_paid,
    config = |config: &mut api::config::Config| config.billing.refuse_additions_when_overdue = true,
    |app| {
        let report = tests::bill_demo_next_period(&app).await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let item = billing
            .data::<Value>(
                "licenses",
                "{ viewer { organisation { licenses { id } } } }",
                json!({}),
            )
            .await["viewer"]["organisation"]["licenses"][0]["id"]
            .as_str()
            .expect("an item")
            .to_owned();
        let preview = |delta: i64| json!({ "input": { "itemId": item, "delta": delta } });

        // Issued and due on the first of next month: on that day it is not overdue yet.
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let billed = report
            .invoiced
            .iter()
            .find(|b| b.customer.to_string() == acme)
            .expect("Acme billed");
        let due = billed.period_start;
        let at = |day: chrono::NaiveDate| day.and_hms_opt(10, 0, 0).expect("time").and_utc();
        app.app.services.clock.set(at(due));
        assert_ok(&billing.graphql(PREVIEW, preview(1)).await);

        // The day after, it is: additions are refused with the invoice and amount.
        app.app.services.clock.set(at(due + Days::new(1)));
        let refused = billing.graphql(PREVIEW, preview(1)).await;
        assert_code(&refused, "OVERDUE_INVOICES");
        let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(&billed.number) && message.contains("€768.00"),
            "{message}"
        );
        // Removals go on, and so do staff (who may act for the customer).
        assert_ok(&billing.graphql(PREVIEW, preview(-1)).await);
        assert_ok(&staff.graphql(PREVIEW, preview(1)).await);
        // Globex's own invoice is overdue too: its refusal names its own invoice, never Acme's.
        let globex = app.as_billing_admin("Globex").await;
        let globex_item = globex
            .data::<Value>(
                "licenses",
                "{ viewer { organisation { licenses { id } } } }",
                json!({}),
            )
            .await["viewer"]["organisation"]["licenses"][0]["id"]
            .as_str()
            .expect("an item")
            .to_owned();
        let globex_refused = globex
            .graphql(
                PREVIEW,
                json!({ "input": { "itemId": globex_item, "delta": 1 } }),
            )
            .await;
        assert_code(&globex_refused, "OVERDUE_INVOICES");
        let globex_message = globex_refused["errors"][0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(!globex_message.contains(&billed.number), "{globex_message}");

        // The portal's form shows the refusal next to it.
        let (cookies, csrf) = signed_in(&app, "billing@acme.example").await;
        let licenses = page(&app, &cookies, "/licenses").await;
        let response = form(
            &app,
            &cookies,
            "/licenses/quote",
            &[
                ("csrf", &csrf),
                ("item_id", &field(&licenses, "item_id")),
                ("quantity", "1"),
                ("action", "add"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("html");
        assert!(html.contains(&billed.number), "{html}");

        // Paid: additions go on.
        assert_ok(
            &staff
                .graphql(
                    "mutation M($input: SettleInvoiceInput!) { markInvoicePaid(input: $input) { invoice { id } } }",
                    json!({ "input": { "invoiceId": billed.invoice.to_string() } }),
                )
                .await,
        );
        assert_ok(&billing.graphql(PREVIEW, preview(1)).await);
    }
);

e2e_test!(additions_are_not_refused_when_the_setting_is_off, |app| {
    let report = tests::bill_demo_next_period(&app).await;
    let due = report.invoiced[0].period_start;
    app.app.services.clock.set(
        (due + Days::new(10))
            .and_hms_opt(10, 0, 0)
            .expect("time")
            .and_utc(),
    );
    let billing = app.as_billing_admin("Acme Telecom").await;
    let item = billing
        .data::<Value>(
            "licenses",
            "{ viewer { organisation { licenses { id } } } }",
            json!({}),
        )
        .await["viewer"]["organisation"]["licenses"][0]["id"]
        .as_str()
        .expect("an item")
        .to_owned();
    assert_ok(
        &billing
            .graphql(PREVIEW, json!({ "input": { "itemId": item, "delta": 1 } }))
            .await,
    );
});
