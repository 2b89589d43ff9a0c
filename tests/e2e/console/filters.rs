//! The lists staff filter, through the API and the console's pages: billing runs by status
//! and to those with failures, the review queue by document type and organisation (a review
//! comes back to the same filter), a customer's subscriptions by status. A filter value a page
//! does not offer is a bad request, never "every row".

use std::collections::BTreeSet;

use entity::billing_run::{self, RunOrigin, RunStatus};
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tests::html::{form, page};
use tests::{TestApp, assert_bad_input, assert_ok, e2e_test};

use super::console_session;
use crate::vault::{pdf, uploaded};

/// A finished run written as another process would have, `failed` subscriptions not billed.
async fn finished_run(app: &TestApp, status: RunStatus, failed: i64) -> String {
    let now = chrono::Utc::now();
    let run = billing_run::Model {
        id: ids::BillingRunId::new(),
        as_of: now.date_naive(),
        workers: 1,
        status,
        origin: RunOrigin::Scheduler,
        started_by: None,
        started_at: now,
        heartbeat_at: now,
        finished_at: Some(now),
        due: 3,
        invoiced: 3 - failed,
        failed,
        failures: json!([]),
        error: (status == RunStatus::Failed).then(|| "the database went away".to_owned()),
    };
    billing_run::Entity::insert(billing_run::ActiveModel::from(run.clone()))
        .exec_without_returning(app.app.db.writes())
        .await
        .expect("insert");
    run.id.to_string()
}

/// The ids of `body`'s `field` connection.
fn node_ids(body: &Value, field: &str) -> BTreeSet<String> {
    assert_ok(body);
    body["data"][field]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id").to_owned())
        .collect()
}

const RUNS: &str = "query Q($status: BillingRunStatus, $failures: Boolean) {
    billingRuns(status: $status, withFailures: $failures) { nodes { id } } }";

e2e_test!(billing_runs_are_filtered_by_status_and_failures, |app| {
    let clean = finished_run(&app, RunStatus::Completed, 0).await;
    let partial = finished_run(&app, RunStatus::Completed, 2).await;
    let broken = finished_run(&app, RunStatus::Failed, 0).await;
    let staff = app.as_staff().await;
    let runs = |variables: Value| {
        let staff = &staff;
        async move { node_ids(&staff.graphql(RUNS, variables).await, "billingRuns") }
    };
    let all = runs(json!({})).await;
    assert!(all.contains(&clean) && all.contains(&partial) && all.contains(&broken));
    let completed = runs(json!({ "status": "COMPLETED" })).await;
    assert!(completed.contains(&clean) && completed.contains(&partial));
    assert!(!completed.contains(&broken));
    let failing = runs(json!({ "failures": true })).await;
    assert_eq!(failing, BTreeSet::from([partial.clone()]));
    assert_eq!(
        runs(json!({ "status": "FAILED", "failures": true })).await,
        BTreeSet::new()
    );
    assert!(runs(json!({ "failures": false })).await.contains(&clean));

    let (cookies, _) = console_session(&app, "support@billfold.example").await;
    let html = page(
        &app,
        &cookies,
        "/admin/billing-runs?status=COMPLETED&failures=1",
    )
    .await;
    assert!(
        html.contains(&format!("/admin/billing-runs/{partial}")),
        "{html}"
    );
    assert!(
        !html.contains(&format!("/admin/billing-runs/{clean}")),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"COMPLETED\" selected>"),
        "{html}"
    );
    let html = page(&app, &cookies, "/admin/billing-runs?status=FAILED").await;
    assert!(
        html.contains(&format!("/admin/billing-runs/{broken}")),
        "{html}"
    );
    assert!(
        !html.contains(&format!("/admin/billing-runs/{partial}")),
        "{html}"
    );
    let html = page(&app, &cookies, "/admin/billing-runs?status=RUNNING").await;
    assert!(html.contains("No run matches this filter."), "{html}");
    let bogus = app
        .client
        .get(format!("{}/admin/billing-runs?status=DONE", app.address))
        .header(reqwest::header::COOKIE, &cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(bogus.status(), StatusCode::BAD_REQUEST);
});

const QUEUE: &str = "query Q($customer: ID, $type: DocumentType) {
    documentsToReview(customerId: $customer, type: $type) { nodes { id } } }";

e2e_test!(
    the_review_queue_is_filtered_by_type_and_organisation,
    |app| {
        let acme_owner = app.as_owner("Acme Telecom").await;
        let globex_owner = app.as_owner("Globex").await;
        let upload = |token: String, kind: &'static str, name: &'static str| {
            let app = &app;
            async move {
                let document =
                    uploaded(app, &token, &[("type", kind), ("name", name)], pdf(1024)).await;
                document["id"].as_str().expect("id").to_owned()
            }
        };
        let acme_contract = upload(
            acme_owner.token().to_owned(),
            "contract",
            "Acme contract.pdf",
        )
        .await;
        let acme_other = upload(acme_owner.token().to_owned(), "other", "Acme order.pdf").await;
        let globex_contract = upload(
            globex_owner.token().to_owned(),
            "contract",
            "Globex contract.pdf",
        )
        .await;
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let queue = |variables: Value| {
            let staff = &staff;
            async move { node_ids(&staff.graphql(QUEUE, variables).await, "documentsToReview") }
        };
        assert_eq!(
            queue(json!({ "type": "CONTRACT" })).await,
            BTreeSet::from([acme_contract.clone(), globex_contract.clone()])
        );
        assert_eq!(
            queue(json!({ "customer": acme })).await,
            BTreeSet::from([acme_contract.clone(), acme_other.clone()])
        );
        assert_eq!(
            queue(json!({ "customer": acme, "type": "CONTRACT" })).await,
            BTreeSet::from([acme_contract.clone()])
        );
        assert_bad_input(
            &staff.graphql(QUEUE, json!({ "customer": "acme" })).await,
            "customerId",
        );

        let (cookies, token) = console_session(&app, "support@billfold.example").await;
        let tab = page(
            &app,
            &cookies,
            &format!("/admin/customers/{acme}?tab=documents"),
        )
        .await;
        assert!(
            tab.contains(&format!(
                "/admin/documents?customer={acme}\" id=\"review-customer-documents\""
            )),
            "{tab}"
        );
        let filtered = format!("/admin/documents?type=CONTRACT&customer={acme}");
        let html = page(&app, &cookies, &filtered).await;
        assert!(html.contains("Acme contract.pdf"), "{html}");
        assert!(
            !html.contains("Acme order.pdf") && !html.contains("Globex contract.pdf"),
            "{html}"
        );
        assert!(html.contains("id=\"one-organisation\""), "{html}");
        // Each document names its organisation, the filter too.
        assert!(
            html.contains(&format!(
                "by <a href=\"/admin/customers/{acme}\">Acme Telecom</a>"
            )),
            "{html}"
        );
        assert!(html.contains(">Acme Telecom</a>'s documents."), "{html}");

        // Accepted from the filtered queue: back to the same filter, now empty.
        let accepted = form(
            &app,
            &cookies,
            "/admin/documents/review",
            &[
                ("csrf", token.as_str()),
                ("document", acme_contract.as_str()),
                ("decision", "accept"),
                ("type", "CONTRACT"),
                ("customer", acme.as_str()),
            ],
        )
        .await;
        assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
        let to = accepted.headers()[LOCATION]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(
            to.contains("type=CONTRACT") && to.contains(&format!("customer={acme}")),
            "{to}"
        );
        let html = page(&app, &cookies, &to).await;
        assert!(
            html.contains("No document of this filter waits for review."),
            "{html}"
        );
        let everyone = page(&app, &cookies, "/admin/documents").await;
        assert!(
            everyone.contains("Acme order.pdf") && everyone.contains("Globex contract.pdf"),
            "{everyone}"
        );
    }
);

e2e_test!(a_customers_subscriptions_are_filtered_by_status, |app| {
    let staff = app.as_staff().await;
    let product = staff
        .create_product(json!({ "name": "Hosting", "code": "hosting", "kind": "SERVICE" }))
        .await;
    let price = staff
        .create_price(
            json!({ "productId": product, "currency": "EUR", "interval": "MONTH",
            "model": "PER_UNIT", "unitAmount": "20" }),
        )
        .await;
    let acme = staff.customer_id("Acme Telecom").await;
    let create = || {
        staff.create_subscription(
            json!({ "customerId": acme, "anchorDate": "2026-12-01", "interval": "MONTH",
            "items": [{ "priceId": price, "quantity": 1 }] }),
        )
    };
    let kept = create().await.id;
    let ended = create().await.id;
    let cancelled = staff
        .graphql(
            "mutation M($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) { subscription { status } } }",
            json!({ "input": { "subscriptionId": ended, "when": "NOW" } }),
        )
        .await;
    assert_ok(&cancelled);
    let listed = |status: Value| {
        let staff = &staff;
        let acme = &acme;
        async move {
            let body = staff
                .graphql(
                    "query Q($id: ID!, $status: [SubscriptionStatus!]) { customer(id: $id) { subscriptions(status: $status) { nodes { id } } } }",
                    json!({ "id": acme, "status": status }),
                )
                .await;
            assert_ok(&body);
            body["data"]["customer"]["subscriptions"]["nodes"]
                .as_array()
                .expect("subscriptions")
                .iter()
                .map(|s| s["id"].as_str().expect("id").to_owned())
                .collect::<BTreeSet<_>>()
        }
    };
    let every = listed(Value::Null).await;
    assert!(every.contains(&kept) && every.contains(&ended));
    let current = listed(json!(["ACTIVE", "TRIALING", "PAUSED"])).await;
    assert!(current.contains(&kept) && !current.contains(&ended));
    assert_eq!(
        listed(json!(["CANCELLED"])).await,
        BTreeSet::from([ended.clone()])
    );

    let (cookies, _) = console_session(&app, "billing@billfold.example").await;
    let html = page(
        &app,
        &cookies,
        &format!("/admin/customers/{acme}?status=CURRENT"),
    )
    .await;
    assert!(html.contains(&format!("id=\"sub-{kept}\"")), "{html}");
    assert!(!html.contains(&format!("id=\"sub-{ended}\"")), "{html}");
    let html = page(
        &app,
        &cookies,
        &format!("/admin/customers/{acme}?status=CANCELLED"),
    )
    .await;
    assert!(html.contains(&format!("id=\"sub-{ended}\"")), "{html}");
    assert!(!html.contains(&format!("id=\"sub-{kept}\"")), "{html}");
});
