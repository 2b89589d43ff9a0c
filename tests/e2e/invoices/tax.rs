//! Tax by country and region, exemption and payment terms, end to end: the rate a customer's
//! country and region resolve to is the one on its license quotes, upcoming charges and
//! invoices; tax is shown per rate (GraphQL and the portal's invoice page); the due date
//! follows the payment terms.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, Role, Session, assert_bad_input, assert_code, e2e_test};

use super::coupons::{invoices, run, upcoming};
use crate::licenses::APRIL_2;

const CREATE_RATE: &str = "mutation T($input: CreateTaxRateInput!) { createTaxRate(input: $input) {
    taxRate { id country region name rate active } } }";

const ARCHIVE_RATE: &str =
    "mutation T($input: ArchiveTaxRateInput!) { archiveTaxRate(input: $input) {
    taxRate { id active } } }";

const SETTINGS: &str = "mutation S($input: UpdateCustomerBillingSettingsInput!) {
    updateCustomerBillingSettings(input: $input) { customer { id country region taxNumber
    taxExempt paymentTermsDays taxRate { name rate } } } }";

const ORGANISATION: &str = "{ viewer { organisation { country region taxNumber taxExempt
    paymentTermsDays taxRate { name rate } } } }";

/// Creates a tax rate as staff, which must succeed; returns its id (`txr_…`).
async fn create_rate(staff: &Session<'_>, input: Value) -> String {
    let body = staff.graphql(CREATE_RATE, json!({ "input": input })).await;
    body["data"]["createTaxRate"]["taxRate"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("createTaxRate failed: {body}"))
        .to_owned()
}

/// Updates a customer's billing settings as staff, which must succeed; returns the customer.
async fn settings(staff: &Session<'_>, input: Value) -> Value {
    let body = staff.graphql(SETTINGS, json!({ "input": input })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["updateCustomerBillingSettings"]["customer"].clone()
}

fn taxes(invoice: &Value) -> Vec<(String, String, String, String)> {
    invoice["taxes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (
                text(&t["rate"]),
                text(&t["name"]),
                text(&t["taxable"]["amount"]),
                text(&t["amount"]["amount"]),
            )
        })
        .collect()
}

fn row(rate: &str, name: &str, taxable: &str, amount: &str) -> (String, String, String, String) {
    (rate.into(), name.into(), taxable.into(), amount.into())
}

e2e_test!(
    the_region_then_the_country_rate_applies_to_quotes_upcoming_charges_and_invoices,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(10)
            .at(APRIL_2)
            .create(&app)
            .await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        create_rate(
            &staff,
            json!({ "country": "CA", "name": "GST", "rate": "5" }),
        )
        .await;
        let quebec = create_rate(
            &staff,
            json!({ "country": "ca", "region": "qc", "name": "GST+QST", "rate": "14.975" }),
        )
        .await;
        // Read the state once, so a stale copy would be in memory.
        upcoming(&billing, &fx.subscription).await;
        let customer = settings(
            &staff,
            json!({ "customerId": fx.customer, "country": "CA", "region": "QC",
                    "taxNumber": "QC-1234" }),
        )
        .await;
        assert_eq!(
            customer["taxRate"],
            json!({ "name": "GST+QST", "rate": "14.975" })
        );

        // One seat for 29 of April's 30 days: €61.87; Quebec's 14.975 % of it is 9.2650325
        // -> €9.27.
        let quote = billing.preview_license_change(&fx.item, 1).await;
        assert_eq!(quote.tax.amount, "9.27");
        billing.apply_license_change(&quote, "quebec").await;

        // Ontario has no rate of its own: Canada's 5 % -> €3.09 (3.0935).
        settings(&staff, json!({ "customerId": fx.customer, "region": "ON" })).await;
        let org: Value = billing.data("organisation", ORGANISATION, json!({})).await;
        assert_eq!(
            org["viewer"]["organisation"],
            json!({ "country": "CA", "region": "ON", "taxNumber": "QC-1234",
                    "taxExempt": false, "paymentTermsDays": 0,
                    "taxRate": { "name": "GST", "rate": "5" } })
        );
        let quote = billing.preview_license_change(&fx.item, 1).await;
        assert_eq!(quote.tax.amount, "3.09");
        billing.apply_license_change(&quote, "ontario").await;

        // May: 12 seats × €64 = €768.00 at 5 % = 38.40, and the two prorations at the rates
        // they were quoted at: two rates on one invoice. 5 %: 768.00 + 61.87 = 829.87, tax
        // 38.40 + 3.09 = 41.49; 14.975 % (no longer the customer's: named by its rate):
        // 61.87, tax 9.27. Tax 50.76; subtotal 891.74; total 942.50.
        let before = upcoming(&billing, &fx.subscription).await;
        assert_eq!(
            taxes(&before),
            vec![
                row("5", "GST", "829.87", "41.49"),
                row("14.975", "Tax 14.975%", "61.87", "9.27"),
            ],
            "{before}"
        );
        assert_eq!(before["tax"]["amount"], "50.76");
        assert_eq!(before["total"]["amount"], "942.50");
        run(&app, "2026-05-01").await;
        let billed = invoices(&staff, &fx.customer, &fx.subscription).await;
        assert_eq!(taxes(&billed[0]), taxes(&before));
        assert_eq!(billed[0]["lines"], before["lines"]);
        assert_eq!(billed[0]["total"], before["total"]);

        // Quebec's rate archived: a Quebec customer falls back to Canada's.
        settings(&staff, json!({ "customerId": fx.customer, "region": "QC" })).await;
        let june = upcoming(&billing, &fx.subscription).await;
        assert_eq!(
            taxes(&june),
            vec![row("14.975", "GST+QST", "768.00", "115.01")]
        );
        let body = staff
            .graphql(ARCHIVE_RATE, json!({ "input": { "taxRateId": quebec } }))
            .await;
        assert_eq!(
            body["data"]["archiveTaxRate"]["taxRate"]["active"], false,
            "{body}"
        );
        let june = upcoming(&billing, &fx.subscription).await;
        assert_eq!(taxes(&june), vec![row("5", "GST", "768.00", "38.40")]);

        // Exempt: no tax anywhere.
        settings(
            &staff,
            json!({ "customerId": fx.customer, "taxExempt": true }),
        )
        .await;
        let june = upcoming(&billing, &fx.subscription).await;
        assert_eq!(taxes(&june), Vec::new());
        assert_eq!(june["tax"]["amount"], "0.00");
        assert_eq!(june["total"]["amount"], "768.00");
        app.app
            .services
            .clock
            .set(tests::instant("2026-05-02T08:00:00Z"));
        let quote = billing.preview_license_change(&fx.item, 1).await;
        assert_eq!(quote.tax.amount, "0.00");
        assert_eq!(billing.audit_count("customer.billing_settings").await, 4);
    }
);

e2e_test!(the_due_date_follows_the_payment_terms, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .at(APRIL_2)
        .create(&app)
        .await;
    let staff = app.as_staff().await;
    settings(
        &staff,
        json!({ "customerId": fx.customer, "paymentTermsDays": 30 }),
    )
    .await;
    run(&app, "2026-05-01").await;
    // Back to due on receipt (0 days, the default): due the day it is issued.
    settings(
        &staff,
        json!({ "customerId": fx.customer, "paymentTermsDays": 0 }),
    )
    .await;
    run(&app, "2026-06-01").await;
    let billed = invoices(&staff, &fx.customer, &fx.subscription).await;
    let dates: Vec<(&Value, &Value)> = billed
        .iter()
        .map(|i| (&i["issueDate"], &i["dueDate"]))
        .collect();
    assert_eq!(
        dates,
        vec![
            (&json!("2026-05-01"), &json!("2026-05-31")),
            (&json!("2026-06-01"), &json!("2026-06-01")),
        ]
    );
});

e2e_test!(demo_organisations_are_taxed_by_their_country, |app| {
    let acme = app.as_viewer("Acme Telecom").await;
    let org: Value = acme.data("organisation", ORGANISATION, json!({})).await;
    assert_eq!(org["viewer"]["organisation"]["country"], "FR");
    assert_eq!(
        org["viewer"]["organisation"]["taxRate"],
        json!({ "name": "VAT FR", "rate": "20" })
    );
    tests::bill_demo_next_period(&app).await;
    let data: Value = acme
        .data(
            "invoices",
            "{ viewer { organisation { invoices(first: 1) { nodes { id tax { amount }
              taxes { rate name taxable { amount } amount { amount } } } } } } }",
            json!({}),
        )
        .await;
    let invoice = &data["viewer"]["organisation"]["invoices"]["nodes"][0];
    // 10 seats × €64 = €640.00 at 20 %: €128.00.
    assert_eq!(
        taxes(invoice),
        vec![row("20", "VAT FR", "640.00", "128.00")]
    );
    assert_eq!(invoice["tax"]["amount"], "128.00");

    // The portal's invoice page shows it by rate too.
    let (cookies, _) = tests::html::signed_in(&app, "viewer@acme.example").await;
    let id = invoice["id"].as_str().expect("invoice id");
    let html = tests::html::page(&app, &cookies, &format!("/invoice?id={id}")).await;
    assert!(
        html.contains("VAT FR (20%) on €640.00</th><td class=\"num\">€128.00"),
        "{html}"
    );
});

e2e_test!(bad_tax_input_names_the_field_and_writes_nothing, |app| {
    let staff = app.as_staff().await;
    let valid = json!({ "country": "DE", "name": "VAT DE", "rate": "19" });
    for (field, key, value) in [
        ("input.country", "country", json!("DEU")),
        ("input.country", "country", json!("D1")),
        ("input.region", "region", json!("BY!")),
        ("input.region", "region", json!("ABCDEFGHIJK")),
        ("input.name", "name", json!(" ")),
        ("input.rate", "rate", json!("120")),
        ("input.rate", "rate", json!("-1")),
        ("input.rate", "rate", json!("nineteen")),
    ] {
        let mut input = valid.clone();
        input[key] = value;
        let body = staff.graphql(CREATE_RATE, json!({ "input": input })).await;
        assert_bad_input(&body, field);
    }
    let list = "{ taxRates(first: 20) { nodes { country name } } }";
    let demo: Value = staff.data("taxRates", list, json!({})).await;
    assert_eq!(
        demo["taxRates"]["nodes"],
        json!([{ "country": "FR", "name": "VAT FR" }, { "country": "GB", "name": "VAT GB" }]),
        "nothing written"
    );
    // A second active rate for one country is a conflict; a regional one is not.
    create_rate(&staff, valid.clone()).await;
    let body = staff.graphql(CREATE_RATE, json!({ "input": valid })).await;
    assert_code(&body, "CONFLICT");
    create_rate(
        &staff,
        json!({ "country": "DE", "region": "BY", "name": "VAT DE BY", "rate": "19" }),
    )
    .await;

    let acme = staff.customer_id("Acme Telecom").await;
    let long = "X".repeat(41);
    for (field, change) in [
        ("input.country", json!({ "country": "FRA" })),
        ("input.region", json!({ "country": null, "region": "QC" })),
        ("input.region", json!({ "region": "Q C" })),
        ("input.taxNumber", json!({ "taxNumber": long })),
        ("input.paymentTermsDays", json!({ "paymentTermsDays": -1 })),
        ("input.paymentTermsDays", json!({ "paymentTermsDays": 366 })),
    ] {
        let mut input = json!({ "customerId": acme });
        for (k, v) in change.as_object().expect("object") {
            input[k] = v.clone();
        }
        let body = staff.graphql(SETTINGS, json!({ "input": input })).await;
        assert_bad_input(&body, field);
    }
    // 365 days is the longest term accepted.
    let customer = settings(
        &staff,
        json!({ "customerId": acme, "paymentTermsDays": 365 }),
    )
    .await;
    assert_eq!(
        (&customer["country"], &customer["paymentTermsDays"]),
        (&json!("FR"), &json!(365)),
        "the refused changes wrote nothing"
    );
    assert_eq!(
        app.as_billing_admin("Acme Telecom")
            .await
            .audit_count("customer.billing_settings")
            .await,
        1
    );
    let unknown = "cus_0190c0de00007000800000000000000a";
    let body = staff
        .graphql(
            SETTINGS,
            json!({ "input": { "customerId": unknown, "taxExempt": true } }),
        )
        .await;
    assert_code(&body, "NOT_FOUND");
});

e2e_test!(
    customers_cannot_manage_tax_rates_or_billing_settings,
    |app| {
        let staff = app.as_staff().await;
        let rates: Value = staff
            .data(
                "taxRates",
                "{ taxRates(first: 5) { nodes { id } } }",
                json!({}),
            )
            .await;
        let rate = rates["taxRates"]["nodes"][0]["id"].clone();
        for role in [Role::Owner, Role::BillingAdmin, Role::Viewer] {
            let user = app.as_role("Acme Telecom", role).await;
            let own = user.organisation_id().to_owned();
            for (query, variables) in [
                (
                    CREATE_RATE,
                    json!({ "input": { "country": "FR", "name": "None", "rate": "0" } }),
                ),
                (ARCHIVE_RATE, json!({ "input": { "taxRateId": rate } })),
                (
                    SETTINGS,
                    json!({ "input": { "customerId": own, "taxExempt": true } }),
                ),
                ("{ taxRates(first: 5) { nodes { id } } }", json!({})),
            ] {
                assert_code(&user.graphql(query, variables).await, "FORBIDDEN");
            }
        }
        let org: Value = app
            .as_owner("Acme Telecom")
            .await
            .data("organisation", ORGANISATION, json!({}))
            .await;
        assert_eq!(org["viewer"]["organisation"]["taxExempt"], false);
    }
);
