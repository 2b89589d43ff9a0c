//! Usage on invoices: graduated and volume prices at a tier boundary through the API, and
//! usage that arrives after its period was invoiced billed on the next invoice as a line of its
//! own service period — never lost, never twice; a subscription cancelled now bills its usage
//! so far on its last invoice.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::e2e_test;

use super::{Voip, bill, invoices_of, minutes, post_usage, upcoming, voip};

fn tiers(model: &str) -> Value {
    json!({ "model": model, "tiers": [
        { "from": 1, "to": 100, "unitAmount": "0.05", "flatFee": "0" },
        { "from": 101, "unitAmount": "0.04", "flatFee": "0" }
    ] })
}

/// The usage line (text, amount in cents) of the first invoice of `fx`.
async fn usage_line(app: &tests::TestApp, fx: &Voip) -> (String, i64) {
    let invoices = invoices_of(app, &fx.subscription).await;
    let (_, lines) = &invoices[0];
    let line = lines
        .iter()
        .find(|l| l.description.contains("Minutes"))
        .unwrap_or_else(|| panic!("no usage line: {lines:?}"));
    (line.description.clone(), line.amount_minor)
}

e2e_test!(graduated_and_volume_prices_at_the_tier_boundary, |app| {
    let staff = app.as_staff().await;
    let cases = [
        ("GRADUATED", 100, "100 × Minutes: 100 at $0.05", 500),
        (
            "GRADUATED",
            101,
            "101 × Minutes: 100 at $0.05 + 1 at $0.04",
            504,
        ),
        (
            "VOLUME",
            100,
            "100 × Minutes, all at $0.05 (tier 1–100)",
            500,
        ),
        (
            "VOLUME",
            101,
            "101 × Minutes, all at $0.04 (tier 101+)",
            404,
        ),
    ];
    let mut fixtures = Vec::new();
    for (n, (model, total, _, _)) in cases.iter().enumerate() {
        let fx = voip(&app, &format!("Tiered {n}"), tiers(model)).await;
        // The total in two posts: tiers apply to the period's total, not to each record.
        let first = total / 2;
        for (day, value) in [("2026-04-10", first), ("2026-04-20", total - first)] {
            let (status, body) = post_usage(
                &app,
                Some(staff.token()),
                &minutes(&fx.minutes, json!(value), day),
                None,
            )
            .await;
            assert_eq!(status, 201, "{body}");
        }
        fixtures.push(fx);
    }
    let mut previews = Vec::new();
    for fx in &fixtures {
        previews.push(upcoming(&staff, fx).await);
    }
    bill(&app, "2026-05-01").await;
    for ((fx, preview), (model, _, text, cents)) in fixtures.iter().zip(&previews).zip(cases) {
        assert_eq!(
            usage_line(&app, fx).await,
            (text.to_owned(), cents),
            "{model}"
        );
        let previewed = preview["lines"][1]["description"].as_str();
        assert_eq!(previewed, Some(text), "{model}: {preview}");
    }
});

e2e_test!(
    usage_after_its_period_was_invoiced_goes_on_the_next_invoice,
    |app| {
        let fx = voip(
            &app,
            "VoIP Co",
            json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
        )
        .await;
        let staff = app.as_staff().await;
        let post = |value: i64, day: &'static str| {
            let body = minutes(&fx.minutes, json!(value), day);
            let app = &app;
            let token = staff.token().to_owned();
            async move {
                let (status, answer) = post_usage(app, Some(&token), &body, None).await;
                assert_eq!(status, 201, "{answer}");
            }
        };
        post(10, "2026-04-10").await;
        bill(&app, "2026-05-01").await;

        // April's late record, and May's.
        post(5, "2026-04-28").await;
        post(7, "2026-05-03").await;
        let preview = upcoming(&staff, &fx).await;
        bill(&app, "2026-06-01").await;

        let invoices = invoices_of(&app, &fx.subscription).await;
        assert_eq!(invoices.len(), 2);
        let texts = |lines: &[entity::invoice_line::Model]| -> Vec<(String, i64, Option<String>)> {
            lines
                .iter()
                .map(|l| {
                    (
                        l.description.clone(),
                        l.amount_minor,
                        l.period_start.map(|d| d.to_string()),
                    )
                })
                .collect()
        };
        // The first invoice is as it was: April's 10 minutes.
        assert_eq!(
            texts(&invoices[0].1),
            vec![
                (
                    "1 × VoIP service".to_owned(),
                    1000,
                    Some("2026-05-01".to_owned())
                ),
                (
                    "10 × Minutes at $0.05 each".to_owned(),
                    50,
                    Some("2026-04-01".to_owned())
                ),
            ]
        );
        // The second bills April's late 5 minutes on a line of their own, then May's 7.
        assert_eq!(
            texts(&invoices[1].1),
            vec![
                (
                    "1 × VoIP service".to_owned(),
                    1000,
                    Some("2026-06-01".to_owned())
                ),
                (
                    "5 × Minutes at $0.05 each".to_owned(),
                    25,
                    Some("2026-04-01".to_owned())
                ),
                (
                    "7 × Minutes at $0.05 each".to_owned(),
                    35,
                    Some("2026-05-01".to_owned())
                ),
            ]
        );
        assert_eq!(invoices[1].0.total_minor, 1060);
        assert_eq!(preview["total"]["amount"], "10.60", "{preview}");
        let previewed: Vec<(&str, &str)> = preview["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| {
                (
                    l["description"].as_str().unwrap_or(""),
                    l["servicePeriodStart"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            previewed,
            vec![
                ("1 × VoIP service", "2026-06-01"),
                ("5 × Minutes at $0.05 each", "2026-04-01"),
                ("7 × Minutes at $0.05 each", "2026-05-01"),
            ]
        );
        // A third run bills nothing more.
        bill(&app, "2026-06-01").await;
        assert_eq!(invoices_of(&app, &fx.subscription).await.len(), 2);
        crate::usage::assert_daily_totals_match_the_records(&app).await;
    }
);

e2e_test!(
    cancelling_now_bills_the_usage_so_far_on_the_last_invoice,
    |app| {
        let fx = voip(
            &app,
            "VoIP Co",
            json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
        )
        .await;
        let staff = app.as_staff().await;
        let (status, body) = post_usage(
            &app,
            Some(staff.token()),
            &minutes(&fx.minutes, json!(30), "2026-04-10"),
            None,
        )
        .await;
        assert_eq!(status, 201, "{body}");
        app.app
            .services
            .clock
            .set(tests::instant("2026-04-15T12:00:00Z"));
        let body = staff
            .graphql(
                "mutation C($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) {
                subscription { status } } }",
                json!({ "input": { "subscriptionId": fx.subscription, "when": "NOW" } }),
            )
            .await;
        assert_eq!(
            body["data"]["cancelSubscription"]["subscription"]["status"], "CANCELLED",
            "{body}"
        );
        let customer: ids::CustomerId = fx.customer.parse().expect("customer id");
        let invoices = entity::invoice::Entity::find()
            .filter(entity::invoice::Column::CustomerId.eq(customer))
            .all(app.app.db.reads())
            .await
            .expect("invoices");
        assert_eq!(invoices.len(), 1, "{invoices:?}");
        let lines = entity::invoice_line::Entity::find()
            .filter(entity::invoice_line::Column::InvoiceId.eq(invoices[0].id))
            .all(app.app.db.reads())
            .await
            .expect("lines");
        let texts: Vec<(&str, i64)> = lines
            .iter()
            .map(|l| (l.description.as_str(), l.amount_minor))
            .collect();
        assert_eq!(texts, vec![("30 × Minutes at $0.05 each", 150)]);
        // Billed once: the records carry the invoice.
        let billed = entity::usage_record::Entity::find()
            .filter(entity::usage_record::Column::InvoiceId.eq(invoices[0].id))
            .count(app.app.db.reads())
            .await
            .expect("records");
        assert_eq!(billed, 1);
        crate::usage::assert_daily_totals_match_the_records(&app).await;
    }
);

e2e_test!(
    a_metered_item_with_usage_is_not_removed_and_its_usage_is_kept,
    |app| {
        let fx = voip(
            &app,
            "VoIP Co",
            json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
        )
        .await;
        let staff = app.as_staff().await;
        let (status, body) = post_usage(
            &app,
            Some(staff.token()),
            &minutes(&fx.minutes, json!(30), "2026-04-10"),
            None,
        )
        .await;
        assert_eq!(status, 201, "{body}");
        const REMOVE: &str = "mutation M($input: RemoveSubscriptionItemInput!) {
            removeSubscriptionItem(input: $input) { subscription { id } } }";
        app.app
            .services
            .clock
            .set(tests::instant("2026-04-20T12:00:00Z"));
        let body = staff
            .graphql(REMOVE, json!({ "input": { "itemId": fx.minutes } }))
            .await;
        tests::assert_code(&body, "CONFLICT");
        let message = body["errors"][0]["message"].as_str().unwrap_or("");
        assert!(message.contains("1 usage record not yet billed"), "{body}");
        assert_eq!(crate::usage::stored(&app, &fx.customer).await, 1);

        // Once billed, the record is what the invoice charged: still kept, still refused.
        bill(&app, "2026-05-01").await;
        let body = staff
            .graphql(REMOVE, json!({ "input": { "itemId": fx.minutes } }))
            .await;
        tests::assert_code(&body, "CONFLICT");
        assert_eq!(crate::usage::stored(&app, &fx.customer).await, 1);
        let invoices = invoices_of(&app, &fx.subscription).await;
        assert!(
            invoices[0]
                .1
                .iter()
                .any(|l| l.description == "30 × Minutes at $0.05 each"),
            "{invoices:?}"
        );

        // A metered item without usage is removed as any other.
        let other = voip(
            &app,
            "Quiet Co",
            json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
        )
        .await;
        let body = staff
            .graphql(REMOVE, json!({ "input": { "itemId": other.minutes } }))
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
);

e2e_test!(
    late_usage_is_priced_on_top_of_what_its_period_billed,
    |app| {
        let staff = app.as_staff().await;
        // (model, April on time, April late, the late line, its cents).
        let cases = [
            (
                json!({ "model": "STAIRSTEP", "tiers": [
                    { "from": 1, "to": 100, "unitAmount": "0", "flatFee": "10" },
                    { "from": 101, "unitAmount": "0", "flatFee": "20" }
                ] }),
                50,
                5,
                "5 × Minutes (after 50 billed), period total 55 (tier 1–100: $10.00)",
                0,
            ),
            (
                json!({ "model": "STAIRSTEP", "tiers": [
                    { "from": 1, "to": 100, "unitAmount": "0", "flatFee": "10" },
                    { "from": 101, "unitAmount": "0", "flatFee": "20" }
                ] }),
                100,
                1,
                "1 × Minutes (after 100 billed), period total 101 (tier 101+: $20.00)",
                1000,
            ),
            (
                json!({ "model": "PACKAGE", "packageSize": 100, "unitAmount": "5" }),
                301,
                1,
                "1 × Minutes (after 301 billed), period total 302: 4 packs of 100 at $5.00",
                0,
            ),
            (
                json!({ "model": "PACKAGE", "packageSize": 100, "unitAmount": "5" }),
                400,
                1,
                "1 × Minutes (after 400 billed), period total 401: 5 packs of 100 at $5.00",
                500,
            ),
            (
                json!({ "model": "GRADUATED", "tiers": [
                    { "from": 1, "to": 100, "unitAmount": "0", "flatFee": "0" },
                    { "from": 101, "unitAmount": "0.05", "flatFee": "0" }
                ] }),
                150,
                30,
                "30 × Minutes (after 150 billed), period total 180: 100 at $0.00 + 80 at $0.05",
                150,
            ),
        ];
        let mut fixtures = Vec::new();
        for (n, (model, on_time, _, _, _)) in cases.iter().enumerate() {
            let fx = voip(&app, &format!("Late {n}"), model.clone()).await;
            let (status, body) = post_usage(
                &app,
                Some(staff.token()),
                &minutes(&fx.minutes, json!(on_time), "2026-04-10"),
                None,
            )
            .await;
            assert_eq!(status, 201, "{body}");
            fixtures.push(fx);
        }
        bill(&app, "2026-05-01").await;
        let mut previews = Vec::new();
        for (fx, (_, _, late, _, _)) in fixtures.iter().zip(&cases) {
            let (status, body) = post_usage(
                &app,
                Some(staff.token()),
                &minutes(&fx.minutes, json!(late), "2026-04-28"),
                None,
            )
            .await;
            assert_eq!(status, 201, "{body}");
            previews.push(upcoming(&staff, fx).await);
        }
        bill(&app, "2026-06-01").await;
        for ((fx, preview), (_, _, _, text, cents)) in fixtures.iter().zip(&previews).zip(&cases) {
            let invoices = invoices_of(&app, &fx.subscription).await;
            assert_eq!(invoices.len(), 2);
            let line = invoices[1]
                .1
                .iter()
                .find(|l| l.description.contains("Minutes"))
                .unwrap_or_else(|| panic!("no late line: {:?}", invoices[1].1));
            assert_eq!(
                (line.description.as_str(), line.amount_minor),
                (*text, *cents)
            );
            assert_eq!(
                line.period_start.map(|d| d.to_string()).as_deref(),
                Some("2026-04-01")
            );
            assert_eq!(preview["lines"][1]["description"], *text, "{preview}");
        }
        crate::usage::assert_daily_totals_match_the_records(&app).await;
    }
);

e2e_test!(
    usage_a_cancelled_subscription_would_never_bill_is_refused,
    |app| {
        let fx = voip(
            &app,
            "VoIP Co",
            json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
        )
        .await;
        let staff = app.as_staff().await;
        let body = staff
            .graphql(
                "mutation C($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) {
                subscription { status } } }",
                json!({ "input": { "subscriptionId": fx.subscription, "when": "END_OF_PERIOD" } }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        // Before the end: billed by the last invoice.
        let (status, body) = post_usage(
            &app,
            Some(staff.token()),
            &minutes(&fx.minutes, json!(30), "2026-04-30"),
            None,
        )
        .await;
        assert_eq!(status, 201, "{body}");
        // From the end on: refused, naming the record and the day.
        let (status, body) = post_usage(
            &app,
            Some(staff.token()),
            &json!([
                minutes(&fx.minutes, json!(1), "2026-04-29"),
                minutes(&fx.minutes, json!(2), "2026-05-01"),
            ]),
            None,
        )
        .await;
        assert_eq!(status, 400, "{body}");
        let problems = body["details"].as_array().expect("details");
        assert_eq!(problems.len(), 1, "{body}");
        assert_eq!(problems[0]["position"], 1, "{body}");
        assert_eq!(problems[0]["field"], "from", "{body}");
        let message = problems[0]["message"].as_str().unwrap_or("");
        assert!(message.contains("ends on 2026-05-01"), "{body}");

        bill(&app, "2026-05-01").await;
        // The last invoice (of the customer: it starts no new period) bills the 30 minutes.
        let customer: ids::CustomerId = fx.customer.parse().expect("customer id");
        let invoices = entity::invoice::Entity::find()
            .filter(entity::invoice::Column::CustomerId.eq(customer))
            .all(app.app.db.reads())
            .await
            .expect("invoices");
        assert_eq!(invoices.len(), 1, "{invoices:?}");
        assert_eq!(invoices[0].total_minor, 150, "{invoices:?}");
        let billed = entity::usage_record::Entity::find()
            .filter(entity::usage_record::Column::InvoiceId.eq(invoices[0].id))
            .count(app.app.db.reads())
            .await
            .expect("records");
        assert_eq!(billed, 1);
        crate::usage::assert_daily_totals_match_the_records(&app).await;
        // Cancelled now: its last invoice is issued, so even April's usage is refused.
        let (status, body) = post_usage(
            &app,
            Some(staff.token()),
            &minutes(&fx.minutes, json!(3), "2026-04-30"),
            None,
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["details"][0]["field"], "line_item_id", "{body}");
        let message = body["details"][0]["message"].as_str().unwrap_or("");
        assert!(message.contains("is cancelled"), "{body}");
        assert_eq!(crate::usage::stored(&app, &fx.customer).await, 1);
    }
);
