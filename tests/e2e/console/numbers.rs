//! Telephone numbers from the console (the telecom platform's "Add > Number"): billing staff
//! add one to a customer's recurring service line with a tariff, typed as people write it; a
//! number that is not one is refused beside its field with nothing written; a number is then
//! released from the usage tab; support is refused by the API.

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};
use tests::html::{form, page};
use tests::{TestApp, e2e_test};

use super::console_session;
use crate::numbers::telecom;

/// `(number, releasedOn)` of the customer's numbers, as the API has them.
async fn numbers(app: &TestApp, customer: &str) -> Vec<(String, Value, String)> {
    let staff = app.as_staff().await;
    let data: Value = staff
        .data(
            "customer",
            "query C($id: ID!) { customer(id: $id) { phoneNumbers(first: 100) { nodes { id number releasedOn } } } }",
            json!({ "id": customer }),
        )
        .await;
    data["customer"]["phoneNumbers"]["nodes"]
        .as_array()
        .expect("numbers")
        .iter()
        .map(|n| {
            (
                n["number"].as_str().unwrap_or_default().to_owned(),
                n["releasedOn"].clone(),
                n["id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

e2e_test!(staff_add_a_number_and_release_it_from_the_console, |app| {
    let acme = app.customer_id("Acme Telecom").await;
    let fx = telecom(&app, &acme, 2).await;
    let (cookies, token) = console_session(&app, "billing@billfold.example").await;
    let tab = page(
        &app,
        &cookies,
        &format!("/admin/customers/{acme}?tab=usage"),
    )
    .await;
    let new_path = format!("/admin/customers/{acme}/numbers/new");
    assert!(tab.contains(&format!("href=\"{new_path}\"")), "{tab}");
    let new = page(&app, &cookies, &new_path).await;
    assert!(
        new.contains(&format!("<option value=\"{}\"", fx.item)),
        "{new}"
    );
    assert!(
        new.contains(&format!("<option value=\"{}\"", fx.tariff)),
        "{new}"
    );
    assert!(new.contains(">Toll free</option>"), "types in words: {new}");

    let path = format!("/admin/customers/{acme}/numbers");
    let fields = |number: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("number", number.to_owned()),
            ("number_type", "MOBILE".to_owned()),
            ("item", fx.item.clone()),
            ("tariff", fx.tariff.clone()),
            ("sold_on", "2026-12-01".to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>, cookies: String| {
        let (app, path) = (&app, path.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            form(app, &cookies, &path, &fields).await
        }
    };
    let before = numbers(&app, &acme).await;

    let refused = post(fields("0142 no"), cookies.clone()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("id=\"number-error\""), "{html}");
    assert!(html.contains("value=\"0142 no\""), "kept: {html}");
    assert_eq!(numbers(&app, &acme).await, before, "nothing written");

    let added = post(fields("+33 1 42 00 00 07"), cookies.clone()).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let to = added.headers()[LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    let html = page(&app, &cookies, &to).await;
    assert!(html.contains("The number is added"), "{html}");
    assert!(html.contains("+33142000007"), "{html}");
    let (_, released, id) = numbers(&app, &acme)
        .await
        .into_iter()
        .find(|(n, _, _)| n == "+33142000007")
        .expect("added");
    assert_eq!(released, Value::Null);

    // Support may read the form but the API refuses the number.
    let (support, support_token) = console_session(&app, "support@billfold.example").await;
    let mut attempt = fields("+33142000008");
    attempt[0].1 = support_token.clone();
    let refused = post(attempt, support.clone()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.expect("html").contains("Not allowed"));
    assert!(
        !numbers(&app, &acme)
            .await
            .iter()
            .any(|(n, _, _)| n == "+33142000008")
    );

    // Released today from the usage tab: listed with its day, no longer offered a release.
    let release_path = format!("/admin/customers/{acme}/numbers/{id}/release");
    assert!(
        html.contains(&format!("action=\"{release_path}\"")),
        "{html}"
    );
    let released = form(
        &app,
        &cookies,
        &release_path,
        &[("csrf", token.as_str()), ("on", "")],
    )
    .await;
    assert_eq!(released.status(), StatusCode::SEE_OTHER);
    let to = released.headers()[LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    let html = page(&app, &cookies, &to).await;
    assert!(html.contains("The number is released"), "{html}");
    assert!(
        !html.contains(&format!("action=\"{release_path}\"")),
        "{html}"
    );
    let (_, released, _) = numbers(&app, &acme)
        .await
        .into_iter()
        .find(|(n, _, _)| n == "+33142000007")
        .expect("still listed");
    assert!(released.is_string(), "{released}");
});
