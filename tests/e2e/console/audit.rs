//! The operator's audit page: every change, the customers' (linked to the customer) and the
//! operator's own, newest first; filtered by kind and UTC days; read by every staff role,
//! never by a customer. The API's `auditLog` pages without gaps.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::html::page;
use tests::{e2e_test, error_code};

use super::console_session;

e2e_test!(staff_read_the_whole_audit_log, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let _: Value = staff
        .data(
            "setCustomerTags",
            "mutation T($input: SetCustomerTagsInput!) { setCustomerTags(input: $input) {
                customer { id } } }",
            json!({ "input": { "customerId": acme, "tags": ["audited"] } }),
        )
        .await;
    let _: Value = staff
        .data(
            "createCoupon",
            "mutation C($input: CreateCouponInput!) { createCoupon(input: $input) { coupon { id } } }",
            json!({ "input": { "code": "AUDIT5", "name": "Audit", "percentOff": "5",
                "duration": "ONCE" } }),
        )
        .await;

    // Support reads both: the customer's change linked to it, the operator's own as such.
    let (support, _) = console_session(&app, "support@billfold.example").await;
    let html = page(&app, &support, "/admin/audit").await;
    let row = |html: &str, action: &str| -> String {
        html.split("<tr>")
            .find(|r| r.contains(&format!("<code>{action}</code>")))
            .unwrap_or_else(|| panic!("a row of {action}: {html}"))
            .to_owned()
    };
    let tags = row(&html, "customer.tags");
    assert!(
        tags.contains(&format!(
            "href=\"/admin/customers/{acme}?tab=audit\">Acme Telecom<"
        )),
        "{tags}"
    );
    assert!(row(&html, "coupon.create").contains("Operator"), "{html}");
    // Newest first: the coupon came after the tags.
    assert!(
        html.find("<code>coupon.create</code>") < html.find("<code>customer.tags</code>"),
        "{html}"
    );

    // Filtered: documents hold neither; a kind the select does not offer is said, 400.
    let documents = page(&app, &support, "/admin/audit?kind=documents").await;
    assert!(
        !documents.contains("<code>coupon.create</code>"),
        "{documents}"
    );
    assert!(
        !documents.contains("<code>customer.tags</code>"),
        "{documents}"
    );
    let later = page(&app, &support, "/admin/audit?from=2999-01-01").await;
    assert!(later.contains("id=\"no-entries\""), "{later}");
    let bogus = app
        .client
        .get(format!("{}/admin/audit?kind=everything", app.address))
        .header(reqwest::header::COOKIE, &support)
        .send()
        .await
        .expect("sent");
    assert_eq!(bogus.status(), StatusCode::BAD_REQUEST);
    assert!(
        bogus
            .text()
            .await
            .expect("html")
            .contains("id=\"filter-error\"")
    );

    // Page by page, one entry at a time, equals the whole log.
    const LIST: &str = "query L($first: Int, $after: String) { auditLog(first: $first,
        after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }";
    let all: Value = staff
        .data("all", LIST, json!({ "first": 100, "after": null }))
        .await;
    assert_eq!(
        all["auditLog"]["pageInfo"]["hasNextPage"],
        json!(false),
        "one page: {all}"
    );
    let everything: Vec<Value> = all["auditLog"]["nodes"].as_array().expect("nodes").clone();
    assert!(everything.len() >= 2, "{all}");
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page: Value = staff
            .data("page", LIST, json!({ "first": 1, "after": after }))
            .await;
        let log = &page["auditLog"];
        paged.extend(log["nodes"].as_array().expect("nodes").iter().cloned());
        if log["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = log["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(paged, everything);

    // Customers never read it.
    let owner = app.as_billing_admin("Acme Telecom").await;
    let refused = owner
        .graphql("{ auditLog { nodes { id } } }", json!({}))
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
});
