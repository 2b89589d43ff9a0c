//! A selection's totals and per-day series equal sums the test computes itself from what it
//! sent, for every filter; records page by `(from, id)` without gaps or duplicates; the page
//! size and the range are bounded.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde_json::{Value, json};
use tests::{assert_bad_input, e2e_test};

use super::{CONSUMPTION, Sent, cents, consumption, euros, metered_acme, quantity_text};

/// What the test expects of a selection of `sent`.
fn expected(sent: &[&Sent]) -> (usize, i64, BTreeMap<NaiveDate, i64>) {
    let mut days = BTreeMap::new();
    for s in sent {
        *days.entry(s.day).or_insert(0) += s.quarters;
    }
    (sent.len(), sent.iter().map(|s| s.quarters).sum(), days)
}

/// Checks `got` (a `consumption` answer) against the records of `sent` it should hold.
fn check(label: &str, got: &Value, sent: &[&Sent]) {
    let (count, quarters, days) = expected(sent);
    assert_eq!(got["recordCount"], count, "{label}: {got}");
    if count == 0 {
        assert_eq!(got["totals"], json!([]), "{label}");
        return;
    }
    let total = &got["totals"][0];
    assert_eq!(total["records"], count, "{label}");
    assert_eq!(total["quantity"], quantity_text(quarters), "{label}");
    assert_eq!(total["amount"]["amount"], euros(cents(quarters)), "{label}");
    let series = got["series"][0]["days"].as_array().expect("days");
    for day in series {
        let date: NaiveDate = day["date"].as_str().expect("date").parse().expect("day");
        let want = days.get(&date).copied().unwrap_or(0);
        assert_eq!(day["quantity"], quantity_text(want), "{label}: {date}");
    }
}

e2e_test!(filters_and_totals_equal_an_independent_sum, |app| {
    let fx = metered_acme(&app, 240).await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let all: Vec<&Sent> = fx.sent.iter().collect();

    // The default is the current period: April, as the metered subscription bills it.
    let default = consumption(&billing, json!(null), 1).await;
    assert_eq!(default["from"], "2026-04-01");
    assert_eq!(default["to"], "2026-04-30");
    check("default", &default, &all);
    assert_eq!(
        default["series"][0]["days"].as_array().map(Vec::len),
        Some(30)
    );

    // 22:30 UTC on 5 April is 00:30 on the 6th in Paris: counted on the 6th.
    let sixth = consumption(
        &billing,
        json!({ "from": "2026-04-06", "to": "2026-04-06" }),
        1,
    )
    .await;
    check(
        "the 6th",
        &sixth,
        &all.iter()
            .copied()
            .filter(|s| s.day.to_string() == "2026-04-06")
            .collect::<Vec<_>>(),
    );
    assert!(fx.sent[0].day.to_string() == "2026-04-06");

    let (team, _) = &fx.teams[0];
    let by_team = consumption(
        &billing,
        json!({ "from": "2026-04-01", "to": "2026-04-30", "teamId": team }),
        1,
    )
    .await;
    check(
        "team",
        &by_team,
        &all.iter()
            .copied()
            .filter(|s| s.team.as_deref() == Some(team))
            .collect::<Vec<_>>(),
    );

    let member = fx.sent[3].member.clone().expect("member");
    let by_member = consumption(
        &billing,
        json!({ "from": "2026-04-03", "to": "2026-04-12", "memberId": member }),
        1,
    )
    .await;
    check(
        "member and days",
        &by_member,
        &all.iter()
            .copied()
            .filter(|s| {
                s.member.as_deref() == Some(member.as_str())
                    && s.day.to_string().as_str() >= "2026-04-03"
                    && s.day.to_string().as_str() <= "2026-04-12"
            })
            .collect::<Vec<_>>(),
    );

    let number = fx.sent[2].number.clone();
    let by_number = consumption(
        &billing,
        json!({ "from": "2026-04-01", "to": "2026-04-30", "number": number, "itemId": fx.item }),
        1,
    )
    .await;
    check(
        "number and item",
        &by_number,
        &all.iter()
            .copied()
            .filter(|s| s.number == number)
            .collect::<Vec<_>>(),
    );

    let both = consumption(
        &billing,
        json!({ "from": "2026-04-01", "to": "2026-04-30", "teamId": team, "memberId": member }),
        1,
    )
    .await;
    check(
        "team and member",
        &both,
        &all.iter()
            .copied()
            .filter(|s| {
                s.team.as_deref() == Some(team) && s.member.as_deref() == Some(member.as_str())
            })
            .collect::<Vec<_>>(),
    );

    let may = consumption(
        &billing,
        json!({ "from": "2026-05-01", "to": "2026-05-31" }),
        1,
    )
    .await;
    check("nothing in May", &may, &[]);

    // Bounds: a reversed range, a range past a year, a page past the maximum.
    let body = billing
        .graphql(
            CONSUMPTION,
            json!({ "filter": { "from": "2026-04-10", "to": "2026-04-09" }, "first": 1 }),
        )
        .await;
    assert_bad_input(&body, "to");
    let body = billing
        .graphql(
            CONSUMPTION,
            json!({ "filter": { "from": "2026-01-01", "to": "2027-01-02" }, "first": 1 }),
        )
        .await;
    assert_bad_input(&body, "to");
    let body = billing
        .graphql(
            CONSUMPTION,
            json!({ "filter": { "from": "2026-01-01", "to": "2027-01-01" }, "first": 1 }),
        )
        .await;
    assert!(body["errors"].is_null(), "366 days is the limit");
    let body = billing.graphql(CONSUMPTION, json!({ "first": 101 })).await;
    assert_bad_input(&body, "first");
});

e2e_test!(pages_of_records_have_no_gaps_or_duplicates, |app| {
    let fx = metered_acme(&app, 97).await;
    let viewer = app.as_viewer("Acme Telecom").await;
    let (team, _) = &fx.teams[1];
    let filter = json!({ "from": "2026-04-01", "to": "2026-04-30", "teamId": team });
    let want: BTreeSet<String> = fx
        .sent
        .iter()
        .filter(|s| s.team.as_deref() == Some(team))
        .map(|s| s.key.clone())
        .collect();
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data: Value = viewer
            .data(
                "consumption",
                CONSUMPTION,
                json!({ "filter": filter, "first": 7, "after": after }),
            )
            .await;
        let records = &data["viewer"]["organisation"]["consumption"]["records"];
        for node in records["nodes"].as_array().expect("nodes") {
            assert!(node["team"].as_str().is_some(), "{node}");
            seen.push((
                node["from"].as_str().expect("from").to_owned(),
                node["id"].as_str().expect("id").to_owned(),
            ));
        }
        if records["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = records["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let ids: BTreeSet<&String> = seen.iter().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), seen.len(), "no record twice");
    assert_eq!(seen.len(), want.len(), "every record of the team once");
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| {
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).expect("instant");
        at(&a.0).cmp(&at(&b.0)).then(a.1.cmp(&b.1))
    });
    assert_eq!(seen, sorted, "oldest first, by (from, id)");
});
