//! Stripe in the portal: saving a method through `beginPaymentMethodSetup` and
//! `completePaymentMethodSetup` (the Payment Element's part played by the in-test Stripe), the
//! Payment Element page and its Content-Security-Policy, and a payment the bank wants
//! authenticated (3-D Secure) finished with Stripe.js's `handleNextAction`.

use entity::payment_attempt::AttemptStatus;
use entity::payment_method;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tests::stripe::{FakeStripe, PUBLISHABLE_KEY, TestMethod};
use tests::{Backend, TestApp, assert_code};

use super::stripe::{save_method, stripe_test};
use super::*;

const BEGIN: &str = "mutation B($input: BeginPaymentMethodSetupInput!) {
    beginPaymentMethodSetup(input: $input) { setupIntentId clientSecret publishableKey } }";
const COMPLETE: &str = "mutation C($input: CompletePaymentMethodSetupInput!) {
    completePaymentMethodSetup(input: $input) { paymentMethod { id kind last4 label } } }";

async fn methods(app: &TestApp) -> u64 {
    payment_method::Entity::find()
        .count(app.app.db.reads())
        .await
        .expect("methods")
}

/// Begins a setup of `kind` as `session` for `customer`; the payload.
async fn begin(session: &tests::Session<'_>, customer: &str, kind: &str) -> Value {
    let body = session
        .graphql(
            BEGIN,
            json!({ "input": { "customerId": customer, "kind": kind } }),
        )
        .await;
    body["data"]["beginPaymentMethodSetup"].clone()
}

async fn complete(session: &tests::Session<'_>, customer: &str, setup: &str) -> Value {
    session
        .graphql(
            COMPLETE,
            json!({ "input": { "customerId": customer, "setupIntentId": setup } }),
        )
        .await
}

stripe_test!(
    a_method_is_saved_through_graphql_once_and_only_by_its_organisation,
    |app, stripe| {
        let acme = app.customer_id("Acme Telecom").await;
        let globex = app.customer_id("Globex").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let begun = begin(&billing, &acme, "SEPA_DEBIT").await;
        assert_eq!(begun["publishableKey"], PUBLISHABLE_KEY, "{begun}");
        let setup = begun["setupIntentId"].as_str().expect("a setup").to_owned();
        assert!(setup.starts_with("seti_"), "{begun}");
        assert!(
            begun["clientSecret"]
                .as_str()
                .is_some_and(|s| s.starts_with(&format!("{setup}_secret"))),
            "{begun}"
        );
        assert_eq!(
            stripe.setup(&setup).expect("made")["payment_method_types"],
            json!(["sepa_debit"]),
            "only the kind asked for"
        );
        // Not finished in the browser yet.
        let early = complete(&billing, &acme, &setup).await;
        assert_eq!(
            early["errors"][0]["extensions"]["reason"], "SETUP_NOT_FINISHED",
            "{early}"
        );
        stripe.complete_setup(&setup, TestMethod::Iban);

        // Globex's billing admin, with Globex's own id and Acme's setup: not found.
        let intruder = app.as_billing_admin("Globex").await;
        assert_code(&complete(&intruder, &globex, &setup).await, "NOT_FOUND");
        // Nor with Acme's id (not Globex's organisation).
        assert_code(&complete(&intruder, &acme, &setup).await, "NOT_FOUND");
        // Acme's viewer may not record it.
        let viewer = app.as_viewer("Acme Telecom").await;
        assert_code(&complete(&viewer, &acme, &setup).await, "FORBIDDEN");
        assert_eq!(methods(&app).await, 0, "nothing written");

        let body = complete(&billing, &acme, &setup).await;
        let method = &body["data"]["completePaymentMethodSetup"]["paymentMethod"];
        assert_eq!(method["kind"], "SEPA_DEBIT", "{body}");
        assert_eq!(method["last4"], "3000", "{body}");
        // The page reloaded, or the webhook first: still one.
        let again = complete(&billing, &acme, &setup).await;
        assert_eq!(
            again["data"]["completePaymentMethodSetup"]["paymentMethod"]["id"], method["id"],
            "{again}"
        );
        assert_eq!(methods(&app).await, 1);

        // A setup Globex started, completed with Acme's card details... is Globex's only.
        let globex_begun = begin(&intruder, &globex, "CARD").await;
        let globex_setup = globex_begun["setupIntentId"].as_str().expect("setup");
        stripe.complete_setup(globex_setup, TestMethod::Succeeds);
        assert_code(&complete(&billing, &acme, globex_setup).await, "NOT_FOUND");
        assert_eq!(methods(&app).await, 1);
    }
);

tests::e2e_test!(the_sandbox_has_no_setups, |app| {
    let acme = app.customer_id("Acme Telecom").await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let body = billing
        .graphql(
            BEGIN,
            json!({ "input": { "customerId": acme, "kind": "CARD" } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["reason"], "PROCESSOR_FORM_UNAVAILABLE",
        "{body}"
    );
    assert_code(
        &complete(&billing, &acme, "seti_sandbox").await,
        "NOT_FOUND",
    );
    // Its pages load no third-party script, and the Stripe page is not there.
    let (cookies, _) = tests::html::signed_in(&app, "billing@acme.example").await;
    let html = tests::html::page(&app, &cookies, "/payment-methods").await;
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains(r#"name="number""#),
        "the sandbox's own card form"
    );
    let setup = app
        .client
        .get(format!("{}/payment-methods/setup?kind=card", app.address))
        .header("cookie", &cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(setup.status().as_u16(), 404);
});

/// The Content-Security-Policy and HTML of a portal page, signed in with `cookies`.
async fn get(app: &TestApp, cookies: &str, path: &str) -> (u16, String, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .header("cookie", cookies)
        .send()
        .await
        .expect("a portal page");
    let status = response.status().as_u16();
    let policy = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, policy, response.text().await.expect("html"))
}

const STRIPE_POLICY_PARTS: [&str; 3] = [
    "script-src 'self' https://js.stripe.com;",
    "connect-src 'self' https://api.stripe.com;",
    "frame-src https://js.stripe.com https://hooks.stripe.com;",
];

stripe_test!(
    the_payment_element_page_alone_loads_stripe_js,
    |app, stripe| {
        let (cookies, _) = tests::html::signed_in(&app, "billing@acme.example").await;
        let (_, policy, html) = get(&app, &cookies, "/payment-methods").await;
        assert!(!policy.contains("stripe.com"), "{policy}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("/payment-methods/setup?kind=card"), "{html}");
        assert!(
            html.contains("/payment-methods/setup?kind=sepa_debit"),
            "{html}"
        );
        assert!(!html.contains(r#"name="number""#), "{html}");

        let (status, policy, html) = get(&app, &cookies, "/payment-methods/setup?kind=card").await;
        assert_eq!(status, 200, "{html}");
        for part in STRIPE_POLICY_PARTS {
            assert!(policy.contains(part), "{policy}");
        }
        assert!(!policy.contains("unsafe"), "{policy}");
        assert!(
            html.contains(r#"<script src="https://js.stripe.com/v3/" defer></script>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"src="/static/stripe-payments.js""#),
            "{html}"
        );
        assert!(
            html.contains(r#"<div id="payment-element"></div>"#),
            "{html}"
        );
        assert!(
            html.contains(&format!(r#"data-stripe-key="{PUBLISHABLE_KEY}""#)),
            "{html}"
        );
        // The client secret of the setup just begun, whose kind is a card.
        let setup = stripe.setups().pop().expect("a setup");
        assert!(html.contains(&format!("{setup}_secret")), "{html}");
        assert_eq!(
            stripe.setup(&setup).expect("made")["payment_method_types"],
            json!(["card"])
        );
        // No inline script: every <script> has a src.
        assert_eq!(
            html.matches("<script").count(),
            html.matches("<script src=").count()
        );
        let script = app
            .client
            .get(format!("{}/static/stripe-payments.js", app.address))
            .send()
            .await
            .expect("script");
        assert_eq!(script.status().as_u16(), 200);
        let script = script.text().await.expect("text");
        assert!(script.contains("confirmSetup"), "{script}");
        assert!(script.contains("handleNextAction"), "{script}");

        // Stripe returns the browser; the method is recorded and the list confirms it.
        stripe.complete_setup(&setup, TestMethod::Succeeds);
        let back = app
            .client
            .get(format!(
                "{}/payment-methods/setup/complete?setup_intent={setup}&setup_intent_client_secret=x&redirect_status=succeeded",
                app.address
            ))
            .header("cookie", &cookies)
            .send()
            .await
            .expect("sent");
        assert_eq!(back.status().as_u16(), 303);
        let location = back.headers()["location"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(location.starts_with("/payment-methods?"), "{location}");
        let html = tests::html::page(&app, &cookies, &location).await;
        assert!(html.contains("Visa •••• 4242"), "{html}");
        assert_eq!(methods(&app).await, 1);
        // Other pages stay without any third party.
        for path in ["/", "/login", "/invoices"] {
            let (_, policy, _) = get(&app, &cookies, path).await;
            assert!(!policy.contains("stripe.com"), "{path}: {policy}");
        }
        // Viewers cannot begin a setup.
        let (viewer, _) = tests::html::signed_in(&app, "viewer@acme.example").await;
        let (status, _, _) = get(&app, &viewer, "/payment-methods/setup?kind=card").await;
        assert_eq!(status, 403);
    }
);

stripe_test!(
    a_payment_authenticated_with_stripe_js_pays_the_invoice,
    |app, stripe| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let method = save_method(&app, &stripe, &acme, TestMethod::Authenticates).await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let body = pay(&billing, &invoice, Some(&method.id.to_string()), None).await;
        let attempt = &body["data"]["payInvoice"]["attempt"];
        assert_eq!(attempt["status"], "REQUIRES_ACTION", "{body}");
        let attempt = attempt["id"].as_str().expect("attempt").to_owned();
        let intent = attempts_of(&app, &invoice).await[0]
            .processor_payment
            .clone()
            .expect("its PaymentIntent");

        // The page hands Stripe.js the PaymentIntent's client secret, under Stripe's CSP.
        let (cookies, csrf) = tests::html::signed_in(&app, "billing@acme.example").await;
        let path = format!("/payments/authenticate?attempt={attempt}");
        let (code, policy, html) = get(&app, &cookies, &path).await;
        assert_eq!(code, 200, "{html}");
        for part in STRIPE_POLICY_PARTS {
            assert!(policy.contains(part), "{policy}");
        }
        assert!(html.contains(r#"id="stripe-authenticate""#), "{html}");
        assert!(
            html.contains(&format!(r#"data-client-secret="{intent}_secret_in_test""#)),
            "{html}"
        );
        assert!(!html.contains("Fail authentication"), "no sandbox buttons");
        // A viewer of Acme sees the page without the secret; Globex cannot read it at all.
        let viewer = app.as_viewer("Acme Telecom").await;
        let seen = viewer
            .graphql(
                "query Q($id: ID!) { paymentAttempt(id: $id) { authentication { clientSecret } } }",
                json!({ "id": attempt }),
            )
            .await;
        assert_eq!(
            seen["data"]["paymentAttempt"]["authentication"],
            Value::Null,
            "{seen}"
        );
        let globex = app.as_billing_admin("Globex").await;
        let stolen = globex
            .graphql(
                "query Q($id: ID!) { paymentAttempt(id: $id) { authentication { clientSecret } } }",
                json!({ "id": attempt }),
            )
            .await;
        assert_code(&stolen, "NOT_FOUND");

        // The bank's challenge is passed in Stripe's frame; the script posts the form.
        stripe.pass_authentication(&intent);
        let answer = tests::html::form(
            &app,
            &cookies,
            "/payments/authenticate",
            &[
                ("csrf", csrf.as_str()),
                ("attempt", attempt.as_str()),
                ("invoice", invoice.as_str()),
                ("outcome", "pass"),
            ],
        )
        .await;
        assert_eq!(answer.status().as_u16(), 303);
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        assert_eq!(
            attempts_of(&app, &invoice).await[0].status,
            AttemptStatus::Succeeded
        );
        assert_eq!(payments_of(&app, &invoice).await, 1);
        // It no longer waits: no secret, no Stripe.js.
        let (_, policy, html) = get(&app, &cookies, &path).await;
        assert!(!policy.contains("stripe.com"), "{policy}");
        assert!(!html.contains("<script"), "{html}");
    }
);
