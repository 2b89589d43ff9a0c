//! Calls in detailed consumption: the calls of the organisation's numbers, rated at ingestion,
//! summed for a selection (count, unrated, billed seconds, amount, per Paris day) against an
//! independent sum of the stored calls; the type, number and date filters; filters calls do
//! not carry (team) select no calls; keyset pages of calls without gaps or duplicates; the
//! CSV of a number's selection lists exactly its calls after the records, as the table, and
//! the HTML export has the calls' total; another organisation's number selects nothing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entity::call_record;
use serde_json::{Value, json};
use tests::{Session, TestApp, e2e_test};

use crate::numbers::{add_number, call_at, record_calls, stored_calls, telecom};

/// Acme's two numbers.
const FIRST: &str = "+33141000001";
const SECOND: &str = "+33141000002";

/// A selection's calls: totals, per-day series, export links and a page of calls.
const CALLS: &str = "query C($filter: ConsumptionFilter, $first: Int, $after: String) {
  viewer { organisation { consumption(filter: $filter) {
    recordCount type
    callTotals { calls unrated billedSeconds billedMinutes amount { amount }
      days { date calls billedMinutes amount { amount } } }
    exports { csv html }
    calls(first: $first, after: $after) {
      nodes { id localStart number direction destination durationSeconds billedSeconds
        amount { amount } invoiced }
      pageInfo { hasNextPage endCursor } } } } } }";

/// Acme with two numbers and `count` calls across December 2026 (Paris), some to a
/// destination the tariff has no rate for, one just after a Paris midnight that is still the
/// day before in UTC. Returns Acme's id.
async fn calling_acme(app: &TestApp, count: usize) -> String {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let fx = telecom(app, &acme, 2).await;
    add_number(&staff, &fx, FIRST).await;
    add_number(&staff, &fx, SECOND).await;
    let calls: Vec<Value> = (0..count)
        .map(|i| {
            let number = if i % 3 == 0 { SECOND } else { FIRST };
            let destination = match i % 7 {
                0 => "+15550100",
                1 | 4 => "+33612345678",
                _ => "+33145678900",
            };
            let started = if i == 0 {
                "2026-12-05T23:30:00Z".to_owned()
            } else {
                format!(
                    "2026-12-{:02}T{:02}:{:02}:00Z",
                    1 + i % 24,
                    (i * 5) % 23,
                    i % 60
                )
            };
            let seconds = u32::try_from((i * 37) % 700).unwrap_or(0);
            call_at(number, destination, seconds, &format!("k-{i}"), &started)
        })
        .collect();
    for batch in calls.chunks(1_000) {
        let body = record_calls(&staff, json!(batch)).await;
        assert_eq!(
            body["data"]["recordCalls"]["inserted"],
            batch.len(),
            "{body}"
        );
    }
    acme
}

/// The independent sum of `calls` (rated at ingestion, read from the table): (calls, unrated,
/// billed seconds, cents, rated calls per Paris day).
fn expected(calls: &[&call_record::Model]) -> (u64, u64, i64, i64, BTreeMap<NaiveDate, u64>) {
    let paris: chrono_tz::Tz = "Europe/Paris".parse().expect("zone");
    let mut days = BTreeMap::new();
    let (mut unrated, mut seconds, mut cents) = (0, 0, 0);
    for call in calls {
        match (call.billed_seconds, call.amount_minor) {
            (Some(s), Some(a)) => {
                seconds += s;
                cents += a;
                *days
                    .entry(call.started_at.with_timezone(&paris).date_naive())
                    .or_insert(0) += 1;
            }
            _ => unrated += 1,
        }
    }
    (calls.len() as u64, unrated, seconds, cents, days)
}

/// The consumption of `filter` with its first `first` calls.
async fn calls_of(session: &Session<'_>, filter: Value, first: i64) -> Value {
    let data: Value = session
        .data(
            "consumption",
            CALLS,
            json!({ "filter": filter, "first": first }),
        )
        .await;
    data["viewer"]["organisation"]["consumption"].clone()
}

/// Asserts a selection's call totals equal the independent sum of `calls`.
fn assert_totals(selection: &Value, calls: &[&call_record::Model], what: &str) {
    let (count, unrated, seconds, cents, days) = expected(calls);
    let totals = &selection["callTotals"];
    assert_eq!(totals["calls"], count, "{what}: {totals}");
    assert_eq!(totals["unrated"], unrated, "{what}");
    assert_eq!(totals["billedSeconds"], seconds, "{what}");
    assert_eq!(
        totals["amount"]["amount"],
        crate::usage::consumption::euros(cents).as_str(),
        "{what}"
    );
    let series: BTreeMap<NaiveDate, u64> = totals["days"]
        .as_array()
        .expect("days")
        .iter()
        .filter(|d| d["calls"] != 0)
        .map(|d| {
            (
                d["date"].as_str().expect("date").parse().expect("day"),
                d["calls"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(series, days, "{what}: rated calls per Paris day");
}

e2e_test!(
    calls_totals_filters_and_pages_match_an_independent_sum,
    |app| {
        let acme = calling_acme(&app, 300).await;
        let stored = stored_calls(&app, &acme).await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let december = json!({ "from": "2026-12-01", "to": "2026-12-31" });

        let all = calls_of(&billing, december.clone(), 1).await;
        let every: Vec<&call_record::Model> = stored.iter().collect();
        assert_totals(&all, &every, "December");
        assert!(all["callTotals"]["unrated"].as_u64().unwrap_or(0) > 0);
        // The call at 23:30 UTC on 5 December is Paris's 6 December.
        assert!(
            all["callTotals"]["days"]
                .as_array()
                .expect("days")
                .iter()
                .any(|d| d["date"] == "2026-12-06" && d["calls"] != 0)
        );

        // One number, and a range of days (Paris).
        let second: Vec<&call_record::Model> = stored
            .iter()
            .filter(|c| {
                c.idempotency_key
                    .trim_start_matches("k-")
                    .parse::<usize>()
                    .unwrap_or(1)
                    % 3
                    == 0
            })
            .collect();
        let by_number = calls_of(
            &billing,
            json!({ "from": "2026-12-01", "to": "2026-12-31", "number": SECOND }),
            1,
        )
        .await;
        assert_totals(&by_number, &second, "the second number");
        let paris: chrono_tz::Tz = "Europe/Paris".parse().expect("zone");
        let week: Vec<&call_record::Model> = stored
            .iter()
            .filter(|c| {
                let day = c.started_at.with_timezone(&paris).date_naive().to_string();
                ("2026-12-03".."2026-12-11").contains(&day.as_str())
            })
            .collect();
        let range = calls_of(
            &billing,
            json!({ "from": "2026-12-03", "to": "2026-12-10" }),
            1,
        )
        .await;
        assert_totals(&range, &week, "3 to 10 December");

        // The type filter; a filter calls do not carry selects none.
        let usage = calls_of(
            &billing,
            json!({ "from": "2026-12-01", "to": "2026-12-31", "type": "USAGE" }),
            5,
        )
        .await;
        assert_eq!(usage["type"], "USAGE");
        assert_eq!(usage["callTotals"], Value::Null);
        assert_eq!(usage["calls"]["nodes"], json!([]));
        let only_calls = calls_of(
            &billing,
            json!({ "from": "2026-12-01", "to": "2026-12-31", "type": "CALLS" }),
            1,
        )
        .await;
        assert_eq!(only_calls["recordCount"], 0);
        assert_totals(&only_calls, &every, "only calls");
        let team: Value = billing
            .data(
                "teams",
                "{ viewer { organisation { teams(first: 1) { nodes { id } } } } }",
                json!({}),
            )
            .await;
        let team = team["viewer"]["organisation"]["teams"]["nodes"][0]["id"].clone();
        let by_team = calls_of(
            &billing,
            json!({ "from": "2026-12-01", "to": "2026-12-31", "teamId": team }),
            5,
        )
        .await;
        assert_eq!(by_team["callTotals"], Value::Null);
        assert_eq!(by_team["calls"]["nodes"], json!([]));

        // Pages of 40 follow the cursor: every call once, oldest first.
        let mut ids = Vec::new();
        let mut starts = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let data: Value = billing
                .data(
                    "consumption",
                    CALLS,
                    json!({ "filter": december, "first": 40, "after": after }),
                )
                .await;
            let calls = &data["viewer"]["organisation"]["consumption"]["calls"];
            for n in calls["nodes"].as_array().expect("nodes") {
                ids.push(n["id"].as_str().expect("id").to_owned());
                starts.push(n["localStart"].as_str().expect("start").to_owned());
            }
            if calls["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = calls["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        let mut expected_ids: Vec<&call_record::Model> = stored.iter().collect();
        expected_ids.sort_by_key(|c| (c.started_at, c.id));
        let expected_ids: Vec<String> = expected_ids.iter().map(|c| c.id.to_string()).collect();
        assert_eq!(ids, expected_ids, "every call once, by start then id");
        assert!(starts.windows(2).all(|w| w[0] <= w[1]));

        // Another organisation naming Acme's number sees none of its calls.
        let globex = app.as_billing_admin("Globex").await;
        let theirs = calls_of(
            &globex,
            json!({ "from": "2026-12-01", "to": "2026-12-31", "number": FIRST }),
            5,
        )
        .await;
        assert_eq!(theirs["callTotals"], Value::Null);
        assert_eq!(theirs["calls"]["nodes"], json!([]));
        let (status, body) = crate::usage::consumption::exports::download(
            &app,
            globex.token(),
            &format!(
                "/exports/consumption.csv?from=2026-12-01&to=2026-12-31&number=%2B{}",
                &FIRST[1..]
            ),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(String::from_utf8(body).expect("utf-8").lines().count(), 1);
    }
);

e2e_test!(
    the_csv_of_a_numbers_selection_lists_its_calls_as_the_table,
    |app| {
        let acme = calling_acme(&app, 120).await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let filter = json!({ "from": "2026-12-01", "to": "2026-12-31", "number": FIRST });
        let selection = calls_of(&billing, filter.clone(), 100).await;
        let csv_path = selection["exports"]["csv"]
            .as_str()
            .expect("csv")
            .to_owned();
        let before = billing.audit_count("usage.export").await;
        let (status, body) =
            crate::usage::consumption::exports::download(&app, billing.token(), &csv_path).await;
        assert_eq!(status, 200);
        assert_eq!(
            billing.audit_count("usage.export").await,
            before + 1,
            "the export is audited"
        );
        let mut reader = csv::Reader::from_reader(body.as_slice());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        let column = |name: &str| header.iter().position(|h| h == name).expect("column");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert!(rows.iter().all(|r| &r[column("type")] == "call"));
        let csv_ids: Vec<&str> = rows.iter().map(|r| &r[column("id")]).collect();
        let nodes = selection["calls"]["nodes"].as_array().expect("nodes");
        assert_eq!(selection["calls"]["pageInfo"]["hasNextPage"], false);
        let table_ids: Vec<&str> = nodes
            .iter()
            .map(|n| n["id"].as_str().expect("id"))
            .collect();
        assert_eq!(csv_ids, table_ids, "the same calls in the same order");
        assert_eq!(
            rows.len() as u64,
            selection["callTotals"]["calls"].as_u64().unwrap_or(0)
        );
        // The number and the destination start with `+`: escaped for spreadsheets.
        assert!(
            rows.iter()
                .all(|r| r[column("number")] == format!("'{FIRST}"))
        );
        assert!(
            rows.iter()
                .all(|r| r[column("destination")].starts_with("'+"))
        );
        // The amounts and billed seconds add up to the totals; unrated calls have neither.
        let cents: i64 = rows
            .iter()
            .filter(|r| !r[column("amount")].is_empty())
            .map(|r| {
                let (euros, cents) = r[column("amount")].split_once('.').expect("decimal");
                euros.parse::<i64>().expect("euros") * 100 + cents.parse::<i64>().expect("cents")
            })
            .sum();
        assert_eq!(
            crate::usage::consumption::euros(cents),
            selection["callTotals"]["amount"]["amount"]
                .as_str()
                .expect("amount")
        );
        let seconds: i64 = rows
            .iter()
            .filter_map(|r| r[column("billed_seconds")].parse::<i64>().ok())
            .sum();
        assert_eq!(selection["callTotals"]["billedSeconds"], seconds);
        for (row, node) in rows.iter().zip(nodes) {
            assert_eq!(
                row[column("duration_seconds")],
                node["durationSeconds"].to_string()
            );
        }
        let stored = stored_calls(&app, &acme).await;
        assert_eq!(
            rows.iter()
                .filter(|r| r[column("amount")].is_empty())
                .count(),
            stored
                .iter()
                .filter(|c| c.amount_minor.is_none()
                    && c.idempotency_key
                        .trim_start_matches("k-")
                        .parse::<usize>()
                        .unwrap_or(0)
                        % 3
                        != 0)
                .count(),
            "the first number's unrated calls"
        );

        // The printable page has the calls' total; usage only has no calls at all.
        let html_path = selection["exports"]["html"].as_str().expect("html");
        let (status, html) =
            crate::usage::consumption::exports::download(&app, billing.token(), html_path).await;
        assert_eq!(status, 200);
        let html = String::from_utf8(html).expect("utf-8");
        let amount = selection["callTotals"]["amount"]["amount"]
            .as_str()
            .expect("amount");
        assert!(html.contains(&format!("€{amount}")), "{html}");
        assert!(
            html.contains("Calls ("),
            "the unrated calls are named: {html}"
        );
        let (status, usage) = crate::usage::consumption::exports::download(
            &app,
            billing.token(),
            &format!("{csv_path}&type=usage"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(String::from_utf8(usage).expect("utf-8").lines().count(), 1);
    }
);

e2e_test!(
    a_row_the_export_cannot_read_fails_the_download_instead_of_ending_it,
    |app| {
        // A stored call whose direction no longer reads (a bad migration, a hand edit): the
        // CSV must not end cleanly without it, or a spreadsheet would sum a truncated file.
        let acme = calling_acme(&app, 5).await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let filter = json!({ "from": "2026-12-01", "to": "2026-12-31", "number": FIRST });
        let selection = calls_of(&billing, filter, 100).await;
        let csv_path = selection["exports"]["csv"]
            .as_str()
            .expect("csv")
            .to_owned();
        let acme_id: ids::CustomerId = acme.parse().expect("a customer id");
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let touched = call_record::Entity::update_many()
            .col_expr(call_record::Column::Direction, Expr::value("sideways"))
            .filter(call_record::Column::CustomerId.eq(acme_id))
            .exec(app.app.db.writes())
            .await
            .expect("corrupted");
        assert!(touched.rows_affected > 0);
        let response = app
            .client
            .get(format!("{}{csv_path}", app.address))
            .bearer_auth(billing.token())
            .send()
            .await
            .expect("export sent");
        let failed = match response.status() {
            reqwest::StatusCode::OK => response.bytes().await.is_err(),
            _ => true,
        };
        assert!(failed, "the download must fail, not end early");
    }
);
