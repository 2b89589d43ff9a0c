//! A customer's billing settings from the console: billing staff set the country (which picks
//! the tax rate), payment terms, PO number, notes and billing cycle; a refused value shows
//! beside its field with what was typed kept; support is refused by the API and nothing
//! changes. The tags have their own form on the tab, and so has who the customer is (name,
//! company, e-mail, time zone, and the currency while nothing is billed in it).

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};
use tests::e2e_test;
use tests::html::{form, page};

use super::console_session;

e2e_test!(staff_save_a_customers_billing_settings, |app| {
    let acme = app.customer_id("Acme Telecom").await;
    let path = format!("/admin/customers/{acme}/settings");
    let (cookies, token) = console_session(&app, "billing@billfold.example").await;
    let html = page(&app, &cookies, &path).await;
    assert!(html.contains("aria-current=\"page\">Settings"), "{html}");
    let fields = |terms: &'static str, token: &str| {
        vec![
            ("csrf", token.to_owned()),
            ("country", "fr".to_owned()),
            ("region", String::new()),
            ("tax_number", "FR40303265045".to_owned()),
            ("payment_terms_days", terms.to_owned()),
            ("po_number", "PO-2026-12".to_owned()),
            ("invoice_notes", "Quote our PO on every payment.".to_owned()),
            ("cycle_unit", "QUARTER".to_owned()),
            ("cycle_count", "1".to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>, cookies: String| {
        let (app, path) = (&app, path.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            form(app, &cookies, &path, &fields).await
        }
    };
    let settings = || async {
        let staff = app.as_staff().await;
        let data: Value = staff
            .data(
                "customer",
                "query C($id: ID!) { customer(id: $id) { country paymentTermsDays poNumber invoiceNotes billingCycle { interval intervalCount } tags } }",
                json!({ "id": acme }),
            )
            .await;
        data["customer"].clone()
    };
    let before = settings().await;

    let refused = post(fields("500", &token), cookies.clone()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("id=\"payment_terms_days-error\""), "{html}");
    assert!(html.contains("value=\"PO-2026-12\""), "kept: {html}");
    assert_eq!(settings().await, before, "nothing written");

    let saved = post(fields("45", &token), cookies.clone()).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let to = saved.headers()[LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    let html = page(&app, &cookies, &to).await;
    assert!(html.contains("The billing settings are saved"), "{html}");
    assert!(html.contains("value=\"45\""), "{html}");
    assert_eq!(
        settings().await,
        json!({ "country": "FR", "paymentTermsDays": 45, "poNumber": "PO-2026-12",
                "invoiceNotes": "Quote our PO on every payment.",
                "billingCycle": { "interval": "QUARTER", "intervalCount": 1 }, "tags": [] })
    );
    assert!(html.contains("id=\"billing-cycle\">Quarterly<"), "{html}");

    // The tags form: a refused tag keeps what was typed and writes nothing; then saved.
    let tags_path = format!("/admin/customers/{acme}/tags");
    let refused = form(
        &app,
        &cookies,
        &tags_path,
        &[("csrf", token.as_str()), ("tags", "vip, say \"hi\"")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("id=\"tags-error\""), "{html}");
    assert!(
        html.contains("value=\"vip, say &#34;hi&#34;\""),
        "kept: {html}"
    );
    assert_eq!(settings().await["tags"], json!([]), "nothing written");
    let saved = form(
        &app,
        &cookies,
        &tags_path,
        &[("csrf", token.as_str()), ("tags", "vip, wholesale")],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &cookies, &location_of(&saved)).await;
    assert!(html.contains("The tags are saved."), "{html}");
    assert!(html.contains("value=\"vip, wholesale\""), "{html}");
    assert_eq!(settings().await["tags"], json!(["vip", "wholesale"]));

    let (support, support_token) = console_session(&app, "support@billfold.example").await;
    let refused = post(fields("10", &support_token), support).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.expect("html").contains("Not allowed"));
    assert_eq!(settings().await["paymentTermsDays"], 45);
});

/// Where a redirect leads.
fn location_of(response: &reqwest::Response) -> String {
    response.headers()[LOCATION]
        .to_str()
        .expect("location")
        .to_owned()
}

e2e_test!(staff_change_who_a_customer_is, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let (cookies, token) = console_session(&app, "billing@billfold.example").await;
    let profile = |customer: &str, fields: [(&'static str, &'static str); 5]| {
        let (app, cookies, token) = (&app, cookies.clone(), token.clone());
        let path = format!("/admin/customers/{customer}/profile");
        async move {
            let mut all = vec![("csrf", token.as_str())];
            all.extend(fields);
            form(app, &cookies, &path, &all).await
        }
    };
    let read = |customer: String| {
        let staff = &staff;
        async move {
            let data: Value = staff
                .data(
                    "customer",
                    "query C($id: ID!) { customer(id: $id) { name company email timeZone currency } }",
                    json!({ "id": customer }),
                )
                .await;
            data["customer"].clone()
        }
    };
    let before = read(acme.clone()).await;

    // A bad e-mail is refused beside its field, what was typed kept, nothing saved.
    let refused = profile(
        &acme,
        [
            ("name", "Acme Telecom SAS"),
            ("company", ""),
            ("email", "not an address"),
            ("time_zone", "Europe/Paris"),
            ("currency", "EUR"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("id=\"email-error\""), "{html}");
    assert!(html.contains("value=\"Acme Telecom SAS\""), "kept: {html}");
    assert_eq!(read(acme.clone()).await, before, "nothing saved");

    // Acme is billed in euros: its currency stays, said above the form.
    let refused = profile(
        &acme,
        [
            ("name", "Acme Telecom SAS"),
            ("company", ""),
            ("email", "billing@acme.example"),
            ("time_zone", "Europe/Paris"),
            ("currency", "usd"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("id=\"profile-error\""), "{html}");
    assert!(html.contains("its currency cannot change"), "{html}");
    assert_eq!(read(acme.clone()).await, before, "nothing saved");

    // Its periods and usage are counted in Paris time: its time zone stays too.
    let refused = profile(
        &acme,
        [
            ("name", "Acme Telecom SAS"),
            ("company", ""),
            ("email", "billing@acme.example"),
            ("time_zone", "America/New_York"),
            ("currency", "EUR"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("its time zone cannot change"), "{html}");
    assert_eq!(read(acme.clone()).await, before, "nothing saved");

    // Saved: the header shows the new name, a blank company is cleared, audited.
    let saved = profile(
        &acme,
        [
            ("name", "Acme Telecom SAS"),
            ("company", ""),
            ("email", "billing@acme.example"),
            ("time_zone", "Europe/Paris"),
            ("currency", "EUR"),
        ],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let location = saved.headers()[LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    let html = page(&app, &cookies, &location).await;
    assert!(html.contains("details are saved."), "{html}");
    assert!(html.contains("Acme Telecom SAS"), "{html}");
    let after = read(acme.clone()).await;
    assert_eq!(after["name"], json!("Acme Telecom SAS"));
    assert_eq!(after["company"], Value::Null);
    assert_eq!(after["email"], json!("billing@acme.example"));
    assert_eq!(after["timeZone"], json!("Europe/Paris"));
    // The cached state of the customer is read again: what its portal shows is the new name.
    let owner = app.as_user("billing@acme.example").await;
    let viewer: Value = owner
        .data("viewer", "{ viewer { organisation { name } } }", json!({}))
        .await;
    assert_eq!(
        viewer["viewer"]["organisation"]["name"],
        json!("Acme Telecom SAS")
    );
    let audit = page(
        &app,
        &cookies,
        &format!("/admin/customers/{acme}?tab=audit"),
    )
    .await;
    assert!(audit.contains("customer.update"), "{audit}");

    // A customer billed nothing yet may change its currency.
    let data: Value = staff
        .data(
            "createCustomer",
            "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }",
            json!({ "input": { "name": "Initech", "email": "ap@initech.example",
                "currency": "EUR", "timeZone": "Europe/Paris" } }),
        )
        .await;
    let initech = data["createCustomer"]["customer"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    // A preview reads the customer's cached state: it shows euros now, dollars after.
    let preview = |customer: String| {
        let staff = &staff;
        async move {
            let data: Value = staff
                .data(
                    "previewCharges",
                    "query P($input: ChargesInput!) { previewCharges(input: $input) {
                        total { formatted } } }",
                    json!({ "input": { "customerId": customer,
                        "charges": [{ "description": "Setup", "amount": "10" }] } }),
                )
                .await;
            data["previewCharges"]["total"]["formatted"].clone()
        }
    };
    assert_eq!(preview(initech.clone()).await, json!("€10.00"));
    let saved = profile(
        &initech,
        [
            ("name", "Initech"),
            ("company", "Initech Corporation"),
            ("email", "ap@initech.example"),
            ("time_zone", "America/Chicago"),
            ("currency", "usd"),
        ],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let changed = read(initech.clone()).await;
    assert_eq!(changed["currency"], json!("USD"), "{changed}");
    assert_eq!(changed["timeZone"], json!("America/Chicago"), "{changed}");
    assert_eq!(
        preview(initech.clone()).await,
        json!("$10.00"),
        "read again"
    );
    assert_eq!(
        changed["company"],
        json!("Initech Corporation"),
        "{changed}"
    );

    // Support reads the form, disabled, and the API refuses its change.
    let (support, support_token) = console_session(&app, "support@billfold.example").await;
    let html = page(&app, &support, &format!("/admin/customers/{acme}/settings")).await;
    assert!(html.contains("value=\"Acme Telecom SAS\""), "{html}");
    assert!(!html.contains("id=\"save-profile\""), "{html}");
    let refused = form(
        &app,
        &support,
        &format!("/admin/customers/{acme}/profile"),
        &[
            ("csrf", support_token.as_str()),
            ("name", "Hijacked"),
            ("company", ""),
            ("email", "billing@acme.example"),
            ("time_zone", "Europe/Paris"),
            ("currency", "EUR"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(read(acme.clone()).await, after, "support changed nothing");
});
