//! Detailed consumption end to end: a selection's totals, series and records against an
//! independent computation from the records the test sent (`totals`), keyset pages without gaps
//! or duplicates (`totals`), the calls of the organisation's numbers in it (`calls`), the CSV,
//! HTML and PDF exports of exactly a selection (`exports`),
//! another organisation's ids refused (`exports`), and the portal page on the demo data in a
//! browser (`browser`).

mod browser;
mod calls;
mod exports;
mod totals;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use tests::{Session, TestApp, instant};

use super::{APRIL_2, record_usage};

/// One record the fixture sent, as the test computes with it.
#[derive(Clone, Debug)]
pub struct Sent {
    /// Its idempotency key.
    pub key: String,
    /// Its local (Paris) day.
    pub day: NaiveDate,
    /// `from`.
    pub from: DateTime<Utc>,
    /// The team id, if any.
    pub team: Option<String>,
    /// The member id, if any.
    pub member: Option<String>,
    /// The number.
    pub number: String,
    /// The quantity in quarters (the quantity × 4): exact integer sums.
    pub quarters: i64,
}

/// Acme's metered fixture: a per-minute item at €0.05 on a subscription anchored on 1 April
/// 2026, with records from its members across April.
pub struct Metered {
    /// The metered item (`si_…`).
    pub item: String,
    /// Every record sent.
    pub sent: Vec<Sent>,
    /// Acme's teams: (id, name); the last is "@risk", a name a spreadsheet would run.
    pub teams: Vec<(String, String)>,
}

/// `quarters` as the API writes a quantity: `"1"`, `"0.25"`, `"2.5"`.
pub fn quantity_text(quarters: i64) -> String {
    let whole = quarters / 4;
    match quarters % 4 {
        0 => whole.to_string(),
        1 => format!("{whole}.25"),
        2 => format!("{whole}.5"),
        _ => format!("{whole}.75"),
    }
}

/// The amount in cents of `quarters` minutes at €0.05, rounded half away from zero:
/// quarters × 1.25 cents.
pub fn cents(quarters: i64) -> i64 {
    (quarters * 125 + 50) / 100
}

/// `cents` as the API writes an amount: `"12.35"`.
pub fn euros(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Creates the fixture: `count` records spread over 2–19 April (Paris), one just after a
/// local midnight that is still the day before in UTC, one counted against "@risk".
pub async fn metered_acme(app: &TestApp, count: usize) -> Metered {
    app.app.services.clock.set(instant(APRIL_2));
    let staff = app.as_staff().await;
    let owner = app.as_owner("Acme Telecom").await;
    let acme = owner.organisation_id().to_owned();
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let product = staff
        .create_product(
            json!({ "name": "Outbound minutes", "code": format!("min-{suffix}"),
            "kind": "METERED" }),
        )
        .await;
    let price = staff
        .create_price(
            json!({ "productId": product, "currency": "EUR", "interval": "MONTH",
            "model": "PER_UNIT", "unitAmount": "0.05" }),
        )
        .await;
    let subscription = staff
        .create_subscription(json!({ "customerId": acme, "anchorDate": "2026-04-01",
            "interval": "MONTH", "items": [{ "priceId": price, "quantity": 1 }] }))
        .await;
    let item = subscription.items[0].clone();
    let risky: Value = owner
        .data(
            "createTeam",
            "mutation T($input: CreateTeamInput!) { createTeam(input: $input) { team { id } } }",
            json!({ "input": { "customerId": acme, "name": "@risk" } }),
        )
        .await;
    let risky = risky["createTeam"]["team"]["id"]
        .as_str()
        .expect("team id")
        .to_owned();
    let people = people(&owner).await;
    let mut teams: Vec<(String, String)> = Vec::new();
    for (_, team) in &people {
        if let Some(team) = team
            && !teams.contains(team)
        {
            teams.push(team.clone());
        }
    }
    teams.push((risky.clone(), "@risk".into()));
    let paris: chrono_tz::Tz = "Europe/Paris".parse().expect("zone");
    let mut sent = Vec::new();
    for i in 0..count {
        let (member, team) = &people[i % people.len()];
        let from = if i == 0 {
            instant("2026-04-05T22:30:00Z")
        } else {
            instant(&format!(
                "2026-04-{:02}T{:02}:{:02}:00Z",
                2 + i % 18,
                6 + i % 12,
                i % 60
            ))
        };
        let team = if i == 1 {
            Some(risky.clone())
        } else {
            team.as_ref().map(|(id, _)| id.clone())
        };
        sent.push(Sent {
            key: format!("c-{i}"),
            day: from.with_timezone(&paris).date_naive(),
            from,
            team,
            member: Some(member.clone()),
            number: format!("+3319000{:04}", i % 3),
            quarters: 1 + (i as i64 * 7) % 40,
        });
    }
    // Batches small enough for the GraphQL body limit (1 MiB).
    for batch in sent.chunks(2_000) {
        let records: Vec<Value> = batch
            .iter()
            .map(|s| {
                json!({ "subscriptionItemId": item, "quantity": quantity_text(s.quarters),
                    "from": s.from.to_rfc3339(), "to": s.from.to_rfc3339(),
                    "idempotencyKey": s.key, "memberId": s.member, "teamId": s.team,
                    "number": s.number })
            })
            .collect();
        let body = record_usage(app, staff.token(), json!(records)).await;
        assert_eq!(
            body["data"]["recordUsage"]["inserted"],
            batch.len(),
            "{body}"
        );
    }
    Metered { item, sent, teams }
}

/// The organisation's members: (member id, its team as (id, name)).
async fn people(session: &Session<'_>) -> Vec<(String, Option<(String, String)>)> {
    let data: Value = session
        .data(
            "members",
            "{ viewer { organisation { members(first: 100) { nodes { id team { id name } } } } } }",
            json!({}),
        )
        .await;
    data["viewer"]["organisation"]["members"]["nodes"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            let team = m["team"]["id"].as_str().map(|id| {
                (
                    id.to_owned(),
                    m["team"]["name"].as_str().unwrap_or_default().to_owned(),
                )
            });
            (m["id"].as_str().expect("id").to_owned(), team)
        })
        .collect()
}

/// A selection with its totals, series, export links and first records.
pub const CONSUMPTION: &str = "query C($filter: ConsumptionFilter, $first: Int, $after: String) {
  viewer { organisation { consumption(filter: $filter) {
    from to recordCount
    totals { itemId product records quantity amount { amount } }
    series { itemId days { date quantity } }
    exports { csv html pdf }
    records(first: $first, after: $after) {
      nodes { id from quantity member team number itemId }
      pageInfo { hasNextPage endCursor } } } } } }";

/// The consumption of `filter` as `session` reads it, with its first `first` records.
pub async fn consumption(session: &Session<'_>, filter: Value, first: i64) -> Value {
    let data: Value = session
        .data(
            "consumption",
            CONSUMPTION,
            json!({ "filter": filter, "first": first }),
        )
        .await;
    data["viewer"]["organisation"]["consumption"].clone()
}
