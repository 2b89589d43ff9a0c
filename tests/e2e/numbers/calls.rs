//! Calls through `recordCalls`: rated at ingestion with increment, minimum and connection fee,
//! the longest prefix winning; duplicates skipped; a bad batch refused whole; an unmatched
//! destination stored unrated and re-rated after a new version, rated calls untouched.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{assert_code, assert_ok, e2e_test};

use super::{add_number, call, record_calls, stored_calls, telecom};

e2e_test!(calls_are_rated_at_ingestion_and_duplicates_skipped, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let fx = telecom(&app, &acme, 1).await;
    add_number(&staff, &fx, "+33140000001").await;
    let calls = json!([
        // 10 s to a landline: 30 s billed, 0.02 × 30/60 = 0.01 + 0.05 fee = 0.06 -> the €0.10
        // minimum.
        call("+33140000001", "+33145678900", 10, "a-landline"),
        // 600 s to a mobile: 336 beats 33; 600 s × 0.10/60 = 1.00 + 0.05 = €1.05.
        call("+33140000001", "+33612345678", 600, "b-mobile"),
        // 31 s to a mobile: 30 + 6 = 36 s, 0.06 + 0.05 = €0.11.
        call("+33140000001", "+33612345678", 31, "c-increment"),
        // Not answered: nothing, not even the fee.
        call("+33140000001", "+33612345678", 0, "d-unanswered"),
    ]);
    let body = record_calls(&staff, calls.clone()).await;
    assert_ok(&body);
    let r = &body["data"]["recordCalls"];
    assert_eq!(
        (
            &r["received"],
            &r["inserted"],
            &r["duplicates"],
            &r["unrated"]
        ),
        (&json!(4), &json!(4), &json!(0), &json!(0))
    );
    let stored = stored_calls(&app, &acme).await;
    let rated: Vec<(i64, i64, String)> = stored
        .iter()
        .map(|c| {
            (
                c.billed_seconds.expect("billed"),
                c.amount_minor.expect("amount"),
                c.rate_per_minute.clone().expect("rate"),
            )
        })
        .collect();
    assert_eq!(
        rated,
        vec![
            (30, 10, "0.02".to_owned()),
            (600, 105, "0.1".to_owned()),
            (36, 11, "0.1".to_owned()),
            (0, 0, "0.1".to_owned()),
        ]
    );
    let version: ids::TariffVersionId = fx.version.parse().expect("version id");
    assert!(stored.iter().all(|c| c.tariff_version_id == Some(version)));
    // The same batch again: every call a duplicate, nothing written twice.
    let again = record_calls(&staff, calls).await;
    assert_eq!(again["data"]["recordCalls"]["duplicates"], 4, "{again}");
    assert_eq!(again["data"]["recordCalls"]["inserted"], 0);
    assert_eq!(stored_calls(&app, &acme).await.len(), 4);
});

e2e_test!(a_bad_batch_is_refused_whole_naming_each_call, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let fx = telecom(&app, &acme, 1).await;
    add_number(&staff, &fx, "+33140000002").await;
    let body = record_calls(
        &staff,
        json!([
            call("+33140000002", "+33145678900", 10, "ok"),
            call("+33140000002", "not a number", 10, "bad-destination"),
            call("+33140000099", "+33145678900", 10, "unknown-number"),
        ]),
    )
    .await;
    assert_code(&body, "BAD_USER_INPUT");
    let records = &body["errors"][0]["extensions"]["records"];
    let named: Vec<(Value, Value)> = records
        .as_array()
        .expect("records")
        .iter()
        .map(|r| (r["position"].clone(), r["field"].clone()))
        .collect();
    assert_eq!(
        named,
        vec![
            (json!(1), json!("destination")),
            (json!(2), json!("number"))
        ],
        "{body}"
    );
    assert!(stored_calls(&app, &acme).await.is_empty());
    // Customers do not record calls.
    let owner = app.as_owner("Acme Telecom").await;
    assert_code(
        &record_calls(
            &owner,
            json!([call("+33140000002", "+33145678900", 10, "mine")]),
        )
        .await,
        "FORBIDDEN",
    );
});

e2e_test!(an_unrated_call_is_rerated_after_a_new_version, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let fx = telecom(&app, &acme, 1).await;
    add_number(&staff, &fx, "+33140000003").await;
    let body = record_calls(
        &staff,
        json!([
            call("+33140000003", "+33145678900", 10, "a-france"),
            call("+33140000003", "+447700900123", 120, "b-uk"),
        ]),
    )
    .await;
    assert_eq!(body["data"]["recordCalls"]["unrated"], 1, "{body}");
    let unrated: Value = staff
        .data(
            "unrated calls",
            "{ unratedCalls { nodes { idempotencyKey destination amount { amount } tariffVersionId } } }",
            json!({}),
        )
        .await;
    let listed = unrated["unratedCalls"]["nodes"]
        .as_array()
        .expect("unrated");
    assert_eq!(listed.len(), 1, "{unrated}");
    assert_eq!(listed[0]["idempotencyKey"], "b-uk");
    assert_eq!(listed[0]["amount"], Value::Null);

    // Version 2 adds the UK at €0.03/min and changes France to €0.50/min, 60/60, no fee.
    let v2 = staff
        .graphql(
            "mutation V($input: CreateTariffVersionInput!) { createTariffVersion(input: $input) {
                tariffVersion { id } } }",
            json!({ "input": {
                "tariffId": fx.tariff,
                "rates": [
                    { "prefix": "33", "ratePerMinute": "0.50" },
                    { "prefix": "44", "ratePerMinute": "0.03" }
                ],
                "incrementFirstSeconds": 60, "incrementNextSeconds": 60,
                "minimumCharge": "0", "connectionFee": "0"
            } }),
        )
        .await;
    assert_ok(&v2);
    let v2_id: ids::TariffVersionId = v2["data"]["createTariffVersion"]["tariffVersion"]["id"]
        .as_str()
        .expect("v2")
        .parse()
        .expect("version id");
    let rerated = staff
        .graphql(
            "mutation R($input: RerateCallsInput!) { rerateCalls(input: $input) { rated stillUnrated } }",
            json!({ "input": { "tariffId": fx.tariff } }),
        )
        .await;
    assert_eq!(
        rerated["data"]["rerateCalls"],
        json!({ "rated": 1, "stillUnrated": 0 }),
        "{rerated}"
    );
    // Re-rating changes what a customer is billed: audited, with the version and the counts.
    let audited = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("calls.rerate"))
        .filter(entity::audit_log::Column::SubjectId.eq(fx.tariff.as_str()))
        .all(app.app.db.reads())
        .await
        .expect("audit");
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert_eq!(
        audited[0].after,
        Some(json!({ "version": v2_id.to_string(), "rated": 1, "still_unrated": 0 }))
    );
    let stored = stored_calls(&app, &acme).await;
    // The French call keeps version 1 and its €0.10; the UK call is 2 min × 0.03 = €0.06.
    let v1: ids::TariffVersionId = fx.version.parse().expect("version id");
    assert_eq!(stored[0].tariff_version_id, Some(v1));
    assert_eq!(stored[0].amount_minor, Some(10));
    assert_eq!(stored[1].tariff_version_id, Some(v2_id));
    assert_eq!(
        (stored[1].billed_seconds, stored[1].amount_minor),
        (Some(120), Some(6))
    );
    // A new call is rated with version 2.
    record_calls(
        &staff,
        json!([call("+33140000003", "+33145678900", 10, "c-france")]),
    )
    .await;
    let stored = stored_calls(&app, &acme).await;
    assert_eq!(
        (stored[2].tariff_version_id, stored[2].amount_minor),
        (Some(v2_id), Some(50))
    );
    let empty: Value = staff
        .data(
            "unrated calls",
            "{ unratedCalls { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(empty["unratedCalls"]["nodes"], json!([]));
});
