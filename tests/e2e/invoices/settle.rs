//! Staff settle an open invoice by hand (paid, void, uncollectible): once, with an audit entry;
//! a settled invoice refuses another settlement; bad ids are bad input or not found.

use serde_json::{Value, json};
use tests::{TestApp, assert_bad_input, assert_code, assert_ok, e2e_test};

/// Bills the demo subscriptions' next period; returns Acme's and Globex's invoice ids.
async fn billed(app: &TestApp) -> Vec<String> {
    tests::bill_demo_next_period(app)
        .await
        .invoiced
        .iter()
        .map(|b| b.invoice.to_string())
        .collect()
}

fn settle(mutation: &str) -> String {
    format!(
        "mutation M($input: SettleInvoiceInput!) {{ {mutation}(input: $input) {{ invoice {{ id number status }} }} }}"
    )
}

e2e_test!(
    staff_settle_an_open_invoice_once_with_an_audit_entry,
    |app| {
        let invoices = billed(&app).await;
        assert_eq!(invoices.len(), 2, "one per demo organisation");
        let staff = app.as_staff().await;
        let input = |id: &str| json!({ "input": { "invoiceId": id } });

        let body = staff
            .graphql(&settle("markInvoicePaid"), input(&invoices[0]))
            .await;
        assert_ok(&body);
        let paid = &body["data"]["markInvoicePaid"]["invoice"];
        assert_eq!(paid["status"], "PAID", "{body}");
        let number = paid["number"].clone();

        // Settled: no second settlement of any kind.
        for mutation in ["markInvoicePaid", "voidInvoice", "markInvoiceUncollectible"] {
            let body = staff.graphql(&settle(mutation), input(&invoices[0])).await;
            assert_code(&body, "CONFLICT");
        }

        // Void keeps the number.
        let body = staff
            .graphql(&settle("voidInvoice"), input(&invoices[1]))
            .await;
        assert_ok(&body);
        assert_eq!(body["data"]["voidInvoice"]["invoice"]["status"], "VOID");
        assert!(body["data"]["voidInvoice"]["invoice"]["number"].is_string());

        // The customer sees the new status and the audit log says who did it.
        let billing = app.as_billing_admin("Acme Telecom").await;
        let seen: Value = billing
            .graphql(
                "query I($id: ID!) { viewer { organisation { invoice(id: $id) { number status }
                auditLog(first: 20) { nodes { action actorRole subjectId after } } } } }",
                json!({ "id": invoices[0] }),
            )
            .await;
        assert_ok(&seen);
        let organisation = &seen["data"]["viewer"]["organisation"];
        assert_eq!(organisation["invoice"]["status"], "PAID", "{seen}");
        assert_eq!(organisation["invoice"]["number"], number, "{seen}");
        let entry = organisation["auditLog"]["nodes"]
            .as_array()
            .and_then(|all| all.iter().find(|e| e["action"] == "invoice.paid"))
            .unwrap_or_else(|| panic!("an invoice.paid entry: {seen}"));
        assert_eq!(entry["actorRole"], "ADMIN");
        assert_eq!(entry["subjectId"], invoices[0].as_str());
        assert_eq!(entry["after"], r#"{"status":"paid"}"#);
    }
);

e2e_test!(bad_invoice_ids_are_bad_input_or_not_found, |app| {
    let staff = app.as_staff().await;
    let body = staff
        .graphql(
            &settle("markInvoicePaid"),
            json!({ "input": { "invoiceId": "cus_1" } }),
        )
        .await;
    assert_bad_input(&body, "input.invoiceId");
    let missing = format!("inv_{}", uuid::Uuid::now_v7().simple());
    let body = staff
        .graphql(
            &settle("voidInvoice"),
            json!({ "input": { "invoiceId": missing } }),
        )
        .await;
    assert_code(&body, "NOT_FOUND");
});
