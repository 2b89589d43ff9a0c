//! What each staff role is offered: support reads every page of a customer, the catalog, the
//! billing runs and the usage, and is offered no form that changes anything (the API would
//! refuse it: `invoices`, `pages` and `runs` show that refusal); billing staff get the same
//! pages with their forms. A page support cannot act on says so.

use serde_json::{Value, json};
use tests::html::page;
use tests::{Session, e2e_test};

use super::console_session;

/// How many forms of `html` post (change something); the sign-out form is one of them.
fn posting_forms(html: &str) -> usize {
    html.matches("method=\"post\"").count()
}

/// The console pages that hold forms changing money or the catalog, for Acme: its tabs, an
/// open invoice, a subscription, the catalog, the runs and the usage.
async fn pages_with_forms(staff: &Session<'_>, acme: &str) -> Vec<String> {
    let data: Value = staff
        .data(
            "createCharges",
            "mutation C($input: CreateChargesInput!) { createCharges(input: $input) { invoice { id } } }",
            json!({ "input": { "customerId": acme, "timing": "INVOICE_NOW",
                "confirmUnpaidInvoices": true,
                "charges": [{ "description": "Installation", "amount": "150" }] } }),
        )
        .await;
    let invoice = data["createCharges"]["invoice"]["id"].as_str().expect("id");
    let data: Value = staff
        .data(
            "customer",
            "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id } } } }",
            json!({ "id": acme }),
        )
        .await;
    let subscription = data["customer"]["subscriptions"]["nodes"][0]["id"]
        .as_str()
        .expect("a subscription");
    let data: Value = staff
        .data(
            "products",
            "{ products(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await;
    let product = data["products"]["nodes"][0]["id"]
        .as_str()
        .expect("a product");
    let customer = format!("/admin/customers/{acme}");
    vec![
        format!("{customer}?tab=subscriptions"),
        format!("{customer}?tab=credits"),
        format!("{customer}/charges"),
        format!("{customer}/settings"),
        format!("{customer}/invoices/{invoice}"),
        format!("{customer}/subscriptions/{subscription}"),
        format!("{customer}/subscriptions/new"),
        format!("{customer}/numbers/new"),
        "/admin/customers/new".to_owned(),
        "/admin/catalog".to_owned(),
        format!("/admin/catalog/products/{product}"),
        "/admin/catalog/tariffs".to_owned(),
        "/admin/catalog/coupons".to_owned(),
        "/admin/catalog/tax-rates".to_owned(),
        "/admin/billing-runs".to_owned(),
        "/admin/usage".to_owned(),
    ]
}

e2e_test!(support_is_offered_no_change_billing_staff_are, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let paths = pages_with_forms(&staff, &acme).await;
    let (support, _) = console_session(&app, "support@billfold.example").await;
    let (billing, _) = console_session(&app, "billing@billfold.example").await;
    for path in &paths {
        let read = page(&app, &support, path).await;
        assert_eq!(
            posting_forms(&read),
            1,
            "support is offered only signing out on {path}: {read}"
        );
        let full = page(&app, &billing, path).await;
        assert!(
            posting_forms(&full) > 1,
            "billing staff are offered the forms of {path}: {full}"
        );
    }
    // The pages that are one form say why there is none; the settings still show.
    let settings = page(&app, &support, &format!("/admin/customers/{acme}/settings")).await;
    assert!(settings.contains("id=\"read-only\""), "{settings}");
    assert!(
        settings.contains("<fieldset class=\"plain\" disabled>"),
        "{settings}"
    );
    let new = page(&app, &support, "/admin/customers/new").await;
    assert!(new.contains("Your role reads only"), "{new}");
    let usage = page(
        &app,
        &support,
        &format!("/admin/customers/{acme}?tab=usage"),
    )
    .await;
    assert!(!usage.contains("id=\"add-number\""), "{usage}");
});
