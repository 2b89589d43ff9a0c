//! The credits tab over plain HTTP: billing staff top up and correct a customer's balance and
//! apply and remove coupons; a refusal shows beside the field at fault (or above its form)
//! with nothing written; each change is in the customer's audit log; support is offered none
//! of these forms.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::html::{form, page};
use tests::{Session, e2e_test};

use super::console_session;

/// The customer's credit balance and how many ledger entries it has.
async fn ledger(staff: &Session<'_>, customer: &str) -> (String, usize) {
    let data: Value = staff
        .data(
            "ledger",
            "query L($id: ID!) { customer(id: $id) { creditBalance { amount }
                creditLedger(first: 100) { nodes { id } } } }",
            json!({ "id": customer }),
        )
        .await;
    (
        data["customer"]["creditBalance"]["amount"]
            .as_str()
            .expect("an amount")
            .to_owned(),
        data["customer"]["creditLedger"]["nodes"]
            .as_array()
            .map_or(0, Vec::len),
    )
}

/// A new coupon of the catalog; its id.
async fn coupon(staff: &Session<'_>, code: &str) -> String {
    let data: Value = staff
        .data(
            "createCoupon",
            "mutation C($input: CreateCouponInput!) { createCoupon(input: $input) { coupon { id } } }",
            json!({ "input": { "code": code, "name": "Loyalty", "percentOff": "10",
                "duration": "FOREVER" } }),
        )
        .await;
    data["createCoupon"]["coupon"]["id"]
        .as_str()
        .expect("an id")
        .to_owned()
}

/// The `value` of the hidden `applied` input of the coupons table's first row.
fn applied_id(html: &str) -> String {
    html.split("name=\"applied\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("a coupon to remove: {html}"))
        .to_owned()
}

e2e_test!(billing_staff_adjust_credits_and_apply_coupons, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let tab = format!("/admin/customers/{acme}?tab=credits");
    let (cookies, token) = console_session(&app, "billing@billfold.example").await;
    let adjust_path = format!("/admin/customers/{acme}/credits");
    let before = ledger(&staff, &acme).await;

    // A top-up: the tab says so, the balance grows by 25 once although the form is sent
    // twice (its key, chosen when the tab was shown).
    let shown = page(&app, &cookies, &tab).await;
    let key = tests::html::field(&shown, "key");
    let top_up = [
        ("csrf", token.as_str()),
        ("kind", "TOP_UP"),
        ("amount", "25.00"),
        ("description", "Goodwill for the outage"),
        ("key", key.as_str()),
    ];
    for _ in 0..2 {
        let topped = form(&app, &cookies, &adjust_path, &top_up).await;
        assert_eq!(topped.status(), StatusCode::SEE_OTHER);
    }
    let html = page(&app, &cookies, &format!("{tab}&done=credit-adjusted")).await;
    assert!(html.contains("The credit balance is changed."), "{html}");
    assert!(html.contains("Goodwill for the outage"), "{html}");
    assert!(
        html.contains("id=\"credits-lede\">Balance: €25.00<"),
        "{html}"
    );
    let after_top_up = ledger(&staff, &acme).await;
    assert_eq!(after_top_up.1, before.1 + 1);
    // The same key with another amount is refused, not applied.
    let mut other = top_up;
    other[2] = ("amount", "30.00");
    let reused = form(&app, &cookies, &adjust_path, &other).await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reused
            .text()
            .await
            .expect("html")
            .contains("id=\"adjust-error\"")
    );

    // Refusals beside their field, nothing written: not an amount; below zero.
    for (amount, expected) in [("lots", "amount-error"), ("-100", "amount-error")] {
        let refused = form(
            &app,
            &cookies,
            &adjust_path,
            &[
                ("csrf", &token),
                ("kind", "ADJUSTMENT"),
                ("amount", amount),
                ("description", "Correction"),
            ],
        )
        .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{amount}"
        );
        let html = refused.text().await.expect("html");
        assert!(
            html.contains(&format!("id=\"{expected}\"")),
            "{amount}: {html}"
        );
        assert!(
            html.contains(&format!("value=\"{amount}\"")),
            "kept: {html}"
        );
    }
    let bogus = form(
        &app,
        &cookies,
        &adjust_path,
        &[
            ("csrf", &token),
            ("kind", "GIFT"),
            ("amount", "5"),
            ("description", "x"),
        ],
    )
    .await;
    assert_eq!(bogus.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bogus
            .text()
            .await
            .expect("html")
            .contains("id=\"kind-error\"")
    );
    assert_eq!(ledger(&staff, &acme).await, after_top_up, "nothing written");

    // A coupon applied to every subscription, listed; applying it again is refused above the
    // form; removed, it is no longer listed.
    let loyalty = coupon(&staff, "LOYAL10").await;
    let html = page(&app, &cookies, &tab).await;
    assert!(html.contains("LOYAL10: Loyalty"), "offered: {html}");
    let apply_path = format!("/admin/customers/{acme}/coupons");
    let fields = [
        ("csrf", token.as_str()),
        ("coupon", loyalty.as_str()),
        ("subscription", ""),
    ];
    let applied = form(&app, &cookies, &apply_path, &fields).await;
    assert_eq!(applied.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &cookies, &format!("{tab}&done=coupon-applied")).await;
    assert!(html.contains("The coupon is applied"), "{html}");
    assert!(
        html.contains("<td>LOYAL10 (Loyalty)</td><td>10 %</td><td>Every subscription</td>"),
        "{html}"
    );
    let again = form(&app, &cookies, &apply_path, &fields).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .text()
            .await
            .expect("html")
            .contains("id=\"apply-error\"")
    );
    let none = form(
        &app,
        &cookies,
        &apply_path,
        &[
            ("csrf", token.as_str()),
            ("coupon", ""),
            ("subscription", ""),
        ],
    )
    .await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        none.text()
            .await
            .expect("html")
            .contains("id=\"coupon-error\"")
    );

    // Another customer's applied coupon is not removed through Acme's page.
    let globex = staff.customer_id("Globex").await;
    let _: Value = staff
        .data(
            "applyCoupon",
            "mutation A($input: ApplyCouponInput!) { applyCoupon(input: $input) { appliedCoupon { id } } }",
            json!({ "input": { "couponId": loyalty, "customerId": globex } }),
        )
        .await;
    let globex_tab = page(
        &app,
        &cookies,
        &format!("/admin/customers/{globex}?tab=credits"),
    )
    .await;
    let globexs = applied_id(&globex_tab);
    let remove_path = format!("/admin/customers/{acme}/coupons/remove");
    let wrong = form(
        &app,
        &cookies,
        &remove_path,
        &[("csrf", token.as_str()), ("applied", globexs.as_str())],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .expect("html")
            .contains("This coupon does not discount this customer&#39;s invoices.")
    );
    let globex_after = page(
        &app,
        &cookies,
        &format!("/admin/customers/{globex}?tab=credits"),
    )
    .await;
    assert!(
        globex_after.contains("<td>Active</td>"),
        "kept: {globex_after}"
    );

    let acmes = applied_id(&html);
    let removed = form(
        &app,
        &cookies,
        &remove_path,
        &[("csrf", token.as_str()), ("applied", acmes.as_str())],
    )
    .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &cookies, &format!("{tab}&done=coupon-removed")).await;
    assert!(html.contains("The coupon is removed"), "{html}");
    assert!(
        !html.contains("name=\"applied\""),
        "nothing left to remove: {html}"
    );

    // Each change is audited on the customer.
    let audit = page(
        &app,
        &cookies,
        &format!("/admin/customers/{acme}?tab=audit"),
    )
    .await;
    for action in ["credit.adjust", "coupon.apply", "coupon.remove"] {
        assert!(audit.contains(action), "{action}: {audit}");
    }

    // Support reads the tab and is offered none of its forms.
    let (support, _) = console_session(&app, "support@billfold.example").await;
    let read = page(&app, &support, &tab).await;
    assert!(read.contains("Goodwill for the outage"), "{read}");
    assert_eq!(
        read.matches("method=\"post\"").count(),
        1,
        "sign-out only: {read}"
    );
});
