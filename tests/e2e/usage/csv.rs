//! CSV imports on `POST /usage/import`: a good file is recorded (duplicates skipped on a
//! second import); a file with bad rows is refused whole, every bad row named by its number.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{TestApp, e2e_test};

use super::{api_key, stored, voip};

async fn import(app: &TestApp, secret: Option<&str>, file: String) -> (StatusCode, Value) {
    let mut request = app
        .client
        .post(format!("{}/usage/import", app.address))
        .header("content-type", "text/csv")
        .body(file);
    if let Some(secret) = secret {
        request = request.bearer_auth(secret);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

e2e_test!(csv_imports_record_good_files_and_name_bad_rows, |app| {
    let fx = voip(
        &app,
        "VoIP Co",
        json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
    )
    .await;
    let staff = app.as_staff().await;
    let (_, secret) = api_key(&staff, &["USAGE_WRITE"]).await;
    let item = &fx.minutes;
    let good = format!(
        "subscription_item_id,quantity,from,to,idempotency_key,number\n\
         {item},22,2026-04-15 00:00:00,2026-04-15 23:59:59,day-15,+33123456789\n\
         {item},1.5,2026-04-16T00:00:00Z,2026-04-16T23:59:59Z,day-16,\n"
    );
    let (status, body) = import(&app, Some(&secret), good.clone()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body,
        json!({ "received": 2, "inserted": 2, "duplicates": 0 })
    );
    let (status, body) = import(&app, Some(&secret), good).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["duplicates"], 2);

    // Rows 3 and 5 are bad (the header is row 1): the file is refused whole.
    let bad = format!(
        "subscription_item_id,quantity,from,to,idempotency_key\n\
         {item},1,2026-04-17 00:00:00,2026-04-17 23:59:59,day-17\n\
         {item},lots,2026-04-18 00:00:00,2026-04-18 23:59:59,day-18\n\
         {item},1,2026-04-19 00:00:00,2026-04-19 23:59:59,day-19\n\
         {item},1,2026-04-20 00:00:00,yesterday,day-20\n"
    );
    let (status, body) = import(&app, Some(&secret), bad).await;
    assert_eq!(status, 400, "{body}");
    let rows: Vec<(u64, &str)> = body["errors"][0]["extensions"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["row"].as_u64().unwrap_or(0),
                r["column"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(rows, vec![(3, "quantity"), (5, "to")], "{body}");
    assert_eq!(stored(&app, &fx.customer).await, 2);

    // An unknown column, and no credentials.
    let (status, body) = import(&app, Some(&secret), "quantity,colour\n1,red\n".into()).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "file");
    let (status, _) = import(&app, None, "quantity\n1\n".into()).await;
    assert_eq!(status, 401);
});
