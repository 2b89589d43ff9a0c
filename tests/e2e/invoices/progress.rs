//! `billingRunProgress` over WebSocket (graphql-transport-ws): staff watch a run to its end
//! and see the run's final counts; a run of another process is followed through its record;
//! customers, missing or bad tokens, queries over the socket, and another site's page on the
//! console's cookie route are refused.

use chrono::Utc;
use entity::billing_run::{self, RunOrigin, RunStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{LicenseItemFixture, TestApp, assert_ok, e2e_test, error_code, instant};

use crate::console::console_session;
use crate::licenses::APRIL_2;
use crate::ws::{Event, Refusal, connect, connect_with_token};

const PROGRESS: &str = "subscription P($id: ID!) { billingRunProgress(id: $id) {
    id status due invoiced failed failures { subscriptionId code message } } }";
const RUN: &str = "query R($id: ID!) { billingRun(id: $id) {
    id status due invoiced failed failures { subscriptionId code message } } }";
const START: &str = "mutation S($input: StartBillingRunInput!) {
    startBillingRun(input: $input) { run { id } } }";

/// Three subscriptions due since May, billed up to July 15th.
async fn due_subscriptions(app: &TestApp) {
    for organisation in ["Acme Telecom", "Globex", "Acme Telecom"] {
        LicenseItemFixture::for_organisation(organisation)
            .unit_price("30")
            .seats(2)
            .at(APRIL_2)
            .create(app)
            .await;
    }
    app.app.services.clock.set(instant("2026-07-15T09:00:00Z"));
}

/// The progress items' `billingRunProgress` values.
fn items(results: &[Value]) -> Vec<Value> {
    results
        .iter()
        .map(|r| {
            assert!(r.get("errors").is_none(), "{r}");
            r["data"]["billingRunProgress"].clone()
        })
        .collect()
}

e2e_test!(staff_watch_a_run_to_its_end_and_see_its_counts, |app| {
    due_subscriptions(&app).await;
    let staff = app.as_staff().await;
    let support = app.as_support().await;
    let mut watcher = connect_with_token(&app, staff.token())
        .await
        .expect("staff connect");
    let started = staff
        .graphql(START, json!({ "input": { "asOf": "2026-07-15" } }))
        .await;
    assert_ok(&started);
    let id = started["data"]["startBillingRun"]["run"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    watcher.subscribe(PROGRESS, json!({ "id": id })).await;
    let seen = items(&watcher.results_until_complete().await);
    let last = seen.last().expect("at least one item");
    // Counts only grow, and the end is the run as recorded.
    for pair in seen.windows(2) {
        assert!(
            pair[0]["invoiced"].as_i64() <= pair[1]["invoiced"].as_i64(),
            "{seen:?}"
        );
    }
    assert!(
        seen[..seen.len() - 1]
            .iter()
            .all(|i| i["status"] == "RUNNING"),
        "{seen:?}"
    );
    let recorded = staff.graphql(RUN, json!({ "id": id })).await;
    assert_ok(&recorded);
    assert_eq!(*last, recorded["data"]["billingRun"], "{seen:?}");
    assert_eq!(last["status"], "COMPLETED");
    assert_eq!(last["due"], 3);
    assert_eq!(
        last["invoiced"], 9,
        "May, June and July of three subscriptions"
    );
    // The run names its invoices, and only its own.
    let made = staff
        .graphql(
            "query R($id: ID!) { billingRun(id: $id) { invoices(first: 50) {
                nodes { number customerId billedTo } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_ok(&made);
    let made = made["data"]["billingRun"]["invoices"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(made.len(), 9, "{made:?}");
    assert!(made.iter().all(|i| {
        i["number"].as_str().is_some_and(|n| n.starts_with("INV-"))
            && i["customerId"]
                .as_str()
                .is_some_and(|c| c.starts_with("cus_"))
            && (i["billedTo"] == "Acme Telecom" || i["billedTo"] == "Globex")
    }));

    // A finished run yields once and completes; support may watch too.
    let mut support_watcher = connect_with_token(&app, support.token())
        .await
        .expect("support connect");
    support_watcher
        .subscribe(PROGRESS, json!({ "id": id }))
        .await;
    let again = items(&support_watcher.results_until_complete().await);
    assert_eq!(again, vec![recorded["data"]["billingRun"].clone()]);

    // An unknown run: NOT_FOUND; a query over the socket: refused, nothing runs.
    let unknown = ids::BillingRunId::new().to_string();
    let body = watcher
        .first_result(PROGRESS, json!({ "id": unknown }))
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    assert_eq!(watcher.event().await, Event::Complete);
    let body = watcher.first_result(RUN, json!({ "id": id })).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(body.get("data").is_none_or(Value::is_null), "{body}");
    // And a subscription over HTTP is pointed to the socket.
    let body = staff.graphql(PROGRESS, json!({ "id": id })).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(body.to_string().contains("/graphql/ws"), "{body}");
});

e2e_test!(
    a_run_of_another_process_is_followed_through_its_record,
    |app| {
        let now = Utc::now();
        let other = billing_run::Model {
            id: ids::BillingRunId::new(),
            as_of: "2026-07-15".parse().expect("date"),
            workers: 2,
            status: RunStatus::Running,
            origin: RunOrigin::Cli,
            started_by: None,
            started_at: now,
            heartbeat_at: now,
            finished_at: None,
            due: 10,
            invoiced: 2,
            failed: 0,
            failures: json!([]),
            error: None,
        };
        billing_run::Entity::insert(billing_run::ActiveModel::from(other.clone()))
            .exec_without_returning(app.app.db.writes())
            .await
            .expect("another process's run");
        let staff = app.as_staff().await;
        let mut watcher = connect_with_token(&app, staff.token())
            .await
            .expect("connect");
        watcher
            .subscribe(PROGRESS, json!({ "id": other.id.to_string() }))
            .await;
        let first = watcher.event().await;
        let Event::Next(first) = first else {
            panic!("{first:?}")
        };
        assert_eq!(first["data"]["billingRunProgress"]["invoiced"], 2);
        assert_eq!(first["data"]["billingRunProgress"]["status"], "RUNNING");

        let update = |invoiced: i64, status: RunStatus| {
            billing_run::Entity::update_many()
                .col_expr(billing_run::Column::Invoiced, Expr::value(invoiced))
                .col_expr(billing_run::Column::Status, Expr::value(status))
                .col_expr(billing_run::Column::HeartbeatAt, Expr::value(Utc::now()))
                .filter(billing_run::Column::Id.eq(other.id))
                .exec(app.app.db.writes())
        };
        update(7, RunStatus::Running).await.expect("flush");
        let Event::Next(second) = watcher.event().await else {
            panic!("a second item")
        };
        assert_eq!(second["data"]["billingRunProgress"]["invoiced"], 7);
        update(10, RunStatus::Completed).await.expect("end");
        let rest = items(&watcher.results_until_complete().await);
        assert_eq!(rest.len(), 1, "{rest:?}");
        assert_eq!(rest[0]["invoiced"], 10);
        assert_eq!(rest[0]["status"], "COMPLETED");
    }
);

e2e_test!(customers_and_missing_or_bad_tokens_are_refused, |app| {
    let id = ids::BillingRunId::new().to_string();
    for session in [
        app.as_owner("Acme Telecom").await,
        app.as_billing_admin("Acme Telecom").await,
        app.as_viewer("Globex").await,
    ] {
        let mut socket = connect_with_token(&app, session.token())
            .await
            .expect("a customer authenticates");
        let body = socket.first_result(PROGRESS, json!({ "id": id })).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    }
    let Err(Refusal::Closed(code, reason)) = connect(&app, "/graphql/ws", &[], json!({})).await
    else {
        panic!("no token must be refused")
    };
    assert_eq!(code, 1002);
    assert!(reason.contains("authorization"), "{reason}");
    let refused = connect_with_token(&app, "not-a-token").await.err();
    assert_eq!(
        refused,
        Some(Refusal::Closed(
            1002,
            "invalid or expired credentials".into()
        ))
    );
    // The console's cookie means nothing on the API's route.
    let (cookies, _) = console_session(&app, "admin@billfold.example").await;
    let refused = connect(&app, "/graphql/ws", &[("cookie", &cookies)], json!({}))
        .await
        .err();
    assert!(
        matches!(refused, Some(Refusal::Closed(1002, _))),
        "{refused:?}"
    );
});

e2e_test!(
    the_console_route_takes_the_session_cookie_from_its_own_origin_only,
    |app| {
        let (cookies, _) = console_session(&app, "support@billfold.example").await;
        let own = app.address.as_str();
        let run = ids::BillingRunId::new().to_string();
        let mut socket = connect(
            &app,
            "/admin/graphql/ws",
            &[("cookie", &cookies), ("origin", own)],
            json!({}),
        )
        .await
        .expect("the console's page connects");
        let body = socket.first_result(PROGRESS, json!({ "id": run })).await;
        assert_eq!(
            error_code(&body),
            Some("NOT_FOUND"),
            "authenticated as staff: {body}"
        );
        assert_eq!(socket.event().await, Event::Complete);
        let body = socket.first_result(RUN, json!({ "id": run })).await;
        assert_eq!(
            error_code(&body),
            Some("BAD_USER_INPUT"),
            "subscriptions only: {body}"
        );

        for (headers, status) in [
            (
                vec![
                    ("cookie", cookies.as_str()),
                    ("origin", "https://evil.example"),
                ],
                403,
            ),
            (vec![("cookie", cookies.as_str())], 403),
            (vec![("origin", own)], 401),
            (
                vec![
                    ("cookie", "billfold_console_session=forged"),
                    ("origin", own),
                ],
                401,
            ),
        ] {
            let refused = connect(&app, "/admin/graphql/ws", &headers, json!({}))
                .await
                .err();
            assert_eq!(refused, Some(Refusal::Http(status)), "{headers:?}");
        }
    }
);
