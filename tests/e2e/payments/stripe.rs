//! The Stripe processor against the in-test Stripe ([`tests::stripe::FakeStripe`]), through
//! the same services and GraphQL as the sandbox: saving a method with a SetupIntent (the
//! Payment Element's part played by the test server), paying off session, declines,
//! authentication, a SEPA debit settled by webhook, a refund, and a charge whose answer was
//! lost resumed with the same `Idempotency-Key` and charged once.

use api::services::payments::processor::SetupKind;
use entity::payment_attempt::AttemptStatus;
use entity::payment_method::{self, MethodKind};
use entity::{refund, stripe_event};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use tests::stripe::{FakeStripe, TestMethod, deliver, event, signed};
use tests::{Backend, TestApp, assert_code};

use super::attempts::acme_billing_admin;
use super::*;

/// Declares a test that runs on SQLite and PostgreSQL with the app configured for the
/// in-test Stripe.
macro_rules! stripe_test {
    ($name:ident, |$app:ident, $stripe:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $stripe = FakeStripe::start().await;
                let $app = TestApp::spawn_with(&Backend::Sqlite, |c| $stripe.configure(c)).await;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $stripe = FakeStripe::start().await;
                let backend = Backend::postgres();
                let $app = TestApp::spawn_with(&backend, |c| $stripe.configure(c)).await;
                $body
            }
        }
    };
}
pub(super) use stripe_test;

/// Saves a method of `kind` for `customer` the way the portal does with Stripe: a SetupIntent,
/// the Payment Element (played by the test server), the return page. The saved method.
pub(super) async fn save_method(
    app: &TestApp,
    stripe: &FakeStripe,
    customer: &str,
    kind: TestMethod,
) -> payment_method::Model {
    let payments = &app.app.services.payments;
    let actor = acme_billing_admin(app, customer).await;
    let customer_id = customer.parse().expect("customer id");
    let setup_kind = if kind == TestMethod::Iban {
        SetupKind::SepaDebit
    } else {
        SetupKind::Card
    };
    let begun = payments
        .begin_setup(&actor, customer_id, setup_kind)
        .await
        .expect("a setup begins");
    assert_eq!(begun.publishable_key, tests::stripe::PUBLISHABLE_KEY);
    let session = begun.session;
    assert!(
        session
            .client_secret
            .expose()
            .starts_with(&session.reference)
    );
    stripe.complete_setup(&session.reference, kind);
    payments
        .record_setup(&actor, None, customer_id, &session.reference)
        .await
        .expect("the setup is recorded")
}

/// Methods saved for `customer`.
async fn methods_of(app: &TestApp, customer: &str) -> Vec<payment_method::Model> {
    let id: ids::CustomerId = customer.parse().expect("customer id");
    payment_method::Entity::find()
        .filter(payment_method::Column::CustomerId.eq(id))
        .all(app.app.db.reads())
        .await
        .expect("methods")
}

stripe_test!(
    a_card_saved_with_a_setup_intent_keeps_only_what_stripe_shows,
    |app, stripe| {
        let (_, acme) = invoice_of_demo(&app).await;
        let method = save_method(&app, &stripe, &acme, TestMethod::Succeeds).await;
        assert_eq!(method.processor, "stripe");
        assert_eq!(method.kind, MethodKind::Card);
        assert!(method.processor_method.starts_with("pm_"), "{method:?}");
        assert!(method.processor_customer.starts_with("cus_"), "{method:?}");
        assert_eq!(method.brand.as_deref(), Some("visa"));
        assert_eq!(method.last4, "4242");
        assert_eq!((method.exp_month, method.exp_year), (Some(12), Some(2034)));
        assert!(method.is_default, "the first method is the default");
        // Recorded again (the return page reloaded): still one.
        let actor = acme_billing_admin(&app, &acme).await;
        assert_eq!(
            stripe.keys_sent_to("/v1/customers"),
            vec![format!("{acme}:customer")],
            "one customer, created with a key"
        );
        let again = app
            .app
            .services
            .payments
            .record_setup(
                &actor,
                None,
                acme.parse().expect("id"),
                &latest_setup(&stripe),
            )
            .await
            .expect("recorded again");
        assert_eq!(again.id, method.id);
        assert_eq!(methods_of(&app, &acme).await.len(), 1);
        // Typing a card into our own form is refused in Stripe mode.
        let billing = app.as_billing_admin("Acme Telecom").await;
        let typed = add_card(&billing, &acme, SUCCEEDS, false).await;
        assert_eq!(
            typed["errors"][0]["extensions"]["reason"], "USE_PAYMENT_ELEMENT",
            "{typed}"
        );
        assert_eq!(methods_of(&app, &acme).await.len(), 1);
        // Another organisation cannot record Acme's setup.
        let globex = app.customer_id("Globex").await;
        let other = acme_billing_admin(&app, &globex).await;
        let stolen = app
            .app
            .services
            .payments
            .record_setup(
                &other,
                None,
                globex.parse().expect("id"),
                &latest_setup(&stripe),
            )
            .await;
        assert!(stolen.is_err(), "another organisation's setup is not found");
    }
);

/// The id of the last setup the test server made.
fn latest_setup(stripe: &FakeStripe) -> String {
    stripe.setups().pop().expect("a setup")
}

/// Bills the demo's next period; Acme's open invoice and Acme's id.
async fn invoice_of_demo(app: &TestApp) -> (String, String) {
    open_invoice(app, "Acme Telecom").await
}

stripe_test!(
    an_invoice_is_charged_off_session_with_its_attempt_key,
    |app, stripe| {
        let (invoice, acme) = invoice_of_demo(&app).await;
        save_method(&app, &stripe, &acme, TestMethod::Succeeds).await;
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!(report.succeeded, 1, "{report:?}");
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        let attempts = attempts_of(&app, &invoice).await;
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].status, AttemptStatus::Succeeded);
        assert!(
            attempts[0]
                .processor_payment
                .as_deref()
                .is_some_and(|p| p.starts_with("pi_"))
        );
        let key = format!("{invoice}:attempt:1");
        assert_eq!(
            stripe.keys_sent_to("/v1/payment_intents"),
            vec![key.clone()]
        );
        let form = &stripe.intent_forms()[0];
        assert_eq!(form.get("confirm").map(String::as_str), Some("true"));
        assert_eq!(form.get("off_session").map(String::as_str), Some("true"));
        assert_eq!(form.get("metadata[billfold_key]"), Some(&key));
        assert_eq!(
            form.get("amount").and_then(|a| a.parse::<i64>().ok()),
            Some(attempts[0].amount_minor)
        );
        assert_eq!(payments_of(&app, &invoice).await, 1);
    }
);

stripe_test!(declines_read_as_a_person_understands_them, |app, stripe| {
    let (invoice, acme) = invoice_of_demo(&app).await;
    save_method(&app, &stripe, &acme, TestMethod::Declined).await;
    app.app.services.payments.collect_due().await.expect("tick");
    let attempts = attempts_of(&app, &invoice).await;
    assert_eq!(attempts[0].status, AttemptStatus::Failed);
    assert_eq!(
        attempts[0].failure_message.as_deref(),
        Some("Your card was declined.")
    );
    assert_eq!(attempts[0].failure_code.as_deref(), Some("generic_decline"));
    assert_eq!(status(&app, &acme, &invoice).await, "OPEN");

    // Paying now with a card without funds answers PAYMENT_FAILED with Stripe's words.
    let broke = save_method(&app, &stripe, &acme, TestMethod::NoFunds).await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let body = pay(&billing, &invoice, Some(&broke.id.to_string()), None).await;
    assert_code(&body, "PAYMENT_FAILED");
    assert_eq!(
        body["errors"][0]["message"], "Your card has insufficient funds.",
        "{body}"
    );
    assert_eq!(payments_of(&app, &invoice).await, 0);
});

stripe_test!(
    a_card_asking_for_authentication_waits_on_session_and_fails_off_session,
    |app, stripe| {
        let (invoice, acme) = invoice_of_demo(&app).await;
        let method = save_method(&app, &stripe, &acme, TestMethod::Authenticates).await;
        // Automatic collection: nobody to authenticate, so it fails asking for it.
        app.app.services.payments.collect_due().await.expect("tick");
        let attempts = attempts_of(&app, &invoice).await;
        assert_eq!(attempts[0].status, AttemptStatus::Failed);
        assert_eq!(
            attempts[0].failure_code.as_deref(),
            Some("authentication_required")
        );
        // The customer pays in the portal: the payment waits for authentication.
        let billing = app.as_billing_admin("Acme Telecom").await;
        let body = pay(&billing, &invoice, Some(&method.id.to_string()), None).await;
        assert_eq!(
            body["data"]["payInvoice"]["attempt"]["status"], "REQUIRES_ACTION",
            "{body}"
        );
        // They give up: the PaymentIntent is cancelled at Stripe and the attempt fails.
        let attempt = body["data"]["payInvoice"]["attempt"]["id"].clone();
        let body = billing
            .graphql(
                CONFIRM,
                json!({ "input": { "attemptId": attempt, "passed": false } }),
            )
            .await;
        assert_code(&body, "PAYMENT_FAILED");
        let attempts = attempts_of(&app, &invoice).await;
        assert_eq!(attempts[1].status, AttemptStatus::Failed);
        assert_eq!(attempts[1].failure_code.as_deref(), Some("canceled"));
        assert_eq!(payments_of(&app, &invoice).await, 0);
    }
);

stripe_test!(
    a_sepa_debit_processes_then_succeeds_by_webhook_applied_once,
    |app, stripe| {
        let (invoice, acme) = invoice_of_demo(&app).await;
        let method = save_method(&app, &stripe, &acme, TestMethod::Iban).await;
        assert_eq!(method.kind, MethodKind::SepaDebit);
        assert_eq!(method.last4, "3000");
        assert_eq!(method.holder_name.as_deref(), Some("Acme Telecom SA"));
        assert_eq!(method.brand, None);
        let billing = app.as_billing_admin("Acme Telecom").await;
        let body = pay(&billing, &invoice, None, None).await;
        assert_eq!(
            body["data"]["payInvoice"]["attempt"]["status"], "PROCESSING",
            "{body}"
        );
        let intent = attempts_of(&app, &invoice).await[0]
            .processor_payment
            .clone()
            .expect("the PaymentIntent");
        let settled = stripe.settle(&intent, true);
        let body = event("evt_sepa_settled", "payment_intent.succeeded", settled);
        for _ in 0..5 {
            assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        }
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        assert_eq!(payments_of(&app, &invoice).await, 1, "applied once");
        assert_eq!(
            stripe_event::Entity::find()
                .count(app.app.db.reads())
                .await
                .expect("events"),
            1
        );
        assert_eq!(
            messages(
                &app,
                &acme,
                entity::outbox_message::MessageKind::PaymentReceipt
            )
            .await,
            1,
            "one receipt"
        );
    }
);

stripe_test!(
    a_stripe_payment_is_refunded_with_its_own_key,
    |app, stripe| {
        let (invoice, acme) = invoice_of_demo(&app).await;
        save_method(&app, &stripe, &acme, TestMethod::Succeeds).await;
        app.app.services.payments.collect_due().await.expect("tick");
        let billing = app.as_billing_admin("Acme Telecom").await;
        let payment =
            history(&billing, &invoice).await["paymentHistory"]["payments"][0]["id"].clone();
        let staff = app.as_staff().await;
        let body = staff
        .graphql(
            "mutation R($input: RefundPaymentInput!) { refundPayment(input: $input) {
                refund { id status } } }",
            json!({ "input": { "paymentId": payment, "amount": "5.00", "reason": "Goodwill" } }),
        )
        .await;
        assert_eq!(
            body["data"]["refundPayment"]["refund"]["status"], "SUCCEEDED",
            "{body}"
        );
        let payment_id = payment.as_str().expect("payment id");
        assert_eq!(
            stripe.keys_sent_to("/v1/refunds"),
            vec![format!("{payment_id}:refund:1")]
        );
        assert_eq!(stripe.refunds(), 1);
        let row = refund::Entity::find()
            .one(app.app.db.reads())
            .await
            .expect("refunds")
            .expect("the refund");
        assert!(
            row.processor_refund
                .as_deref()
                .is_some_and(|r| r.starts_with("re_"))
        );
        assert_eq!(row.amount_minor, 500);
    }
);

stripe_test!(
    a_lost_answer_is_resumed_with_the_same_key_and_charged_once,
    |app, stripe| {
        let (invoice, acme) = invoice_of_demo(&app).await;
        save_method(&app, &stripe, &acme, TestMethod::Succeeds).await;
        stripe.lose_next_answers(1);
        let billing = app.as_billing_admin("Acme Telecom").await;
        let body = pay(&billing, &invoice, None, None).await;
        assert_eq!(
            body["errors"][0]["extensions"]["reason"], "PAYMENT_UNCONFIRMED",
            "{body}"
        );
        assert_eq!(stripe.payment_intents(), 1, "Stripe charged");
        assert_eq!(
            attempts_of(&app, &invoice).await[0].status,
            AttemptStatus::Pending
        );
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");
        // After a restart, once the attempt's lease has run out, collection resumes it.
        let app = app.restart().await;
        app.app
            .services
            .clock
            .advance(chrono::Duration::seconds(600));
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!(report.resumed, 1, "{report:?}");
        let key = format!("{invoice}:attempt:1");
        // Found by its key (Stripe forgets keys after 24 hours: a resend is never trusted).
        assert_eq!(
            stripe.keys_sent_to("/v1/payment_intents"),
            vec![key],
            "sent once, then found, not sent again"
        );
        assert_eq!(stripe.payment_intents(), 1, "charged once");
        assert_eq!(payments_of(&app, &invoice).await, 1);
        assert_eq!(attempts_of(&app, &invoice).await.len(), 1);
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
    }
);

/// The Content-Security-Policy of the portal's `path`, signed in as Acme's billing admin.
async fn policy_of(app: &TestApp, path: &str) -> String {
    let (cookies, _) = tests::html::signed_in(app, "billing@acme.example").await;
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .header("cookie", cookies)
        .send()
        .await
        .expect("a portal page");
    response
        .headers()
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{path} has a Content-Security-Policy"))
        .to_str()
        .expect("ASCII")
        .to_owned()
}

/// Every `https://` origin a policy allows.
fn third_parties(policy: &str) -> Vec<String> {
    policy
        .split([' ', ';'])
        .filter(|w| w.contains("://"))
        .map(str::to_owned)
        .collect()
}

tests::e2e_test!(the_sandbox_portal_allows_no_third_party_origin, |app| {
    for path in ["/", "/payment-methods", "/login"] {
        let policy = policy_of(&app, path).await;
        assert!(third_parties(&policy).is_empty(), "{path}: {policy}");
        assert!(policy.contains("script-src 'self';"), "{path}: {policy}");
        assert!(policy.contains("frame-src 'none'"), "{path}: {policy}");
    }
});

stripe_test!(
    the_stripe_portal_allows_no_third_party_outside_its_stripe_pages,
    |app, _stripe| {
        // Stripe.js is allowed only on the Payment Element and authentication pages
        // (payments::stripe_ui); every other page keeps the sandbox's policy.
        for path in ["/", "/payment-methods", "/login"] {
            let policy = policy_of(&app, path).await;
            assert!(third_parties(&policy).is_empty(), "{path}: {policy}");
            assert!(policy.contains("script-src 'self';"), "{path}: {policy}");
        }
        // Card and account details never go through our forms in Stripe mode: none is shown.
        let (cookies, _) = tests::html::signed_in(&app, "billing@acme.example").await;
        let html = tests::html::page(&app, &cookies, "/payment-methods").await;
        assert!(!html.contains(r#"name="number""#), "{html}");
        assert!(!html.contains(r#"name="iban""#), "{html}");
        assert!(html.contains("Add a card"), "{html}");
    }
);
