//! The console's catalog: staff add a product, price it, change its price (a new version) and
//! move its subscriptions to the new version; coupons and tax rates are created and archived;
//! refusals show beside the field at fault; support reads every page and changes nothing.

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};
use tests::html::{form, page};
use tests::{TestApp, e2e_test};

use super::console_session;

/// Where a response redirects to, without its query.
fn location(response: &reqwest::Response) -> String {
    response.headers()[LOCATION]
        .to_str()
        .expect("a location")
        .to_owned()
}

/// The row of the table `id` whose text has `needle`.
fn row<'a>(html: &'a str, needle: &str) -> &'a str {
    html.split("<tr")
        .find(|row| row.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle}: {html}"))
}

/// The price version ids of `product`, newest first.
async fn versions(app: &TestApp, product: &str) -> Vec<String> {
    let staff = app.as_staff().await;
    let data: Value = staff
        .data(
            "product",
            "query P($id: ID!) { product(id: $id) { prices { id } } }",
            json!({ "id": product }),
        )
        .await;
    data["product"]["prices"]
        .as_array()
        .expect("prices")
        .iter()
        .map(|p| p["id"].as_str().expect("id").to_owned())
        .collect()
}

e2e_test!(
    staff_price_a_product_change_its_price_and_move_its_subscriptions,
    |app| {
        let (cookies, token) = console_session(&app, "billing@billfold.example").await;
        let html = page(&app, &cookies, "/admin/catalog").await;
        assert!(html.contains("Add a product"), "{html}");

        let refused = form(
            &app,
            &cookies,
            "/admin/catalog",
            &[
                ("csrf", &token),
                ("name", "Priority support"),
                ("code", "priority support"),
                ("kind", "SERVICE"),
            ],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"code-error\""), "{html}");
        assert!(html.contains("value=\"Priority support\""), "kept: {html}");

        let created = form(
            &app,
            &cookies,
            "/admin/catalog",
            &[
                ("csrf", &token),
                ("name", "Priority support"),
                ("code", "priority-support"),
                ("kind", "SERVICE"),
            ],
        )
        .await;
        assert_eq!(created.status(), StatusCode::SEE_OTHER);
        let product_page = location(&created);
        assert!(
            product_page.ends_with("?done=product-created"),
            "{product_page}"
        );
        let path = product_page.split('?').next().expect("path").to_owned();
        let product = path.rsplit('/').next().expect("id").to_owned();
        let html = page(&app, &cookies, &product_page).await;
        assert!(html.contains("Nothing: add a price below"), "{html}");

        let price = |amount: &'static str, model: &'static str, tiers: &'static str| {
            vec![
                ("csrf", token.clone()),
                ("model", model.to_owned()),
                ("interval", "MONTH".to_owned()),
                ("currency", "EUR".to_owned()),
                ("interval_count", "1".to_owned()),
                ("unit_amount", amount.to_owned()),
                ("package_size", String::new()),
                ("tiers", tiers.to_owned()),
                ("taxable", "on".to_owned()),
            ]
        };
        let post_price = |fields: Vec<(&'static str, String)>| {
            let (app, cookies, path) = (&app, &cookies, format!("{path}/prices"));
            async move {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                form(app, cookies, &path, &fields).await
            }
        };
        // A malformed tier line and a tier the API refuses are both named by line.
        let refused = post_price(price("", "GRADUATED", "1, 10, 5")).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("Line 1: write from, to"), "{html}");
        let refused = post_price(price("", "GRADUATED", "1, 10, 5, 0\n11, , -4, 0")).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"tiers-error\""), "{html}");
        assert!(html.contains("Line 2: "), "{html}");
        assert!(versions(&app, &product).await.is_empty(), "nothing written");

        let priced = post_price(price("10", "PER_UNIT", "")).await;
        assert_eq!(priced.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, &path).await;
        assert!(html.contains("€10.00 per unit"), "{html}");
        let v1 = versions(&app, &product).await.remove(0);

        // A subscription on version 1; then a new version, sold from now on.
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let subscription = staff
            .create_subscription(json!({ "customerId": acme, "anchorDate": "2026-04-02",
                "interval": "MONTH", "items": [{ "priceId": v1, "quantity": 2 }] }))
            .await;
        let changed = post_price(price("12.5", "PER_UNIT", "")).await;
        assert_eq!(changed.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, &path).await;
        assert!(html.contains("Version 2"), "{html}");
        let old = row(&html, "id=\"version-1\"");
        assert!(old.contains("Move 1 to the version sold today"), "{old}");
        let v2 = versions(&app, &product).await.remove(0);

        // Support reads the page but cannot move.
        let (support, support_token) = console_session(&app, "support@billfold.example").await;
        let html = page(&app, &support, &path).await;
        assert!(html.contains("Price versions"), "{html}");
        let refused = form(
            &app,
            &support,
            &format!("{path}/move"),
            &[("csrf", &support_token), ("from", &v1), ("to", &v2)],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"move-error\""), "{html}");

        let moved = form(
            &app,
            &cookies,
            &format!("{path}/move"),
            &[("csrf", &token), ("from", &v1), ("to", &v2)],
        )
        .await;
        assert_eq!(moved.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, &location(&moved)).await;
        assert!(html.contains("The subscriptions are moved"), "{html}");
        assert!(
            !row(&html, "id=\"version-1\"").contains("Move "),
            "nothing left on v1"
        );
        let billing = app.as_billing_admin("Acme Telecom").await;
        // 2 × €12.50 on the next invoice.
        assert_eq!(
            billing
                .upcoming_charges(&subscription.id)
                .await
                .subtotal
                .amount,
            "25.00"
        );

        let list = page(&app, &cookies, "/admin/catalog").await;
        assert!(
            row(&list, "Priority support").contains("v2: €12.50 per unit per month"),
            "{list}"
        );
    }
);

e2e_test!(coupons_and_tax_rates_are_created_and_archived, |app| {
    let (cookies, token) = console_session(&app, "billing@billfold.example").await;
    let coupon = |percent: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("code", "WELCOME10".to_owned()),
            ("name", "Welcome".to_owned()),
            ("off", "percent".to_owned()),
            ("percent_off", percent.to_owned()),
            ("amount_off", String::new()),
            ("currency", "EUR".to_owned()),
            ("duration", "REPEATING".to_owned()),
            ("duration_periods", "3".to_owned()),
            ("max_redemptions", "100".to_owned()),
            ("expires_on", String::new()),
        ]
    };
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let (app, cookies) = (&app, &cookies);
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            form(app, cookies, path, &fields).await
        }
    };
    let refused = post("/admin/catalog/coupons", coupon("150")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("id=\"percent_off-error\""), "{html}");
    let created = post("/admin/catalog/coupons", coupon("10")).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &cookies, &location(&created)).await;
    let welcome = row(&html, "WELCOME10");
    assert!(
        welcome.contains("10 %") && welcome.contains("3 invoices") && welcome.contains("0 of 100"),
        "{welcome}"
    );
    let id = welcome
        .split("name=\"coupon\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an archive form")
        .to_owned();
    let archived = post(
        "/admin/catalog/coupons/archive",
        vec![("csrf", token.clone()), ("coupon", id)],
    )
    .await;
    assert_eq!(archived.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &cookies, &location(&archived)).await;
    assert!(row(&html, "WELCOME10").contains("Archived"), "{html}");

    // A coupon limited to two products chosen in the multiple select.
    let products: Value = app
        .as_staff()
        .await
        .data(
            "products",
            "{ products(first: 2) { nodes { id } } }",
            json!({}),
        )
        .await;
    let ids: Vec<String> = products["products"]["nodes"]
        .as_array()
        .expect("products")
        .iter()
        .map(|p| p["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
    let form_page = page(&app, &cookies, "/admin/catalog/coupons").await;
    assert!(
        form_page.contains(&format!("<option value=\"{}\"", ids[0])),
        "{form_page}"
    );
    let mut limited = coupon("5");
    limited[1].1 = "VOIP5".to_owned();
    limited.push(("products", ids[0].clone()));
    limited.push(("products", ids[1].clone()));
    let created = post("/admin/catalog/coupons", limited).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &cookies, &location(&created)).await;
    assert!(row(&html, "VOIP5").contains("(some products)"), "{html}");
    let coupons: Value = app
        .as_staff()
        .await
        .data(
            "coupons",
            "{ coupons(first: 50) { nodes { code productIds } } }",
            json!({}),
        )
        .await;
    let voip = coupons["coupons"]["nodes"]
        .as_array()
        .expect("coupons")
        .iter()
        .find(|c| c["code"] == "VOIP5")
        .expect("created")
        .clone();
    let mut limited_to: Vec<String> = voip["productIds"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|id| id.as_str().expect("id").to_owned())
        .collect();
    limited_to.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(limited_to, expected);

    let rate = |name: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("country", "lu".to_owned()),
            ("region", String::new()),
            ("name", name.to_owned()),
            ("rate", "17".to_owned()),
        ]
    };
    let created = post("/admin/catalog/tax-rates", rate("TVA LU")).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &cookies, &location(&created)).await;
    assert!(row(&html, "TVA LU").contains("17 %"), "{html}");
    // A second active rate for Luxembourg: refused above the form, nothing written.
    let refused = post("/admin/catalog/tax-rates", rate("TVA LU bis")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("id=\"form-error\""), "{html}");
    assert!(!html.contains("<td>TVA LU bis</td>"), "{html}");
    let id = row(&html, "TVA LU")
        .split("name=\"rate\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an archive form")
        .to_owned();
    let archived = post(
        "/admin/catalog/tax-rates/archive",
        vec![("csrf", token.clone()), ("rate", id)],
    )
    .await;
    assert_eq!(archived.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &cookies, &location(&archived)).await;
    assert!(row(&html, "TVA LU").contains("Archived"), "{html}");

    // Support reads both lists and is refused a change.
    let (support, support_token) = console_session(&app, "support@billfold.example").await;
    page(&app, &support, "/admin/catalog/coupons").await;
    page(&app, &support, "/admin/catalog/tax-rates").await;
    let refused = form(
        &app,
        &support,
        "/admin/catalog/tax-rates",
        &[
            ("csrf", &support_token),
            ("country", "BE"),
            ("region", ""),
            ("name", "TVA BE"),
            ("rate", "21"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("Not allowed"), "{html}");
});

e2e_test!(staff_create_a_tariff_and_its_next_version, |app| {
    let (cookies, token) = console_session(&app, "billing@billfold.example").await;
    let tariff = |name: &'static str, rates: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("name", name.to_owned()),
            ("currency", "eur".to_owned()),
            ("rates", rates.to_owned()),
            ("increment_first_seconds", "30".to_owned()),
            ("increment_next_seconds", "6".to_owned()),
            ("minimum_charge", "0.05".to_owned()),
            ("connection_fee", "0".to_owned()),
        ]
    };
    let post = |path: String, fields: Vec<(&'static str, String)>| {
        let (app, cookies) = (&app, &cookies);
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            form(app, cookies, &path, &fields).await
        }
    };
    // A line without a comma, then a prefix the API refuses: both named by line.
    let refused = post(
        "/admin/catalog/tariffs".into(),
        tariff("Europe", "33, 0.10\n44 0.03"),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("Line 2: write the prefix"), "{html}");
    assert!(html.contains("44 0.03"), "kept: {html}");
    let refused = post(
        "/admin/catalog/tariffs".into(),
        tariff("Europe", "33, 0.10\n+44, 0.03"),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(
        html.contains("id=\"rates-error\"") && html.contains("Line 2: "),
        "{html}"
    );

    let created = post(
        "/admin/catalog/tariffs".into(),
        tariff("Europe", "33, 0.10\n44, 0.03"),
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let tariff_page = location(&created);
    let path = tariff_page.split('?').next().expect("path").to_owned();
    let html = page(&app, &cookies, &tariff_page).await;
    assert!(html.contains("The tariff is created"), "{html}");
    assert!(
        html.contains("<tr><td>44</td><td class=\"num\">0.03</td></tr>"),
        "{html}"
    );
    // The new version form starts from the current one (rates as the API normalised them).
    assert!(html.contains("33, 0.1\n44, 0.03</textarea>"), "{html}");

    let version = vec![
        ("csrf", token.clone()),
        ("rates", "33, 0.10\n44, 0.03\n1, 0.02".to_owned()),
        ("increment_first_seconds", "60".to_owned()),
        ("increment_next_seconds", "60".to_owned()),
        ("minimum_charge", "0".to_owned()),
        ("connection_fee", "0".to_owned()),
    ];
    let changed = post(format!("{path}/versions"), version.clone()).await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &cookies, &path).await;
    assert!(
        row(&html, "id=\"tariff-version-2\"").contains("rates new calls"),
        "{html}"
    );
    assert!(
        html.contains("<tr><td>1</td><td class=\"num\">0.02</td></tr>"),
        "{html}"
    );
    let list = page(&app, &cookies, "/admin/catalog/tariffs").await;
    assert!(row(&list, "Europe").contains("v2"), "{list}");

    // Support reads the tariff and is refused a version.
    let (support, support_token) = console_session(&app, "support@billfold.example").await;
    page(&app, &support, &path).await;
    let mut fields = version;
    fields[0].1 = support_token;
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = form(&app, &support, &format!("{path}/versions"), &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.expect("html").contains("Not allowed"));
});

e2e_test!(products_are_found_by_name_code_kind_and_status, |app| {
    let staff = app.as_staff().await;
    for (name, code, kind) in [
        ("Fibre 1 Gbit/s", "fibre-1g", "SERVICE"),
        ("Fibre installation", "fibre-install", "ONE_OFF"),
    ] {
        let _: Value = staff
            .data(
                "createProduct",
                "mutation M($input: CreateProductInput!) { createProduct(input: $input) {
                    product { id } } }",
                json!({ "input": { "name": name, "code": code, "kind": kind } }),
            )
            .await;
    }
    let (cookies, _) = console_session(&app, "support@billfold.example").await;
    let listed = |html: &str, name: &str| html.contains(&format!(">{name}</a>"));

    // A piece of the name or code, in any case.
    let html = page(&app, &cookies, "/admin/catalog?q=FIBRE").await;
    assert!(
        listed(&html, "Fibre 1 Gbit/s") && listed(&html, "Fibre installation"),
        "{html}"
    );
    assert_eq!(
        html.matches("<tr").count(),
        3,
        "the heading and two products: {html}"
    );
    let html = page(&app, &cookies, "/admin/catalog?q=install").await;
    assert!(!listed(&html, "Fibre 1 Gbit/s") && listed(&html, "Fibre installation"));
    // With a kind; sold or not; the filter kept in the form.
    let html = page(
        &app,
        &cookies,
        "/admin/catalog?q=fibre&kind=ONE_OFF&status=sold",
    )
    .await;
    assert!(!listed(&html, "Fibre 1 Gbit/s") && listed(&html, "Fibre installation"));
    assert!(html.contains("value=\"fibre\""), "{html}");
    assert!(
        html.contains("<option value=\"ONE_OFF\" selected>"),
        "{html}"
    );
    let html = page(&app, &cookies, "/admin/catalog?q=fibre&status=archived").await;
    assert!(html.contains("No product matches."), "{html}");
    // A LIKE wildcard is only itself.
    let html = page(&app, &cookies, "/admin/catalog?q=%25").await;
    assert!(html.contains("No product matches."), "{html}");

    // A value the selects do not offer is refused, not read as "every product".
    for bad in ["kind=PHONE", "status=gone"] {
        let response = app
            .client
            .get(format!("{}/admin/catalog?{bad}", app.address))
            .header(reqwest::header::COOKIE, &cookies)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    let long = "x".repeat(201);
    let refused = staff
        .graphql(
            "query P($q: String) { products(search: $q) { nodes { id } } }",
            json!({ "q": long }),
        )
        .await;
    assert_eq!(
        tests::error_code(&refused),
        Some("BAD_USER_INPUT"),
        "{refused}"
    );
    assert_eq!(
        refused["errors"][0]["extensions"]["field"],
        json!("search"),
        "{refused}"
    );
});
