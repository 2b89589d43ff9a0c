//! Every list staff work through is filtered the way they are asked about it, through the API
//! and the console's pages: coupons, tax rates and tariffs; staff users and API keys; unrated
//! calls by tariff and customer; a customer's numbers and credit changes. A value a select
//! does not offer is a bad request, never "every row". (That a next page keeps the filter is
//! `console::filter`'s unit test.)

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::html::page;
use tests::{Session, TestApp, assert_bad_input, assert_ok, e2e_test};

use super::console_session;
use crate::numbers::{add_number, call_at, create_tariff, record_calls, tariff_input, telecom};

/// The ids of `body`'s `field` connection (under `data`, or under `data.customer`).
fn ids(body: &Value, field: &str) -> BTreeSet<String> {
    assert_ok(body);
    let data = &body["data"];
    let connection = if data[field].is_null() {
        &data["customer"][field]
    } else {
        &data[field]
    };
    connection["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{field}: {body}"))
        .iter()
        .map(|n| n["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The status of the console's answer to `path`.
async fn status_of(app: &TestApp, cookies: &str, path: &str) -> StatusCode {
    app.client
        .get(format!("{}{path}", app.address))
        .header(reqwest::header::COOKIE, cookies)
        .send()
        .await
        .expect("sent")
        .status()
}

/// Runs `mutation` with `input` as `who`; the `id` at `path` of its data.
async fn create(who: &Session<'_>, mutation: &str, input: Value, path: &[&str]) -> String {
    let body = who.graphql(mutation, json!({ "input": input })).await;
    assert_ok(&body);
    let mut node = &body["data"];
    for key in path {
        node = &node[key];
    }
    node.as_str()
        .unwrap_or_else(|| panic!("{path:?}: {body}"))
        .to_owned()
}

const CREATE_COUPON: &str = "mutation M($input: CreateCouponInput!) {
    createCoupon(input: $input) { coupon { id } } }";
const ARCHIVE_COUPON: &str = "mutation M($input: ArchiveCouponInput!) {
    archiveCoupon(input: $input) { coupon { id } } }";

e2e_test!(
    coupons_tax_rates_and_tariffs_are_found_by_what_staff_know,
    |app| {
        let staff = app.as_staff().await;
        let coupon = |code: &str, name: &str| json!({ "code": code, "name": name, "percentOff": "10", "duration": "ONCE" });
        let spring = create(
            &staff,
            CREATE_COUPON,
            coupon("SPRING10", "Spring sale"),
            &["createCoupon", "coupon", "id"],
        )
        .await;
        let winter = create(
            &staff,
            CREATE_COUPON,
            coupon("WINTER5", "Winter 50%_off"),
            &["createCoupon", "coupon", "id"],
        )
        .await;
        let _: Value = staff
            .data(
                "archiveCoupon",
                ARCHIVE_COUPON,
                json!({ "input": { "couponId": winter } }),
            )
            .await;
        let coupons = |variables: Value| {
            let staff = &staff;
            async move {
                let query = "query Q($q: String, $active: Boolean) {
                coupons(search: $q, active: $active) { nodes { id } } }";
                ids(&staff.graphql(query, variables).await, "coupons")
            }
        };
        assert_eq!(
            coupons(json!({ "q": "spring" })).await,
            BTreeSet::from([spring.clone()])
        );
        // By name too, and a LIKE wildcard is only itself: `_` is no "any character", and
        // `g%s` does not find "Spring sale".
        assert_eq!(
            coupons(json!({ "q": "50%_OFF" })).await,
            BTreeSet::from([winter.clone()])
        );
        assert_eq!(
            coupons(json!({ "q": "_" })).await,
            BTreeSet::from([winter.clone()])
        );
        assert_eq!(coupons(json!({ "q": "g%s" })).await, BTreeSet::new());
        let archived = coupons(json!({ "active": false })).await;
        assert!(archived.contains(&winter) && !archived.contains(&spring));
        let active = coupons(json!({ "active": true })).await;
        assert!(active.contains(&spring) && !active.contains(&winter));

        // Tax rates by country (in any case) and status.
        let lu = create(
        &staff,
        "mutation M($input: CreateTaxRateInput!) { createTaxRate(input: $input) { taxRate { id } } }",
        json!({ "country": "LU", "name": "TVA", "rate": "17" }),
        &["createTaxRate", "taxRate", "id"],
    )
    .await;
        let _: Value = staff
            .data(
                "createTaxRate",
                "mutation M($input: CreateTaxRateInput!) { createTaxRate(input: $input) { taxRate { id } } }",
                json!({ "input": { "country": "BE", "name": "BTW", "rate": "21" } }),
            )
            .await;
        let rates = "query Q($country: String, $active: Boolean) {
        taxRates(country: $country, active: $active) { nodes { id country } } }";
        assert_eq!(
            ids(
                &staff.graphql(rates, json!({ "country": "lu" })).await,
                "taxRates"
            ),
            BTreeSet::from([lu.clone()])
        );
        assert_eq!(
            ids(
                &staff
                    .graphql(rates, json!({ "country": "LU", "active": false }))
                    .await,
                "taxRates"
            ),
            BTreeSet::new()
        );
        assert_bad_input(
            &staff
                .graphql(rates, json!({ "country": "Luxembourg" }))
                .await,
            "country",
        );

        // Tariffs by name and currency.
        let (eur, _) = create_tariff(&staff, tariff_input("Filtered Europe", "EUR")).await;
        let (usd, _) = create_tariff(&staff, tariff_input("Filtered America", "USD")).await;
        let tariffs = "query Q($q: String, $currency: String) {
        tariffs(search: $q, currency: $currency) { nodes { id currentVersion { rateCount } } } }";
        assert_eq!(
            ids(
                &staff.graphql(tariffs, json!({ "q": "filtered" })).await,
                "tariffs"
            ),
            BTreeSet::from([eur.clone(), usd.clone()])
        );
        let body = staff
            .graphql(tariffs, json!({ "q": "filtered", "currency": "usd" }))
            .await;
        assert_eq!(ids(&body, "tariffs"), BTreeSet::from([usd.clone()]));
        assert_eq!(
            body["data"]["tariffs"]["nodes"][0]["currentVersion"]["rateCount"],
            2
        );
        assert_bad_input(
            &staff.graphql(tariffs, json!({ "currency": "EURO" })).await,
            "currency",
        );

        // The console's pages, as support reads them.
        let (cookies, _) = console_session(&app, "support@billfold.example").await;
        let html = page(&app, &cookies, "/admin/catalog/coupons?q=spring").await;
        assert!(
            html.contains("SPRING10") && !html.contains("WINTER5"),
            "{html}"
        );
        assert!(
            html.contains("value=\"spring\""),
            "the search is shown again: {html}"
        );
        let html = page(&app, &cookies, "/admin/catalog/coupons?status=archived").await;
        assert!(
            html.contains("WINTER5") && !html.contains("SPRING10"),
            "{html}"
        );
        assert!(
            html.contains("<option value=\"archived\" selected>"),
            "{html}"
        );
        let html = page(&app, &cookies, "/admin/catalog/coupons?q=nothing-like-it").await;
        assert!(html.contains("No coupon matches."), "{html}");
        let html = page(&app, &cookies, "/admin/catalog/tax-rates?country=LU").await;
        assert!(html.contains("TVA") && !html.contains("BTW"), "{html}");
        let html = page(
            &app,
            &cookies,
            "/admin/catalog/tariffs?q=filtered&currency=USD",
        )
        .await;
        assert!(
            html.contains("Filtered America") && !html.contains("Filtered Europe"),
            "{html}"
        );
        for bad in [
            "/admin/catalog/coupons?status=gone",
            "/admin/catalog/tax-rates?status=true",
            "/admin/catalog/tax-rates?country=Luxembourg",
            "/admin/catalog/tariffs?currency=EURO",
        ] {
            assert_eq!(
                status_of(&app, &cookies, bad).await,
                StatusCode::BAD_REQUEST,
                "{bad}"
            );
        }
    }
);

e2e_test!(staff_users_and_api_keys_are_filtered_and_paged, |app| {
    let admin = app.as_staff().await;
    let helper = create(
        &admin,
        "mutation M($input: CreateStaffUserInput!) { createStaffUser(input: $input) { user { id } } }",
        json!({ "email": "helper@billfold.example", "name": "Helga Helper", "role": "SUPPORT" }),
        &["createStaffUser", "user", "id"],
    )
    .await;
    let _: Value = admin
        .data(
            "disableStaffUser",
            "mutation M($input: StaffUserIdInput!) { disableStaffUser(input: $input) { user { id } } }",
            json!({ "input": { "userId": helper } }),
        )
        .await;
    let staff = "query Q($q: String, $role: Role, $enabled: Boolean) {
        staffUsers(search: $q, role: $role, enabled: $enabled) { nodes { id email role } } }";
    assert_eq!(
        ids(
            &admin.graphql(staff, json!({ "q": "HELGA" })).await,
            "staffUsers"
        ),
        BTreeSet::from([helper.clone()])
    );
    let supports = ids(
        &admin.graphql(staff, json!({ "role": "SUPPORT" })).await,
        "staffUsers",
    );
    assert!(
        supports.contains(&helper) && supports.len() >= 2,
        "{supports:?}"
    );
    let enabled = ids(
        &admin
            .graphql(staff, json!({ "role": "SUPPORT", "enabled": true }))
            .await,
        "staffUsers",
    );
    assert!(!enabled.contains(&helper) && !enabled.is_empty());
    // A customer's role is no staff user's: refused, not an empty list.
    assert_bad_input(
        &admin.graphql(staff, json!({ "role": "OWNER" })).await,
        "role",
    );

    // API keys, newest first, a page at a time, by state.
    let mut keys = Vec::new();
    for name in ["first", "second", "third"] {
        let body = admin
            .graphql(
                "mutation M($name: String!) { createApiKey(input: {name: $name, scopes: [USAGE_WRITE]}) { apiKey { id } } }",
                json!({ "name": name }),
            )
            .await;
        assert_ok(&body);
        keys.push(
            body["data"]["createApiKey"]["apiKey"]["id"]
                .as_str()
                .expect("key id")
                .to_owned(),
        );
    }
    let _: Value = admin
        .data(
            "revokeApiKey",
            "mutation R($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id } } }",
            json!({ "input": { "apiKeyId": keys[1] } }),
        )
        .await;
    let page_of = "query Q($after: String, $active: Boolean) {
        apiKeys(first: 1, after: $after, active: $active) {
            nodes { id } pageInfo { hasNextPage endCursor } } }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = admin.graphql(page_of, json!({ "after": after })).await;
        seen.extend(ids(&body, "apiKeys"));
        let info = &body["data"]["apiKeys"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    let newest_first: Vec<String> = keys.iter().rev().cloned().collect();
    assert_eq!(seen, newest_first, "one at a time, newest first");
    let all = "query Q($active: Boolean) { apiKeys(active: $active) { nodes { id } } }";
    assert_eq!(
        ids(
            &admin.graphql(all, json!({ "active": false })).await,
            "apiKeys"
        ),
        BTreeSet::from([keys[1].clone()])
    );
    assert_eq!(
        ids(
            &admin.graphql(all, json!({ "active": true })).await,
            "apiKeys"
        ),
        BTreeSet::from([keys[0].clone(), keys[2].clone()])
    );

    // The pages.
    let (cookies, _) = console_session(&app, "admin@billfold.example").await;
    let html = page(&app, &cookies, "/admin/staff?q=helga&access=disabled").await;
    assert!(html.contains("helper@billfold.example"), "{html}");
    assert!(!html.contains("support@billfold.example"), "{html}");
    let html = page(&app, &cookies, "/admin/staff?role=SUPPORT&access=enabled").await;
    assert!(!html.contains("helper@billfold.example"), "{html}");
    assert!(html.contains("support@billfold.example"), "{html}");
    // The filter's own select shows the role chosen (each row has a role select too).
    let filter = html
        .split("id=\"filter-role\"")
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .expect("the role filter");
    assert!(
        filter.contains("<option value=\"SUPPORT\" selected>"),
        "{filter}"
    );
    let html = page(&app, &cookies, "/admin/api-keys?state=revoked").await;
    assert!(
        !html.contains("Revoke first") && html.contains(">second<"),
        "{html}"
    );
    let html = page(&app, &cookies, "/admin/api-keys?state=active").await;
    assert!(
        html.contains("Revoke first")
            && html.contains("Revoke third")
            && !html.contains(">second<"),
        "{html}"
    );
    for bad in [
        "/admin/staff?role=OWNER",
        "/admin/staff?access=maybe",
        "/admin/api-keys?state=gone",
    ] {
        assert_eq!(
            status_of(&app, &cookies, bad).await,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
});

e2e_test!(
    unrated_calls_numbers_and_credit_changes_are_filtered,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        // A second customer billed in euros, as the test tariff is.
        let initech = create(
        &staff,
        "mutation M($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }",
        json!({ "name": "Initech", "email": "ap@initech.example", "currency": "EUR",
            "timeZone": "Europe/Paris" }),
        &["createCustomer", "customer", "id"],
    )
    .await;
        let acme_fx = telecom(&app, &acme, 2).await;
        let initech_fx = telecom(&app, &initech, 1).await;
        let acme_paris = add_number(&staff, &acme_fx, "+33142685300").await;
        let acme_lyon = add_number(&staff, &acme_fx, "+33478000000").await;
        add_number(&staff, &initech_fx, "+33140000009").await;
        // The test tariff rates France only: calls to the UK stay unrated.
        let body = record_calls(
            &staff,
            json!([
                call_at(
                    "+33142685300",
                    "+447700900001",
                    60,
                    "acme-1",
                    "2026-12-02T09:00:00Z"
                ),
                call_at(
                    "+33478000000",
                    "+447700900002",
                    60,
                    "acme-2",
                    "2026-12-02T10:00:00Z"
                ),
                call_at(
                    "+33140000009",
                    "+447700900003",
                    60,
                    "initech-1",
                    "2026-12-02T11:00:00Z"
                ),
            ]),
        )
        .await;
        assert_eq!(body["data"]["recordCalls"]["unrated"], 3, "{body}");
        let unrated = "query Q($customer: ID, $tariff: ID, $after: String, $first: Int) {
        unratedCalls(customerId: $customer, tariffId: $tariff, after: $after, first: $first) {
            nodes { id customerId customerName number tariffName }
            pageInfo { hasNextPage endCursor } } }";
        let of = |variables: Value| {
            let staff = &staff;
            async move { staff.graphql(unrated, variables).await }
        };
        let by_tariff = of(json!({ "tariff": acme_fx.tariff })).await;
        let nodes = by_tariff["data"]["unratedCalls"]["nodes"]
            .as_array()
            .expect("nodes")
            .clone();
        assert_eq!(nodes.len(), 2, "{by_tariff}");
        assert!(nodes.iter().all(|n| n["customerName"] == "Acme Telecom"));
        assert_eq!(nodes[0]["number"], "+33142685300", "oldest first");
        assert!(
            nodes[0]["tariffName"]
                .as_str()
                .expect("tariff")
                .starts_with("France ")
        );
        let by_customer = ids(&of(json!({ "customer": initech })).await, "unratedCalls");
        assert_eq!(by_customer.len(), 1);
        // A page at a time, the filter kept by the cursor's list.
        let first = of(json!({ "customer": acme, "first": 1 })).await;
        assert_eq!(
            first["data"]["unratedCalls"]["pageInfo"]["hasNextPage"],
            true
        );
        let cursor = first["data"]["unratedCalls"]["pageInfo"]["endCursor"].clone();
        let second = of(json!({ "customer": acme, "first": 1, "after": cursor })).await;
        assert_eq!(
            second["data"]["unratedCalls"]["pageInfo"]["hasNextPage"],
            false
        );
        let both: BTreeSet<String> = ids(&first, "unratedCalls")
            .union(&ids(&second, "unratedCalls"))
            .cloned()
            .collect();
        assert_eq!(both, ids(&by_tariff, "unratedCalls"));
        assert_bad_input(&of(json!({ "tariff": "cus_nope" })).await, "tariffId");

        // A customer's numbers, found however the number is written, held or released.
        let numbers = "query Q($id: ID!, $q: String, $released: Boolean) { customer(id: $id) {
        phoneNumbers(search: $q, released: $released) { nodes { id } } } }";
        let found = |q: &str| {
            let staff = &staff;
            let acme = acme.clone();
            let q = q.to_owned();
            async move {
                ids(
                    &staff.graphql(numbers, json!({ "id": acme, "q": q })).await,
                    "phoneNumbers",
                )
            }
        };
        assert_eq!(
            found("01 42 68").await,
            BTreeSet::from([acme_paris.clone()])
        );
        assert_eq!(found("+33 4 78").await, BTreeSet::from([acme_lyon.clone()]));
        assert_eq!(
            found("9").await,
            BTreeSet::new(),
            "Initech's number is not Acme's"
        );
        assert_bad_input(
            &staff
                .graphql(numbers, json!({ "id": acme, "q": "Paris" }))
                .await,
            "search",
        );
        let _: Value = staff
        .data(
            "releasePhoneNumber",
            "mutation R($input: ReleasePhoneNumberInput!) { releasePhoneNumber(input: $input) { phoneNumber { id } } }",
            json!({ "input": { "phoneNumberId": acme_lyon } }),
        )
        .await;
        let released = |flag: bool| {
            let staff = &staff;
            let acme = acme.clone();
            async move {
                ids(
                    &staff
                        .graphql(numbers, json!({ "id": acme, "released": flag }))
                        .await,
                    "phoneNumbers",
                )
            }
        };
        assert_eq!(released(true).await, BTreeSet::from([acme_lyon.clone()]));
        assert!(released(false).await.contains(&acme_paris));
        assert!(!released(false).await.contains(&acme_lyon));

        // Credit changes by kind.
        for (kind, amount) in [("TOP_UP", "30.00"), ("ADJUSTMENT", "-5.00")] {
            let _: Value = staff
            .data(
                "adjustCreditBalance",
                "mutation A($input: AdjustCreditBalanceInput!) { adjustCreditBalance(input: $input) { entry { id } } }",
                json!({ "input": { "customerId": acme, "kind": kind, "amount": amount,
                    "description": format!("{kind} by the test") } }),
            )
            .await;
        }
        let ledger = "query Q($id: ID!, $kind: CreditEntryKind) { customer(id: $id) {
        creditLedger(kind: $kind) { nodes { id kind } } } }";
        let body = staff
            .graphql(ledger, json!({ "id": acme, "kind": "ADJUSTMENT" }))
            .await;
        assert_ok(&body);
        let kinds: Vec<&Value> = body["data"]["customer"]["creditLedger"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| &n["kind"])
            .collect();
        assert_eq!(kinds, vec![&json!("ADJUSTMENT")], "{body}");

        // The pages.
        let (cookies, _) = console_session(&app, "support@billfold.example").await;
        let html = page(
            &app,
            &cookies,
            &format!("/admin/usage?tariff={}", initech_fx.tariff),
        )
        .await;
        assert!(
            html.contains("+33140000009") && !html.contains("+33142685300"),
            "{html}"
        );
        let usage = format!("/admin/customers/{acme}?tab=usage");
        let html = page(&app, &cookies, &format!("{usage}&number=01+42")).await;
        assert!(
            html.contains("+33142685300") && !html.contains("+33478000000"),
            "{html}"
        );
        // The tab is kept by the form, which a GET sends without its action's query.
        assert!(
            html.contains("<input type=\"hidden\" name=\"tab\" value=\"usage\">"),
            "{html}"
        );
        let html = page(&app, &cookies, &format!("{usage}&held=released")).await;
        assert!(
            html.contains("+33478000000") && !html.contains("+33142685300"),
            "{html}"
        );
        let credits = format!("/admin/customers/{acme}?tab=credits");
        let html = page(&app, &cookies, &format!("{credits}&change=TOP_UP")).await;
        assert!(
            html.contains("TOP_UP by the test") && !html.contains("ADJUSTMENT by the test"),
            "{html}"
        );
        for bad in [
            "/admin/usage?tariff=nope".to_owned(),
            // Well formed but not offered: never a page whose "Rate again" names another tariff.
            format!("/admin/usage?tariff={}", ids::TariffId::new()),
            format!("{usage}&number=Paris"),
            format!("{usage}&held=maybe"),
            format!("{credits}&change=GIFT"),
        ] {
            assert_eq!(
                status_of(&app, &cookies, &bad).await,
                StatusCode::BAD_REQUEST,
                "{bad}"
            );
        }
    }
);

e2e_test!(
    a_customer_s_portal_users_are_found_by_name_e_mail_and_role,
    |app| {
        let acme = app.customer_id("Acme Telecom").await;
        let staff = app.as_support().await;
        let query = "query U($id: ID!, $search: String, $role: Role) { customer(id: $id) {
            users(search: $search, role: $role) { nodes { email role } } } }";
        let emails = |body: Value| -> Vec<String> {
            assert_ok(&body);
            body["data"]["customer"]["users"]["nodes"]
                .as_array()
                .unwrap_or_else(|| panic!("users: {body}"))
                .iter()
                .map(|u| u["email"].as_str().expect("email").to_owned())
                .collect()
        };
        let every = emails(staff.graphql(query, json!({ "id": acme })).await);
        assert_eq!(
            every.len(),
            3,
            "the demo's owner, billing admin and viewer: {every:?}"
        );
        // Any case, name or e-mail.
        let owners = emails(
            staff
                .graphql(query, json!({ "id": acme, "search": "  OWNER " }))
                .await,
        );
        assert_eq!(owners.len(), 1, "{owners:?}");
        assert!(owners[0].starts_with("owner@"), "{owners:?}");
        let viewers = emails(
            staff
                .graphql(query, json!({ "id": acme, "role": "VIEWER" }))
                .await,
        );
        assert_eq!(viewers.len(), 1, "{viewers:?}");
        assert!(every.contains(&viewers[0]));
        let none = emails(
            staff
                .graphql(
                    query,
                    json!({ "id": acme, "search": "owner", "role": "VIEWER" }),
                )
                .await,
        );
        assert!(none.is_empty(), "both filters apply: {none:?}");
        // A staff role is no organisation's, and a search has a bound.
        assert_bad_input(
            &staff
                .graphql(query, json!({ "id": acme, "role": "ADMIN" }))
                .await,
            "role",
        );
        assert_bad_input(
            &staff
                .graphql(query, json!({ "id": acme, "search": "x".repeat(201) }))
                .await,
            "search",
        );

        // The console's users tab: the same filter, kept on its tab; an unknown role is 400.
        let (cookies, _) = console_session(&app, "support@billfold.example").await;
        let tab = format!("/admin/customers/{acme}?tab=users");
        let html = page(&app, &cookies, &format!("{tab}&q=owner")).await;
        assert!(html.contains("name=\"tab\" value=\"users\""), "{html}");
        assert!(html.contains(&owners[0]), "{html}");
        for other in every.iter().filter(|e| **e != owners[0]) {
            assert!(
                !html.contains(other.as_str()),
                "{other} is filtered out: {html}"
            );
        }
        let html = page(&app, &cookies, &format!("{tab}&q=nobody-here")).await;
        assert!(html.contains("No portal user matches."), "{html}");
        let bogus = app
            .client
            .get(format!("{}{tab}&role=ADMIN", app.address))
            .header(reqwest::header::COOKIE, &cookies)
            .send()
            .await
            .expect("request");
        assert_eq!(bogus.status(), StatusCode::BAD_REQUEST);
    }
);

e2e_test!(
    a_customer_s_documents_are_filtered_by_type_and_review_status,
    |app| {
        use crate::vault::{pdf, review::review, uploaded};
        let acme = app.customer_id("Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let staff = app.as_billing_staff().await;
        let upload = |kind: &'static str, name: &'static str, size: usize| {
            let (app, token) = (&app, billing.token().to_owned());
            async move {
                uploaded(app, &token, &[("type", kind), ("name", name)], pdf(size)).await["id"]
                    .as_str()
                    .expect("id")
                    .to_owned()
            }
        };
        let kbis = upload("company_registration", "Kbis.pdf", 300).await;
        let accepted = upload("other", "Signed order.pdf", 301).await;
        let waiting = upload("other", "Floor plan.pdf", 302).await;
        assert_ok(&review(&staff, &accepted, "ACCEPT", None).await);

        let query = "query D($id: ID!, $type: DocumentType, $status: DocumentStatus) {
            customer(id: $id) { documents(type: $type, status: $status) { nodes { id } } } }";
        let found = |variables: Value| {
            let staff = &staff;
            async move { ids(&staff.graphql(query, variables).await, "documents") }
        };
        let every = found(json!({ "id": acme })).await;
        assert!(
            [&kbis, &accepted, &waiting]
                .iter()
                .all(|d| every.contains(*d)),
            "{every:?}"
        );
        assert_eq!(
            found(json!({ "id": acme, "type": "COMPANY_REGISTRATION" })).await,
            BTreeSet::from([kbis.clone()])
        );
        let pending_other =
            found(json!({ "id": acme, "type": "OTHER", "status": "PENDING" })).await;
        assert_eq!(pending_other, BTreeSet::from([waiting.clone()]));
        assert_eq!(
            found(json!({ "id": acme, "status": "ACCEPTED", "type": "OTHER" })).await,
            BTreeSet::from([accepted.clone()])
        );

        // The documents tab: the same filter on its tab; a value it does not offer is a 400.
        let (cookies, _) = console_session(&app, "support@billfold.example").await;
        let tab = format!("/admin/customers/{acme}?tab=documents");
        let html = page(
            &app,
            &cookies,
            &format!("{tab}&doc_type=OTHER&status=PENDING"),
        )
        .await;
        assert!(html.contains("name=\"tab\" value=\"documents\""), "{html}");
        assert!(html.contains("Floor plan.pdf"), "{html}");
        assert!(
            !html.contains("Signed order.pdf") && !html.contains("Kbis.pdf"),
            "{html}"
        );
        let html = page(&app, &cookies, &format!("{tab}&doc_type=CONTRACT")).await;
        assert!(html.contains("No document matches."), "{html}");
        let bogus = app
            .client
            .get(format!("{}{tab}&status=LOST", app.address))
            .header(reqwest::header::COOKIE, &cookies)
            .send()
            .await
            .expect("request");
        assert_eq!(bogus.status(), StatusCode::BAD_REQUEST);
    }
);
