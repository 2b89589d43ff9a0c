//! ChargeOver's example, end to end: a $10 flat item and a metered $0.05/min item, 361 minutes
//! sent through `POST /api/v3/usage` in several posts with an API key (one retried), a billing
//! run -> an invoice of $28.05, equal to the upcoming charges read before it.

use entity::usage_record;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use tests::e2e_test;

use super::{api_key, bill, invoices_of, minutes, post_usage, stored, upcoming, voip};

e2e_test!(chargeover_example_bills_28_05, |app| {
    let fx = voip(
        &app,
        "VoIP Co",
        json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
    )
    .await;
    let staff = app.as_staff().await;
    let (_, secret) = api_key(&staff, &["USAGE_WRITE"]).await;

    // One object: ChargeOver's envelope with the record's id.
    let first = minutes(&fx.minutes, json!(22), "2026-04-15");
    let (status, body) = post_usage(&app, Some(&secret), &first, None).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["code"], 201);
    assert_eq!(body["status"], "OK");
    assert_eq!(body["message"], "");
    let id = body["response"]["id"].as_str().expect("id").to_owned();
    assert!(id.starts_with("usg_"), "{body}");

    // The client retries it (a lost answer): the same record, not a second one.
    let (status, again) = post_usage(&app, Some(&secret), &first, None).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again["response"]["id"], id.as_str());

    // A list, and a value as a string.
    let list = json!([
        minutes(&fx.minutes, json!(100), "2026-04-16"),
        minutes(&fx.minutes, json!("139"), "2026-04-17"),
    ]);
    let (status, body) = post_usage(&app, Some(&secret), &list, None).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["response"].as_array().map(Vec::len), Some(2), "{body}");
    // Two equal readings of one day told apart by the client's Idempotency-Key.
    let day = minutes(&fx.minutes, json!(50), "2026-04-18");
    for key in ["reading-1", "reading-2", "reading-2"] {
        let (status, body) = post_usage(&app, Some(&secret), &day, Some(key)).await;
        assert_eq!(status, 201, "{body}");
    }
    assert_eq!(stored(&app, &fx.customer).await, 5);

    // Upcoming charges show the invoice: $10 for May in advance, April's 361 minutes in arrears.
    let preview = upcoming(&staff, &fx).await;
    assert_eq!(preview["total"]["amount"], "28.05", "{preview}");

    bill(&app, "2026-05-01").await;
    let invoices = invoices_of(&app, &fx.subscription).await;
    assert_eq!(invoices.len(), 1);
    let (invoice, lines) = &invoices[0];
    assert_eq!(invoice.total_minor, 2805, "{lines:?}");
    assert_eq!(invoice.amount_due_minor, 2805);
    let texts: Vec<(&str, i64)> = lines
        .iter()
        .map(|l| (l.description.as_str(), l.amount_minor))
        .collect();
    assert_eq!(
        texts,
        vec![
            ("1 × VoIP service", 1000),
            ("361 × Minutes at $0.05 each", 1805)
        ]
    );
    let usage = &lines[1];
    assert_eq!(usage.quantity, "361");
    assert_eq!(
        (usage.period_start, usage.period_end),
        (
            Some("2026-04-01".parse().unwrap()),
            Some("2026-05-01".parse().unwrap())
        )
    );
    // The preview said the same, line by line.
    let previewed: Vec<&str> = preview["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter_map(|l| l["description"].as_str())
        .collect();
    assert_eq!(
        previewed,
        vec!["1 × VoIP service", "361 × Minutes at $0.05 each"]
    );
    // Every record is marked with the invoice that billed it.
    let unbilled = usage_record::Entity::find()
        .filter(usage_record::Column::InvoiceId.is_null())
        .filter(usage_record::Column::CustomerId.eq(invoice.customer_id))
        .all(app.app.db.reads())
        .await
        .expect("records");
    assert!(unbilled.is_empty(), "{unbilled:?}");
});

e2e_test!(chargeover_errors_use_its_envelope, |app| {
    let fx = voip(
        &app,
        "VoIP Co",
        json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
    )
    .await;
    let staff = app.as_staff().await;
    let (_, secret) = api_key(&staff, &["USAGE_WRITE"]).await;

    let body = minutes(&fx.minutes, json!(22), "2026-04-15");
    let (status, answer) = post_usage(&app, None, &body, None).await;
    assert_eq!(status, 401, "{answer}");
    assert_eq!(answer["code"], 401);
    assert_eq!(answer["status"], "Error");
    assert_eq!(answer["response"], false);
    let (status, _) = post_usage(&app, Some("bf_not-a-key"), &body, None).await;
    assert_eq!(status, 401);

    // A list with two bad entries: both named, nothing written.
    let list = json!([
        minutes(&fx.minutes, json!(1), "2026-04-15"),
        minutes(&fx.minutes, json!(-3), "2026-04-16"),
        minutes(&fx.flat_item, json!(1), "2026-04-17"),
    ]);
    let (status, answer) = post_usage(&app, Some(&secret), &list, None).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["code"], 400);
    assert_eq!(answer["status"], "Error");
    let details = answer["details"].as_array().expect("details");
    let named: Vec<(u64, &str)> = details
        .iter()
        .map(|d| {
            (
                d["position"].as_u64().unwrap_or(99),
                d["field"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        named,
        vec![(1, "usage_value"), (2, "line_item_id")],
        "{answer}"
    );
    assert_eq!(stored(&app, &fx.customer).await, 0);

    // ChargeOver's numeric line item ids are not ours.
    let numeric = json!({ "line_item_id": 854, "usage_value": 22,
        "from": "2015-09-15 00:00:00", "to": "2015-09-15 23:59:59" });
    let (status, answer) = post_usage(&app, Some(&secret), &numeric, None).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["details"][0]["field"], "line_item_id");
});
