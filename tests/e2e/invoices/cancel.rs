//! Cancelling at the end of the period: the subscription is billed as usual until then; its
//! last invoice bills only what is pending (here a proration), exactly as upcoming charges
//! showed, and then it is cancelled and bills nothing more.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, assert_bad_input, assert_code, assert_ok, e2e_test};

use crate::licenses::APRIL_2;

const CANCEL: &str =
    "mutation C($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) {
    subscription { id status cancelAt } } }";

e2e_test!(
    a_subscription_cancelled_at_period_end_bills_what_is_pending_then_stops,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .at(APRIL_2)
            .create(&app)
            .await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let quote = billing.preview_license_change(&fx.item, 1).await;
        billing.apply_license_change(&quote, "before-cancel").await;

        let staff = app.as_staff().await;
        let input = json!({ "input": { "subscriptionId": fx.subscription } });
        assert_code(&billing.graphql(CANCEL, input.clone()).await, "FORBIDDEN");
        let body = staff.graphql(CANCEL, input.clone()).await;
        assert_ok(&body);
        let cancelled = &body["data"]["cancelSubscription"]["subscription"];
        assert_eq!(
            cancelled["status"], "ACTIVE",
            "billed until the period ends"
        );
        assert_eq!(cancelled["cancelAt"], "2026-05-01");
        assert_code(&staff.graphql(CANCEL, input).await, "CONFLICT");
        assert_bad_input(
            &staff
                .graphql(CANCEL, json!({ "input": { "subscriptionId": "sub_x" } }))
                .await,
            "input.subscriptionId",
        );

        // The last invoice: the proration only, for April; no May seats.
        let upcoming = billing.upcoming_charges(&fx.subscription).await;
        assert_eq!(
            upcoming.descriptions(),
            vec![
                quote
                    .line_description
                    .clone()
                    .expect("a proration line")
                    .as_str()
            ],
            "{upcoming:?}"
        );
        let report = app
            .app
            .services
            .billing_runs
            .run("2026-08-01".parse().expect("date"))
            .await
            .expect("run");
        let billed: Vec<_> = report
            .invoiced
            .iter()
            .filter(|b| b.subscription.to_string() == fx.subscription)
            .collect();
        assert_eq!(
            billed.len(),
            1,
            "one last invoice, no later period: {report:?}"
        );
        let invoice: Value = billing
        .data(
            "the last invoice",
            "query I($id: ID!) { viewer { organisation { invoice(id: $id) { periodStart periodEnd
                total { amount } lines { kind description } }
                subscriptions { nodes { id status } } } } }",
            json!({ "id": billed[0].invoice.to_string() }),
        )
        .await;
        let org = &invoice["viewer"]["organisation"];
        assert_eq!(org["invoice"]["periodStart"], "2026-04-01");
        assert_eq!(org["invoice"]["periodEnd"], "2026-05-01");
        assert_eq!(org["invoice"]["total"]["amount"], upcoming.total.amount);
        assert_eq!(org["invoice"]["lines"][0]["kind"], "PRORATION");
        let status = org["subscriptions"]["nodes"]
            .as_array()
            .expect("subscriptions")
            .iter()
            .find(|s| s["id"] == fx.subscription.as_str())
            .expect("the subscription")["status"]
            .clone();
        assert_eq!(status, "CANCELLED");
        // Nothing more to bill, ever.
        let again = app
            .app
            .services
            .billing_runs
            .run("2026-12-01".parse().expect("date"))
            .await
            .expect("run");
        assert!(
            again
                .invoiced
                .iter()
                .all(|b| b.subscription.to_string() != fx.subscription)
        );
    }
);

e2e_test!(
    a_cancellation_with_nothing_pending_ends_without_an_invoice,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .at(APRIL_2)
            .create(&app)
            .await;
        let staff = app.as_staff().await;
        assert_ok(
            &staff
                .graphql(
                    CANCEL,
                    json!({ "input": { "subscriptionId": fx.subscription } }),
                )
                .await,
        );
        let billing = app.as_billing_admin("Acme Telecom").await;
        let upcoming: Value = billing
            .data(
                "upcoming",
                "{ viewer { organisation { upcomingCharges { subscriptionId } } } }",
                json!({}),
            )
            .await;
        assert!(
            !upcoming.to_string().contains(&fx.subscription),
            "no last invoice when nothing is pending: {upcoming}"
        );
        let report = app
            .app
            .services
            .billing_runs
            .run("2026-08-01".parse().expect("date"))
            .await
            .expect("run");
        assert!(
            report
                .invoiced
                .iter()
                .all(|b| b.subscription.to_string() != fx.subscription)
        );
    }
);
