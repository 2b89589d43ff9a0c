//! The charges tab's unbilled charges: billing staff remove one before an invoice takes it
//! (audited); a charge of another customer is not removed through this customer's page;
//! support is offered no removal.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::html::{form, page};
use tests::{Session, e2e_test};

use super::console_session;

/// A charge of `amount` left for `customer`'s next invoice; its id.
async fn unbilled(staff: &Session<'_>, customer: &str, description: &str) -> String {
    let data: Value = staff
        .data(
            "createCharges",
            "mutation C($input: CreateChargesInput!) { createCharges(input: $input) {
                charges { id } } }",
            json!({ "input": { "customerId": customer, "timing": "ADD_TO_UNBILLED",
                "charges": [{ "description": description, "amount": "40" }] } }),
        )
        .await;
    data["createCharges"]["charges"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a charge: {data}"))
        .to_owned()
}

e2e_test!(billing_staff_remove_an_unbilled_charge, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let globex = staff.customer_id("Globex").await;
    let cabling = unbilled(&staff, &acme, "Cabling").await;
    let theirs = unbilled(&staff, &globex, "Rack space").await;
    let path = format!("/admin/customers/{acme}/charges");
    let (cookies, token) = console_session(&app, "billing@billfold.example").await;
    let html = page(&app, &cookies, &path).await;
    assert!(
        html.contains(&format!("name=\"charge\" value=\"{cabling}\"")),
        "{html}"
    );

    // Globex's charge through Acme's page: refused above the form, kept.
    let wrong = form(
        &app,
        &cookies,
        &format!("{path}/remove"),
        &[("csrf", token.as_str()), ("charge", theirs.as_str())],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .expect("html")
            .contains("This charge is not waiting on this customer&#39;s next invoice.")
    );
    let globex_tab = page(
        &app,
        &cookies,
        &format!("/admin/customers/{globex}/charges"),
    )
    .await;
    assert!(globex_tab.contains("Rack space"), "kept: {globex_tab}");

    // Support sees the charge without a removal.
    let (support, _) = console_session(&app, "support@billfold.example").await;
    let read = page(&app, &support, &path).await;
    assert!(
        read.contains("Cabling") && !read.contains("name=\"charge\""),
        "{read}"
    );

    let removed = form(
        &app,
        &cookies,
        &format!("{path}/remove"),
        &[("csrf", token.as_str()), ("charge", cabling.as_str())],
    )
    .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &cookies, &format!("{path}?done=charge-removed")).await;
    assert!(html.contains("The charge is removed"), "{html}");
    assert!(html.contains("id=\"no-unbilled\""), "{html}");
    let audit = page(
        &app,
        &cookies,
        &format!("/admin/customers/{acme}?tab=audit"),
    )
    .await;
    assert!(audit.contains("charge.delete"), "{audit}");
});
