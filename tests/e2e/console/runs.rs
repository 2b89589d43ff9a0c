//! The console's billing runs over plain HTTP, as a browser without JavaScript: an
//! administrator starts a run from the list and reads its page (counts, the invoices it made
//! linking to their pages); a running run's page refreshes itself and carries the one script
//! its policy allows; support and bad input are refused on the form, and nothing starts.

use chrono::Utc;
use entity::billing_run::{self, RunOrigin, RunStatus};
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tests::html::{form, page, unescape};
use tests::{TestApp, e2e_test, instant};

use super::console_session;

const RUN: &str = "query R($id: ID!) { billingRun(id: $id) { status due invoiced failed
    invoices(first: 50) { nodes { id number customerId } } } }";

/// The business clock a month on, so the demo subscriptions' next period is due today.
fn next_month(app: &TestApp) {
    let day = Utc::now().date_naive() + chrono::Days::new(32);
    app.app
        .services
        .clock
        .set(instant(&format!("{day}T09:00:00Z")));
}

/// Reads run `id` until it is no longer running.
async fn finished(staff: &tests::Session<'_>, id: &str) -> Value {
    for _ in 0..100 {
        let run: Value = staff.data("billingRun", RUN, json!({ "id": id })).await;
        if run["billingRun"]["status"] != "RUNNING" {
            return run["billingRun"].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("run {id} did not finish")
}

e2e_test!(
    an_administrator_starts_a_run_and_reads_what_it_made,
    |app| {
        next_month(&app);
        let (cookies, token) = console_session(&app, "admin@billfold.example").await;
        let list = page(&app, &cookies, "/admin/billing-runs").await;
        assert!(
            list.contains("href=\"/admin/billing-runs\" aria-current=\"page\""),
            "{list}"
        );
        assert!(list.contains("id=\"no-runs\""), "{list}");

        let started = form(
            &app,
            &cookies,
            "/admin/billing-runs",
            &[("csrf", token.as_str()), ("as_of", ""), ("workers", "2")],
        )
        .await;
        assert_eq!(started.status(), StatusCode::SEE_OTHER);
        let location = started.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        let id = location
            .strip_prefix("/admin/billing-runs/")
            .expect("the run's page")
            .to_owned();
        let staff = app.as_staff().await;
        let run = finished(&staff, &id).await;
        assert_eq!(run["status"], "COMPLETED", "{run}");
        assert!(
            run["invoiced"].as_i64() > Some(0),
            "the demo's next period: {run}"
        );

        let html = page(&app, &cookies, &location).await;
        let text = unescape(&html);
        assert!(
            html.contains("id=\"run-status\" role=\"status\">Completed<"),
            "{html}"
        );
        assert!(
            html.contains(&format!("id=\"run-due\">{}<", run["due"])),
            "{html}"
        );
        assert!(
            html.contains(&format!("id=\"run-invoiced\">{}<", run["invoiced"])),
            "{html}"
        );
        assert!(html.contains("id=\"run-failed\">0<"), "{html}");
        let invoices = run["invoices"]["nodes"].as_array().expect("invoices");
        assert_eq!(
            invoices.len() as i64,
            run["invoiced"].as_i64().unwrap_or_default()
        );
        for invoice in invoices {
            let href = format!(
                "/admin/customers/{}/invoices/{}",
                text_of(&invoice["customerId"]),
                text_of(&invoice["id"])
            );
            assert!(
                text.contains(&format!("href=\"{href}\">{}<", text_of(&invoice["number"]))),
                "{href}"
            );
        }
        // Finished: no refresh, no script.
        assert!(!html.contains("http-equiv=\"refresh\""), "{html}");
        assert!(!html.contains("<script"), "{html}");
        // The list shows it.
        let list = page(&app, &cookies, "/admin/billing-runs").await;
        assert!(list.contains(&format!("href=\"{location}\"")), "{list}");
        assert!(list.contains(">Completed<"), "{list}");
    }
);

fn text_of(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

e2e_test!(
    a_running_run_s_page_refreshes_itself_and_allows_its_script_only,
    |app| {
        let now = Utc::now();
        let running = billing_run::Model {
            id: ids::BillingRunId::new(),
            as_of: now.date_naive(),
            workers: 1,
            status: RunStatus::Running,
            origin: RunOrigin::Cli,
            started_by: None,
            started_at: now,
            heartbeat_at: now,
            finished_at: None,
            due: 40,
            invoiced: 12,
            failed: 0,
            failures: json!([]),
            error: None,
        };
        billing_run::Entity::insert(billing_run::ActiveModel::from(running.clone()))
            .exec_without_returning(app.app.db.writes())
            .await
            .expect("a running run");
        let (cookies, _) = console_session(&app, "support@billfold.example").await;
        let response = app
            .client
            .get(format!("{}/admin/billing-runs/{}", app.address, running.id))
            .header(COOKIE, &cookies)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .expect("policy")
            .to_owned();
        let html = response.text().await.expect("html");
        assert!(
            html.contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"),
            "{html}"
        );
        assert!(html.contains("id=\"run-invoiced\">12<"), "{html}");
        let nonce = html
            .split("nonce=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the script's nonce");
        assert!(
            policy.contains(&format!("script-src 'nonce-{nonce}'")),
            "{policy}"
        );
        assert!(
            html.contains("src=\"/admin/static/billing-run.js\""),
            "{html}"
        );
        // Another page keeps no script at all.
        let other = app
            .client
            .get(format!("{}/admin/billing-runs", app.address))
            .header(COOKIE, &cookies)
            .send()
            .await
            .expect("sent");
        let policy = other.headers()["content-security-policy"]
            .to_str()
            .expect("policy");
        assert!(policy.contains("script-src 'none'"), "{policy}");
        let script = app
            .client
            .get(format!("{}/admin/static/billing-run.js", app.address))
            .send()
            .await
            .expect("sent");
        assert_eq!(script.status(), StatusCode::OK);
        assert!(
            script
                .text()
                .await
                .expect("js")
                .contains("graphql-transport-ws")
        );
    }
);

e2e_test!(
    support_cannot_start_a_run_and_bad_input_is_shown_by_its_field,
    |app| {
        let (support, token) = console_session(&app, "support@billfold.example").await;
        let refused = form(
            &app,
            &support,
            "/admin/billing-runs",
            &[("csrf", token.as_str()), ("as_of", ""), ("workers", "")],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"form-error\">Not allowed"), "{html}");

        let (admin, token) = console_session(&app, "admin@billfold.example").await;
        let refused = form(
            &app,
            &admin,
            "/admin/billing-runs",
            &[
                ("csrf", token.as_str()),
                ("as_of", "2999-01-01"),
                ("workers", ""),
            ],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"as_of-error\""), "{html}");
        assert!(html.contains("value=\"2999-01-01\""), "kept: {html}");
        let refused = form(
            &app,
            &admin,
            "/admin/billing-runs",
            &[("csrf", "forged"), ("as_of", ""), ("workers", "")],
        )
        .await;
        assert_ne!(refused.status(), StatusCode::SEE_OTHER, "CSRF");
        let runs = billing_run::Entity::find()
            .all(app.app.db.reads())
            .await
            .expect("runs");
        assert!(runs.is_empty(), "nothing started: {runs:?}");
    }
);

e2e_test!(a_run_s_failures_name_the_customer_to_look_at, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let subscriptions: Value = staff
        .data(
            "subscriptions",
            "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id } } } }",
            json!({ "id": acme }),
        )
        .await;
    let subscription =
        text_of(&subscriptions["customer"]["subscriptions"]["nodes"][0]["id"]).to_owned();
    let now = Utc::now();
    let run = billing_run::Model {
        id: ids::BillingRunId::new(),
        as_of: now.date_naive(),
        workers: 1,
        status: RunStatus::Completed,
        origin: RunOrigin::Cli,
        started_by: None,
        started_at: now,
        heartbeat_at: now,
        finished_at: Some(now),
        due: 2,
        invoiced: 0,
        failed: 2,
        failures: json!([
            { "subscription_id": subscription, "code": "INTERNAL", "message": "the tax service went away" },
            { "subscription_id": ids::SubscriptionId::new().to_string(), "code": "INTERNAL",
              "message": "unknown" },
        ]),
        error: None,
    };
    billing_run::Entity::insert(billing_run::ActiveModel::from(run.clone()))
        .exec_without_returning(app.app.db.writes())
        .await
        .expect("a run with failures");
    let body: Value = staff
        .data(
            "billingRun",
            "query R($id: ID!) { billingRun(id: $id) { failures { subscriptionId customerId customerName } } }",
            json!({ "id": run.id.to_string() }),
        )
        .await;
    let failures = &body["billingRun"]["failures"];
    assert_eq!(failures[0]["customerId"], json!(acme), "{body}");
    assert_eq!(failures[0]["customerName"], "Acme Telecom");
    assert_eq!(failures[1]["customerId"], Value::Null, "{body}");

    let (cookies, _) = console_session(&app, "support@billfold.example").await;
    let html = page(&app, &cookies, &format!("/admin/billing-runs/{}", run.id)).await;
    assert!(
        html.contains(&format!(
            "<a href=\"/admin/customers/{acme}\">Acme Telecom</a>"
        )),
        "{html}"
    );
    assert!(
        html.contains("the tax service went away") && html.contains("Unknown"),
        "{html}"
    );
});
