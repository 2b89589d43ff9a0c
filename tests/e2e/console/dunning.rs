//! The console's dunning page: every open invoice still owed, collected automatically or not,
//! the earliest due first; filtered to the past-due ones or to those whose automatic
//! collection failed (with its failures, the processor's reason and the next attempt). Each row
//! links to its customer and its invoice; staff of every role read it, customers never reach
//! it, and the API's `receivables` behind it is staff-only. Billing staff charge a failed
//! invoice again from the page ("Retry now"); support is not offered it.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::html::{form, page};
use tests::{e2e_test, error_code};

use super::{console_session, console_sign_in};
use crate::payments::{DECLINED, SUCCEEDS, card, open_invoice};

e2e_test!(
    open_invoices_are_listed_and_filtered_on_the_dunning_page,
    |app| {
        let (cookies, _) = console_session(&app, "support@billfold.example").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = app.customer_id("Acme Telecom").await;
        card(&billing, &acme, DECLINED, true).await;
        let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
        let invoice_link = format!("href=\"/admin/customers/{acme}/invoices/{invoice}\"");

        // Owed and not yet collected: listed among the open invoices, with no collection yet.
        let open = page(&app, &cookies, "/admin/dunning").await;
        assert!(open.contains(&invoice_link), "{open}");
        assert!(open.contains("No failed attempt"), "{open}");
        assert!(
            open.contains(&format!(
                "href=\"/admin/customers/{acme}?tab=invoices\">Acme Telecom"
            )),
            "{open}"
        );
        let failed = page(&app, &cookies, "/admin/dunning?show=failed").await;
        assert!(!failed.contains(&invoice_link), "{failed}");
        assert!(
            failed.contains("No open invoice matches this filter."),
            "{failed}"
        );

        app.app
            .services
            .clock
            .set(tests::instant("2030-01-10T09:00:00Z"));
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!(report.failed, 1, "{report:?}");

        let failed = page(&app, &cookies, "/admin/dunning?show=failed").await;
        assert!(failed.contains(&invoice_link), "{failed}");
        assert!(failed.contains("Your card was declined."), "{failed}");
        assert!(
            failed.contains("Next attempt 11 Jan 2030 09:00 UTC (1 failure so far)"),
            "{failed}"
        );
        // By the server's clock the invoice is now late, and the past-due filter keeps it.
        let staff = app.as_staff().await;
        let data: serde_json::Value = staff
            .data(
                "late",
                "query Q($id: ID!) { receivables(pastDue: true, customerId: $id) {
                nodes { id dueDate daysPastDue } } }",
                json!({ "id": acme }),
            )
            .await;
        let node = &data["receivables"]["nodes"][0];
        assert_eq!(node["id"], json!(invoice), "{data}");
        let due = chrono::NaiveDate::parse_from_str(node["dueDate"].as_str().unwrap(), "%Y-%m-%d")
            .expect("a day");
        let late = (chrono::NaiveDate::from_ymd_opt(2030, 1, 10).unwrap() - due).num_days();
        assert!(late > 0, "{data}");
        assert_eq!(node["daysPastDue"], json!(late), "{data}");
        let past_due = page(&app, &cookies, "/admin/dunning?show=past_due").await;
        assert!(past_due.contains(&invoice_link), "{past_due}");
        assert!(
            past_due.contains(&format!("{late} days late")),
            "{past_due}"
        );

        // A filter the page does not offer is refused, not read as "everything".
        let bogus = app
            .client
            .get(format!("{}/admin/dunning?show=everything", app.address))
            .header(reqwest::header::COOKIE, &cookies)
            .send()
            .await
            .expect("request");
        assert_eq!(bogus.status(), StatusCode::BAD_REQUEST);

        // Customers never get a console session, nor the list through the API.
        let (refused, _, _) = console_sign_in(&app, "owner@acme.example").await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let response = billing
            .graphql("{ receivables { nodes { id } } }", json!({}))
            .await;
        assert_eq!(error_code(&response), Some("FORBIDDEN"), "{response}");
    }
);

e2e_test!(receivables_page_without_gaps_or_duplicates, |app| {
    // A run bills every demo organisation the same day: invoices due on one day, so pages of
    // one must order the ties by id and lose or repeat none.
    tests::bill_demo_next_period(&app).await;
    let staff = app.as_staff().await;
    const LIST: &str = "query R($first: Int, $after: String) { receivables(first: $first,
        after: $after) { pageInfo { hasNextPage endCursor } nodes { id dueDate } } }";
    let all: Value = staff
        .data("all", LIST, json!({ "first": 100, "after": null }))
        .await;
    let everything: Vec<(String, String)> = all["receivables"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| (n["dueDate"].to_string(), n["id"].to_string()))
        .collect();
    assert!(everything.len() >= 2, "{all}");
    let mut sorted = everything.clone();
    sorted.sort();
    assert_eq!(everything, sorted, "the earliest due first, ties by id");
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page: Value = staff
            .data("page", LIST, json!({ "first": 1, "after": after }))
            .await;
        let list = &page["receivables"];
        for n in list["nodes"].as_array().expect("nodes") {
            paged.push((n["dueDate"].to_string(), n["id"].to_string()));
        }
        if list["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = list["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(paged, everything);
});

e2e_test!(billing_staff_retry_a_failed_collection_now, |app| {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let acme = app.customer_id("Acme Telecom").await;
    card(&billing, &acme, DECLINED, true).await;
    let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
    app.app
        .services
        .clock
        .set(tests::instant("2030-01-10T09:00:00Z"));
    let report = app.app.services.payments.collect_due().await.expect("tick");
    assert_eq!(report.failed, 1, "{report:?}");

    // `Invoice.dunning` (one query for the page) says what `paymentHistory.dunning` says.
    let staff = app.as_staff().await;
    let data: Value = staff
        .data(
            "receivables",
            "{ receivables(collectionFailed: true) { nodes { id
                dunning { failures state nextAttemptAt lastFailure }
                paymentHistory { dunning { failures state nextAttemptAt lastFailure } } } } }",
            json!({}),
        )
        .await;
    let nodes = data["receivables"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 1, "{data}");
    assert_eq!(nodes[0]["dunning"]["failures"], json!(1), "{data}");
    assert_eq!(nodes[0]["dunning"], nodes[0]["paymentHistory"]["dunning"]);

    // Support reads the page without the button.
    let (support, _) = console_session(&app, "support@billfold.example").await;
    let read = page(&app, &support, "/admin/dunning?show=failed").await;
    assert!(read.contains("Your card was declined."), "{read}");
    assert!(!read.contains("name=\"invoice\""), "{read}");

    // Declined again: said so, and counted.
    let (cookies, token) = console_session(&app, "billing@billfold.example").await;
    let html = page(&app, &cookies, "/admin/dunning?show=failed").await;
    assert!(
        html.contains(&format!("name=\"invoice\" value=\"{invoice}\"")),
        "{html}"
    );
    let retry = [
        ("csrf", token.as_str()),
        ("invoice", invoice.as_str()),
        ("show", "failed"),
    ];
    let retried = form(&app, &cookies, "/admin/dunning/retry", &retry).await;
    assert_eq!(retried.status(), StatusCode::SEE_OTHER);
    let location = retried.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(location, "/admin/dunning?show=failed&done=retry-failed");
    let html = page(&app, &cookies, &location).await;
    assert!(html.contains("The charge failed again"), "{html}");
    assert!(html.contains("2 failures so far"), "{html}");

    // With a card that works, the retry collects the invoice: it leaves the list.
    card(&billing, &acme, SUCCEEDS, true).await;
    let retried = form(&app, &cookies, "/admin/dunning/retry", &retry).await;
    assert_eq!(retried.status(), StatusCode::SEE_OTHER);
    let location = retried.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(location, "/admin/dunning?show=failed&done=retry-collected");
    let html = page(&app, &cookies, &location).await;
    assert!(html.contains("The charge went through"), "{html}");
    assert!(!html.contains(&invoice), "{html}");

    // A paid invoice is not charged again: refused above the table.
    let again = form(&app, &cookies, "/admin/dunning/retry", &retry).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = again.text().await.expect("html");
    assert!(html.contains("id=\"retry-error\""), "{html}");
    let paid: Value = staff
        .data(
            "invoice",
            "query I($c: ID!, $id: ID!) { customer(id: $c) { invoice(id: $id) {
                status paymentHistory { payments { id } } } } }",
            json!({ "c": acme, "id": invoice }),
        )
        .await;
    let paid = &paid["customer"]["invoice"];
    assert_eq!(paid["status"], json!("PAID"), "{paid}");
    assert_eq!(
        paid["paymentHistory"]["payments"].as_array().map(Vec::len),
        Some(1),
        "charged once: {paid}"
    );
});
