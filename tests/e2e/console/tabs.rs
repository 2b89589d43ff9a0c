//! Every tab of a customer's page, read by support (staff who read everything): what each
//! shows comes from the organisation's own data.

use serde_json::json;
use tests::e2e_test;
use tests::html::page;

use super::console_session;
use crate::payments::card;

e2e_test!(support_reads_every_tab_of_a_customer, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    tests::assert_ok(
        &staff
            .graphql(
                "mutation A($input: AdjustCreditBalanceInput!) { adjustCreditBalance(input: $input) { entry { id } } }",
                json!({ "input": { "customerId": acme, "kind": "TOP_UP", "amount": "25",
                    "description": "Prepayment by bank transfer" } }),
            )
            .await,
    );
    let billing = app.as_billing_admin("Acme Telecom").await;
    card(&billing, &acme, "4242 4242 4242 4242", true).await;

    // The usage tab names the current period by its first and last days (`to` is inclusive).
    let selection: serde_json::Value = staff
        .data(
            "consumption",
            "query C($id: ID!) { customer(id: $id) { consumption { from to } } }",
            json!({ "id": acme }),
        )
        .await;
    let shown = |key: &str| {
        let text = selection["customer"]["consumption"][key]
            .as_str()
            .expect("a day");
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .expect("a day")
            .format("%-d %b %Y")
            .to_string()
    };
    let period = format!("({} – {}, 0 records)", shown("from"), shown("to"));

    let (cookies, _) = console_session(&app, "support@billfold.example").await;
    let usage = page(
        &app,
        &cookies,
        &format!("/admin/customers/{acme}?tab=usage"),
    )
    .await;
    assert!(usage.contains(&period), "{period} in {usage}");
    for (tab, expected) in [
        ("", "<td>License</td>"),
        ("?tab=invoices", "No invoice yet."),
        ("?tab=credits", "Prepayment by bank transfer"),
        ("?tab=credits", "Balance: €25.00"),
        ("?tab=usage", "Telephone numbers"),
        ("?tab=contacts", "claire.dubois@acme.example"),
        ("?tab=addresses", "12 Rue de la Paix"),
        ("?tab=payment-methods", "4242"),
        ("?tab=users", "owner@acme.example"),
        ("/charges", "Add one-time addons and quick charges"),
    ] {
        let html = page(&app, &cookies, &format!("/admin/customers/{acme}{tab}")).await;
        assert!(html.contains(expected), "{tab}: {expected} in {html}");
        assert_eq!(
            html.matches("aria-current=\"page\"").count(),
            2,
            "{tab}: one navigation entry and one tab are current"
        );
    }
});
