//! A subscription's automatic payment switch (ChargeOver's billing package): billing staff turn
//! it off for a customer who pays by transfer, and automatic collection then leaves the
//! subscription's invoices alone (no off-session charge, no retry) until it is turned back
//! on; support, customers, and an unknown or malformed id are refused with nothing written.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{Session, assert_bad_input, assert_code, assert_ok, e2e_test};

use super::*;

const SET: &str = "mutation S($input: SetSubscriptionAutomaticPaymentInput!) {
    setSubscriptionAutomaticPayment(input: $input) { subscription { id automaticPayment } } }";

/// The id and switch of `customer`'s only subscription, as staff read it.
async fn only_subscription(staff: &Session<'_>, customer: &str) -> (String, bool) {
    let data: Value = staff
        .data(
            "subscriptions",
            "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id automaticPayment } } } }",
            json!({ "id": customer }),
        )
        .await;
    let nodes = data["customer"]["subscriptions"]["nodes"]
        .as_array()
        .expect("subscriptions");
    assert_eq!(
        nodes.len(),
        1,
        "the demo customer has one subscription: {data}"
    );
    (
        nodes[0]["id"].as_str().expect("id").to_owned(),
        nodes[0]["automaticPayment"].as_bool().expect("switch"),
    )
}

/// The number of `invoice`.
async fn number_of(app: &tests::TestApp, invoice: &str) -> String {
    let id: ids::InvoiceId = invoice.parse().expect("invoice id");
    entity::invoice::Entity::find_by_id(id)
        .one(app.app.db.reads())
        .await
        .expect("invoice")
        .and_then(|i| i.number)
        .expect("a number")
}

/// Audit entries written for `subscription`'s switch.
async fn switches_audited(app: &tests::TestApp, subscription: &str) -> u64 {
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("subscription.automatic_payment"))
        .filter(entity::audit_log::Column::SubjectId.eq(subscription))
        .count(app.app.db.reads())
        .await
        .expect("audit")
}

e2e_test!(
    a_subscription_paid_by_transfer_is_not_charged_until_automatic_payment_is_back_on,
    |app| {
        let acme = app.customer_id("Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let first_card = card(&billing, &acme, SUCCEEDS, true).await;
        let staff = app.as_billing_staff().await;
        let (subscription, on) = only_subscription(&staff, &acme).await;
        assert!(on, "automatic unless staff say otherwise");

        // Refused, nothing written: support (read-only), the customer, an unknown and a
        // malformed id.
        let off = json!({ "input": { "subscriptionId": subscription, "enabled": false } });
        assert_code(
            &app.as_support().await.graphql(SET, off.clone()).await,
            "FORBIDDEN",
        );
        assert_code(&billing.graphql(SET, off.clone()).await, "FORBIDDEN");
        let unknown = json!({ "input": {
            "subscriptionId": ids::SubscriptionId::new().to_string(), "enabled": false } });
        assert_code(&staff.graphql(SET, unknown).await, "NOT_FOUND");
        let malformed = json!({ "input": { "subscriptionId": "cus_nope", "enabled": false } });
        assert_bad_input(&staff.graphql(SET, malformed).await, "input.subscriptionId");
        assert!(only_subscription(&staff, &acme).await.1, "unchanged");
        assert_eq!(switches_audited(&app, &subscription).await, 0);

        let body = staff.graphql(SET, off.clone()).await;
        assert_eq!(
            body["data"]["setSubscriptionAutomaticPayment"]["subscription"],
            json!({ "id": subscription, "automaticPayment": false }),
            "{body}"
        );
        // Again: nothing changes, nothing more is audited.
        let again = staff.graphql(SET, off).await;
        assert_eq!(
            again["data"]["setSubscriptionAutomaticPayment"]["subscription"]["automaticPayment"],
            false,
            "{again}"
        );
        assert_eq!(switches_audited(&app, &subscription).await, 1);
        // The customer sees, before the invoice exists, that it will not be charged.
        let upcoming: Value = billing
            .data(
                "upcoming",
                "{ viewer { organisation { upcomingCharges { subscriptionId automaticPayment } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            upcoming["viewer"]["organisation"]["upcomingCharges"],
            json!([{ "subscriptionId": subscription, "automaticPayment": false }])
        );

        // The run issues its invoice; collection leaves it to the customer, tick after tick.
        let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
        let seen: Value = staff
            .data(
                "invoice",
                "query I($c: ID!, $i: ID!) { customer(id: $c) { invoice(id: $i) { automaticPayment } } }",
                json!({ "c": acme, "i": invoice }),
            )
            .await;
        assert_eq!(
            seen["customer"]["invoice"]["automaticPayment"], false,
            "{seen}"
        );
        let payments = &app.app.services.payments;
        for _ in 0..2 {
            let report = payments.collect_due().await.expect("tick");
            // Not even claimed: invoices left to their customer must not fill the claim's
            // batch, tick after tick, ahead of those that are due.
            assert_eq!((report.charged, report.skipped), (0, 0), "{report:?}");
        }
        assert!(attempts_of(&app, &invoice).await.is_empty());
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");
        // Nothing relies on the default card any more: it may be removed (and another added).
        let removed = billing
            .graphql(
                "mutation R($input: RemovePaymentMethodInput!) { removePaymentMethod(input: $input) {
                    removedPaymentMethodId } }",
                json!({ "input": { "paymentMethodId": first_card } }),
            )
            .await;
        assert_ok(&removed);
        card(&billing, &acme, SUCCEEDS, true).await;

        // Back on: the next tick charges what is owed, the open invoice included.
        let on = json!({ "input": { "subscriptionId": subscription, "enabled": true } });
        let body = staff.graphql(SET, on).await;
        assert_eq!(
            body["data"]["setSubscriptionAutomaticPayment"]["subscription"]["automaticPayment"],
            true,
            "{body}"
        );
        assert_eq!(switches_audited(&app, &subscription).await, 2);
        let report = payments.collect_due().await.expect("tick");
        assert_eq!((report.charged, report.succeeded), (1, 1), "{report:?}");
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
    }
);

e2e_test!(
    a_subscription_may_be_created_to_be_paid_by_transfer,
    |app| {
        let acme = app.customer_id("Acme Telecom").await;
        let staff = app.as_billing_staff().await;
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let product = staff
            .create_product(
                json!({ "name": "Support plan", "code": format!("support-{suffix}"),
                "kind": "SERVICE" }),
            )
            .await;
        let price = staff
            .create_price(
                json!({ "productId": product, "currency": "EUR", "interval": "MONTH",
                "model": "FLAT", "unitAmount": "30.00" }),
            )
            .await;
        let body = staff
            .graphql(
                "mutation C($input: CreateSubscriptionInput!) { createSubscription(input: $input) {
                    subscription { id automaticPayment } } }",
                json!({ "input": { "customerId": acme, "anchorDate": "2026-11-01",
                    "interval": "MONTH", "items": [{ "priceId": price, "quantity": 1 }],
                    "automaticPayment": false } }),
            )
            .await;
        assert_eq!(
            body["data"]["createSubscription"]["subscription"]["automaticPayment"], false,
            "{body}"
        );
        let id = body["data"]["createSubscription"]["subscription"]["id"].clone();
        // Read back as one of Acme's; under another customer it is not found.
        let one = "query S($c: ID!, $s: ID!) { customer(id: $c) { subscription(id: $s) {
            automaticPayment } } }";
        let read = staff.graphql(one, json!({ "c": acme, "s": id })).await;
        assert_eq!(
            read["data"]["customer"]["subscription"]["automaticPayment"], false,
            "{read}"
        );
        let globex = app.customer_id("Globex").await;
        let elsewhere = staff.graphql(one, json!({ "c": globex, "s": id })).await;
        assert_code(&elsewhere, "NOT_FOUND");
    }
);

e2e_test!(
    charges_invoiced_on_a_subscription_paid_by_transfer_wait_too_and_a_failure_promises_no_retry,
    |app| {
        let acme = app.customer_id("Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        card(&billing, &acme, DECLINED, true).await;
        let staff = app.as_billing_staff().await;
        let (subscription, _) = only_subscription(&staff, &acme).await;
        let off = json!({ "input": { "subscriptionId": subscription, "enabled": false } });
        assert_ok(&staff.graphql(SET, off).await);

        // An invoice that bills no period but charges on the subscription: paid like it.
        let charges = |subscription: Option<&str>| {
            json!({ "input": { "customerId": acme, "subscriptionId": subscription,
                "timing": "INVOICE_NOW", "confirmUnpaidInvoices": true,
                "charges": [{ "description": "Installation", "amount": "80.00" }] } })
        };
        let create = "mutation C($input: CreateChargesInput!) { createCharges(input: $input) {
            invoice { id automaticPayment } } }";
        let body = staff.graphql(create, charges(Some(&subscription))).await;
        let on_subscription = body["data"]["createCharges"]["invoice"].clone();
        assert_eq!(on_subscription["automaticPayment"], false, "{body}");
        // Charges on the customer alone are collected automatically, whatever its
        // subscriptions say.
        let body = staff.graphql(create, charges(None)).await;
        let on_customer = body["data"]["createCharges"]["invoice"].clone();
        assert_eq!(on_customer["automaticPayment"], true, "{body}");

        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!((report.charged, report.skipped), (1, 0), "{report:?}");
        let on_subscription = on_subscription["id"].as_str().expect("id");
        let on_customer = on_customer["id"].as_str().expect("id");
        assert!(attempts_of(&app, on_subscription).await.is_empty());
        assert_eq!(attempts_of(&app, on_customer).await.len(), 1);

        // Staff charge it anyway ("Retry now"): the card is declined, and the notice asks the
        // customer to pay, without promising a retry that automatic payment will not make.
        let body = staff
            .graphql(
                "mutation R($input: RetryInvoicePaymentInput!) { retryInvoicePayment(input: $input) {
                    attempt { status } } }",
                json!({ "input": { "invoiceId": on_subscription } }),
            )
            .await;
        assert_code(&body, "PAYMENT_FAILED");
        let mails = tests::mailbox::delivered(&app).await;
        let notices: Vec<_> = mails
            .iter()
            .filter(|m| m.subject.starts_with("Payment failed for invoice"))
            .collect();
        assert_eq!(notices.len(), 2, "one per failure: {mails:#?}");
        let manual = number_of(&app, on_subscription).await;
        let automatic = number_of(&app, on_customer).await;
        let notice_of = |number: &str| {
            notices
                .iter()
                .find(|m| m.subject.contains(number))
                .unwrap_or_else(|| panic!("a notice for {number}: {notices:#?}"))
        };
        let text = &notice_of(&manual).text;
        assert!(!text.contains("We will try again"), "{text}");
        assert!(text.contains("Please pay the invoice"), "{text}");
        let text = &notice_of(&automatic).text;
        assert!(text.contains("We will try again on"), "{text}");
    }
);
