//! CSV imports of calls on `POST /calls/import` with an API key: a good file is rated and
//! recorded (an unmatched destination stored unrated, duplicates skipped on a second import);
//! a file with bad rows is refused whole, every bad row named by its number.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{TestApp, e2e_test};

use super::{add_number, stored_calls, telecom};
use crate::usage::api_key;

async fn import(app: &TestApp, secret: &str, file: &str) -> (StatusCode, Value) {
    let response = app
        .client
        .post(format!("{}/calls/import", app.address))
        .header("content-type", "text/csv")
        .bearer_auth(secret)
        .body(file.to_owned())
        .send()
        .await
        .expect("request sent");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

e2e_test!(csv_call_imports_are_rated_and_bad_rows_named, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let fx = telecom(&app, &acme, 1).await;
    add_number(&staff, &fx, "+33140000004").await;
    let (_, secret) = api_key(&staff, &["USAGE_WRITE"]).await;
    // A bad file first: rows 3 (direction) and 4 (duration) are named; nothing is written.
    let bad = "number,start,duration_seconds,direction,destination,idempotency_key\n\
        +33140000004,2026-12-02 09:00:00,61,outbound,+33612345678,a\n\
        +33140000004,2026-12-02 09:05:00,61,sideways,+33612345678,b\n\
        +33140000004,2026-12-02 09:10:00,-4,inbound,+33612345678,c\n";
    let (status, body) = import(&app, &secret, bad).await;
    assert_eq!(status, 400, "{body}");
    let rows: Vec<(Value, Value)> = body["errors"][0]["extensions"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["row"].clone(), r["column"].clone()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (json!(3), json!("direction")),
            (json!(4), json!("duration_seconds"))
        ]
    );
    assert!(stored_calls(&app, &acme).await.is_empty());

    // 61 s to a mobile, 30/6: 30 + 36 = 66 s × 0.10/60 = 0.11 + 0.05 = €0.16; a US call has no
    // rate and is stored unrated.
    let good = "idempotency_key,number,start,duration_seconds,direction,destination\n\
        a,+33140000004,2026-12-02 09:00:00,61,outbound,+33612345678\n\
        b,+33140000004,2026-12-02T09:05:00Z,61,inbound,+15550100\n";
    let (status, body) = import(&app, &secret, good).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body,
        json!({ "received": 2, "inserted": 2, "duplicates": 0, "unrated": 1 })
    );
    let stored = stored_calls(&app, &acme).await;
    assert_eq!(
        (stored[0].billed_seconds, stored[0].amount_minor),
        (Some(66), Some(16))
    );
    assert_eq!(stored[1].amount_minor, None);
    let (status, body) = import(&app, &secret, good).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["duplicates"], 2);
    assert_eq!(stored_calls(&app, &acme).await.len(), 2);
});
