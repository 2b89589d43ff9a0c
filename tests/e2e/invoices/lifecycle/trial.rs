//! Trials: a subscription trialing until a date is billed nothing before it; its first period
//! starts that day, and upcoming charges show that first invoice, which the run then finalises
//! exactly and makes the subscription active.

use serde_json::{Value, json};
use tests::{LicenseItemIds, assert_bad_input, e2e_test, instant};

use super::{assert_same_invoice, invoice, ok, run_for, subscription, support_price, upcoming};
use crate::licenses::APRIL_2;

const CREATE: &str = "mutation S($input: CreateSubscriptionInput!) {
    createSubscription(input: $input) { subscription { id status trialEnd anchorDate
    currentPeriodStart currentPeriodEnd nextInvoiceDate items { id } } } }";

e2e_test!(
    a_trial_bills_nothing_until_it_ends_then_its_first_period,
    |app| {
        app.app.services.clock.set(instant(APRIL_2));
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = staff.customer_id("Acme Telecom").await;
        let price = support_price(&staff, "30", false).await;
        let input = |trial_end: &str| {
            json!({ "input": {
            "customerId": acme, "anchorDate": "2026-04-01", "interval": "MONTH",
            "items": [{ "priceId": price, "quantity": 2 }], "trialEnd": trial_end
        } })
        };
        let count = || async {
            let data: Value = staff
                .data(
                    "subscriptions",
                    "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id } } } }",
                    json!({ "id": acme }),
                )
                .await;
            data["customer"]["subscriptions"]["nodes"]
                .as_array()
                .expect("subscriptions")
                .len()
        };
        let before = count().await;
        assert_bad_input(
            &staff.graphql(CREATE, input("2026-04-01")).await,
            "input.trialEnd",
        );
        assert_bad_input(
            &staff.graphql(CREATE, input("2026-03-31")).await,
            "input.trialEnd",
        );
        assert_eq!(count().await, before, "nothing written");

        let created = ok(&staff, CREATE, input("2026-05-15")).await;
        let created = &created["createSubscription"]["subscription"];
        assert_eq!(created["status"], "TRIALING");
        assert_eq!(created["trialEnd"], "2026-05-15");
        assert_eq!(created["anchorDate"], "2026-05-15");
        assert_eq!(created["nextInvoiceDate"], "2026-05-15");
        let fx = LicenseItemIds {
            customer: acme.clone(),
            subscription: created["id"].as_str().expect("id").to_owned(),
            item: created["items"][0]["id"].as_str().expect("item").to_owned(),
        };
        // An item added during the trial costs nothing before it ends.
        let added = ok(
        &staff,
        "mutation A($input: AddSubscriptionItemInput!) { addSubscriptionItem(input: $input) {
            nextInvoice { amount } } }",
        json!({ "input": { "subscriptionId": fx.subscription, "priceId": price, "quantity": 1 } }),
    )
    .await;
        assert_eq!(
            added["addSubscriptionItem"]["nextInvoice"]["amount"],
            "0.00"
        );

        let first = upcoming(&billing, &fx.subscription)
            .await
            .expect("the first invoice");
        assert_eq!(first["invoiceDate"], "2026-05-15");
        assert_eq!(first["periodStart"], "2026-05-15");
        assert_eq!(first["periodEnd"], "2026-06-15");
        assert_eq!(first["subtotal"]["amount"], "90.00", "{first:#}");
        assert!(
            run_for(&app, "2026-05-14", &fx.subscription)
                .await
                .is_empty(),
            "nothing before the trial ends"
        );
        let billed = run_for(&app, "2026-05-15", &fx.subscription).await;
        assert_eq!(billed.len(), 1);
        assert_same_invoice(&first, &invoice(&billing, &billed[0]).await);
        let after = subscription(&staff, &fx).await;
        assert_eq!(after["status"], "ACTIVE");
        assert_eq!(after["trialEnd"], Value::Null);
        assert_eq!(after["currentPeriodStart"], "2026-05-15");
        assert_eq!(after["nextInvoiceDate"], "2026-06-15");
    }
);

e2e_test!(
    seats_changed_during_a_trial_cost_nothing_and_the_first_invoice_bills_them,
    |app| {
        // A license subscription whose April is a free trial (made so behind the API's back:
        // the quote path is what is tested). Seats added are charged immediately outside a
        // trial, and removals credit unused days.
        let fx = tests::LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(3)
            .charged_immediately()
            .credit_removals()
            .at(APRIL_2)
            .create(&app)
            .await;
        let id: ids::SubscriptionId = fx.subscription.parse().expect("id");
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entity::subscription::Entity::update_many()
            .col_expr(
                entity::subscription::Column::Status,
                sea_orm::sea_query::Expr::value(entity::subscription::SubscriptionStatus::Trialing),
            )
            .filter(entity::subscription::Column::Id.eq(id))
            .exec(app.app.db.writes())
            .await
            .expect("trialing");
        let billing = app.as_billing_admin("Acme Telecom").await;

        let added = billing.preview_license_change(&fx.item, 2).await;
        assert_eq!(added.amount_due_now.amount, "0.00", "{added:?}");
        assert_eq!(added.amount_next_invoice.amount, "0.00");
        assert_eq!(added.line_description, None);
        assert_eq!(added.first_payment_date, "2026-05-01", "the trial's end");
        assert_eq!(added.new_recurring_total.amount, "320.00", "5 × €64");
        billing.apply_license_change(&added, "trial-add").await;
        let removed = billing.preview_license_change(&fx.item, -1).await;
        assert_eq!(removed.amount_due_now.amount, "0.00");
        billing.apply_license_change(&removed, "trial-remove").await;
        let balance: Value = billing
            .data(
                "balance",
                "{ viewer { organisation { creditBalance { amount } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            balance["viewer"]["organisation"]["creditBalance"]["amount"], "0.00",
            "nothing of the trial was paid, so nothing is credited"
        );

        // No invoice during the trial; May bills the 4 seats held then, in advance, and nothing
        // else, exactly as upcoming charges showed.
        let first = upcoming(&billing, &fx.subscription)
            .await
            .expect("the first invoice");
        assert_eq!(first["subtotal"]["amount"], "256.00", "4 × €64: {first:#}");
        let lines = first["lines"].as_array().expect("lines");
        assert!(
            lines.iter().all(|l| l["kind"] == "RECURRING"),
            "no proration: {first:#}"
        );
        let billed = run_for(&app, "2026-05-01", &fx.subscription).await;
        assert_eq!(
            billed.len(),
            1,
            "one invoice: none was made during the trial"
        );
        assert_same_invoice(&first, &invoice(&billing, &billed[0]).await);
    }
);
