//! Ingestion rules through `recordUsage`: duplicates counted and skipped (10,000 records, 10 %
//! duplicates -> 9,000 rows), a batch with a bad record refused whole with its position named,
//! another tenant's member -> `NOT_FOUND`, more than 10,000 records refused, customers refused.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{assert_code, e2e_test};

use super::{minutes, post_usage, record, record_usage, stored, voip};

e2e_test!(
    ten_thousand_records_with_ten_percent_duplicates_store_nine_thousand,
    |app| {
        let fx = voip(
            &app,
            "VoIP Co",
            json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
        )
        .await;
        let staff = app.as_staff().await;
        // 9,000 distinct keys, and every 9th of them sent a second time later on: 10,000 records.
        let mut records: Vec<Value> = (0..9_000)
            .map(|n| {
                record(
                    &fx.minutes,
                    "1",
                    "2026-04-03T10:00:00Z",
                    &format!("call-{n}"),
                )
            })
            .collect();
        for n in 0..1_000 {
            let again = record(
                &fx.minutes,
                "1",
                "2026-04-03T10:00:00Z",
                &format!("call-{}", n * 9),
            );
            records.insert(n * 10 + 5, again);
        }
        assert_eq!(records.len(), 10_000);
        // One batch, as the API allows: the default /graphql body limit fits it.
        let body = record_usage(&app, staff.token(), json!(records)).await;
        let payload = &body["data"]["recordUsage"];
        assert_eq!(payload["received"], 10_000, "{body}");
        let inserted = payload["inserted"].as_u64().expect("inserted");
        let duplicates = payload["duplicates"].as_u64().expect("duplicates");
        assert_eq!((inserted, duplicates), (9_000, 1_000));
        assert_eq!(stored(&app, &fx.customer).await, 9_000);
        // The running daily totals count the 9,000 written, not the duplicates.
        let days = entity::usage_day::Entity::find()
            .all(app.app.db.reads())
            .await
            .expect("usage_days");
        let counted: i64 = days.iter().map(|d| d.records).sum();
        let whole: i64 = days.iter().map(|d| d.whole).sum();
        assert_eq!((counted, whole), (9_000, 9_000), "{days:?}");
        crate::usage::assert_daily_totals_match_the_records(&app).await;
    }
);

e2e_test!(
    a_batch_with_bad_records_is_refused_whole_naming_each,
    |app| {
        let fx = voip(
            &app,
            "VoIP Co",
            json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
        )
        .await;
        let staff = app.as_staff().await;
        let at = "2026-04-03T10:00:00Z";
        let mut batch: Vec<Value> = (0..6)
            .map(|n| record(&fx.minutes, "2.5", at, &format!("k{n}")))
            .collect();
        batch[3]["quantity"] = json!("-1");
        let body = record_usage(&app, staff.token(), json!(batch)).await;
        assert_code(&body, "BAD_USER_INPUT");
        let error = &body["errors"][0]["extensions"];
        assert_eq!(error["field"], "records[3].quantity", "{body}");
        assert_eq!(error["records"][0]["position"], 3);
        assert_eq!(stored(&app, &fx.customer).await, 0);

        // Every bad record and field is listed: a flat item, `to` before `from`, an empty key.
        batch[3]["quantity"] = json!("1");
        batch[1]["subscriptionItemId"] = json!(fx.flat_item);
        batch[2]["to"] = json!("2026-04-03T09:00:00Z");
        batch[4]["idempotencyKey"] = json!(" ");
        batch[5]["idempotencyKey"] = json!("x".repeat(256));
        let body = record_usage(&app, staff.token(), json!(batch)).await;
        assert_code(&body, "BAD_USER_INPUT");
        let listed: Vec<(u64, String)> = body["errors"][0]["extensions"]["records"]
            .as_array()
            .expect("records")
            .iter()
            .map(|r| {
                (
                    r["position"].as_u64().unwrap_or(99),
                    r["field"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            vec![
                (1, "subscriptionItemId".to_owned()),
                (2, "to".to_owned()),
                (4, "idempotencyKey".to_owned()),
                (5, "idempotencyKey".to_owned()),
            ],
            "{body}"
        );
        assert_eq!(stored(&app, &fx.customer).await, 0);

        // Fixed, the same batch goes in whole; sent again, it is all duplicates.
        let good: Vec<Value> = (0..6)
            .map(|n| record(&fx.minutes, "2.5", at, &format!("k{n}")))
            .collect();
        let body = record_usage(&app, staff.token(), json!(good)).await;
        assert_eq!(body["data"]["recordUsage"]["inserted"], 6, "{body}");
        let body = record_usage(&app, staff.token(), json!(good)).await;
        assert_eq!(body["data"]["recordUsage"]["duplicates"], 6, "{body}");
        assert_eq!(stored(&app, &fx.customer).await, 6);

        // A key sent again with other usage (here 2.50 is the same quantity, 3 is not) is
        // refused with the batch, never skipped as a duplicate.
        let mut reused = good.clone();
        reused[0]["quantity"] = json!("2.50");
        reused[4]["quantity"] = json!("3");
        reused.push(record(&fx.minutes, "1", at, "k-new"));
        let body = record_usage(&app, staff.token(), json!(reused)).await;
        assert_code(&body, "BAD_USER_INPUT");
        let records = &body["errors"][0]["extensions"]["records"];
        assert_eq!(records.as_array().map(Vec::len), Some(1), "{body}");
        assert_eq!(records[0]["position"], 4);
        assert_eq!(records[0]["field"], "idempotencyKey");
        assert_eq!(stored(&app, &fx.customer).await, 6, "k-new rolled back");
    }
);

e2e_test!(another_tenants_member_or_team_is_not_found, |app| {
    let fx = voip(
        &app,
        "VoIP Co",
        json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
    )
    .await;
    let staff = app.as_staff().await;
    let acme = app.as_owner("Acme Telecom").await;
    let acme_member = acme
        .member_ids()
        .await
        .into_iter()
        .next()
        .expect("a member");
    let mut one = record(&fx.minutes, "1", "2026-04-03T10:00:00Z", "m1");
    one["memberId"] = json!(acme_member);
    let body = record_usage(&app, staff.token(), json!([one])).await;
    assert_code(&body, "NOT_FOUND");
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "records[0].memberId",
        "{body}"
    );
    // An item that does not exist answers the same.
    let missing = record(
        "si_00000000000000000000000000000000",
        "1",
        "2026-04-03T10:00:00Z",
        "m2",
    );
    let body = record_usage(&app, staff.token(), json!([missing])).await;
    assert_code(&body, "NOT_FOUND");
    assert_eq!(stored(&app, &fx.customer).await, 0);

    // Customers do not record usage, not even on their own items.
    let body = record_usage(
        &app,
        acme.token(),
        json!([record(&fx.minutes, "1", "2026-04-03T10:00:00Z", "m3")]),
    )
    .await;
    assert_code(&body, "FORBIDDEN");
});

e2e_test!(more_than_ten_thousand_records_are_refused, |app| {
    let fx = voip(
        &app,
        "VoIP Co",
        json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
    )
    .await;
    let staff = app.as_staff().await;
    let list: Vec<Value> = (0..10_001)
        .map(|n| minutes(&fx.minutes, json!(n), "2026-04-03"))
        .collect();
    let (status, body) = post_usage(&app, Some(staff.token()), &json!(list), None).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("at most 10000 records")),
        "{body}"
    );
    assert_eq!(stored(&app, &fx.customer).await, 0);
});

e2e_test!(naive_times_are_the_customers_local_time, |app| {
    let fx = crate::usage::voip_in(
        &app,
        "NY VoIP",
        json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
        "America/New_York",
    )
    .await;
    let staff = app.as_staff().await;
    app.app
        .services
        .clock
        .set(tests::instant("2026-05-02T12:00:00Z"));
    // ChargeOver's day form is New York's 1 May; an explicit offset stays as sent.
    let (status, body) = crate::usage::post_usage(
        &app,
        Some(staff.token()),
        &json!([
            crate::usage::minutes(&fx.minutes, json!(7), "2026-05-01"),
            { "line_item_id": fx.minutes, "usage_value": 3,
              "from": "2026-05-01T00:00:00Z", "to": "2026-05-01T00:00:00Z" },
        ]),
        None,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let customer: ids::CustomerId = fx.customer.parse().expect("customer id");
    let mut stored: Vec<(String, String, String)> = entity::usage_record::Entity::find()
        .filter(entity::usage_record::Column::CustomerId.eq(customer))
        .all(app.app.db.reads())
        .await
        .expect("records")
        .into_iter()
        .map(|r| (r.quantity, r.from_at.to_rfc3339(), r.to_at.to_rfc3339()))
        .collect();
    stored.sort();
    assert_eq!(
        stored,
        vec![
            (
                "3".to_owned(),
                "2026-05-01T00:00:00+00:00".to_owned(),
                "2026-05-01T00:00:00+00:00".to_owned()
            ),
            (
                "7".to_owned(),
                "2026-05-01T04:00:00+00:00".to_owned(),
                "2026-05-02T03:59:59+00:00".to_owned()
            ),
        ]
    );
});
