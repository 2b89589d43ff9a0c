//! A customer's billing settings from the console: billing staff set the country (which picks
//! the tax rate), payment terms, PO number, notes and billing cycle; a refused value shows
//! beside its field with what was typed kept; support is refused by the API and nothing
//! changes. The tags have their own form on the tab.

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
    assert!(
        html.contains("aria-current=\"page\">Billing settings"),
        "{html}"
    );
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
