//! Usage end to end: ChargeOver's example through `/api/v3/usage` with an API key to a $28.05
//! invoice; pricing models at tier boundaries; usage arriving after its period was invoiced;
//! dedupe at 10,000 records; batches refused whole; API key scopes and revocation; CSV
//! imports with row errors; detailed consumption, its filters, totals and exports.

mod chargeover;
mod consumption;
mod csv;
mod days;
mod ingest;
mod invoicing;
mod keys;

use chrono::NaiveDate;
use entity::{invoice, invoice_line, usage_record};
use ids::{InvoiceId, SubscriptionId};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use tests::{Session, TestApp, instant};

/// When the fixtures are created: a day into April 2026.
pub const APRIL_2: &str = "2026-04-02T08:00:00Z";

/// A customer billed in USD (UTC, untaxed) with a $10 flat service and a metered per-minute
/// item on one monthly subscription anchored on 1 April 2026.
pub struct Voip {
    /// `cus_…`.
    pub customer: String,
    /// `sub_…`.
    pub subscription: String,
    /// The flat item (`si_…`).
    pub flat_item: String,
    /// The metered item (`si_…`).
    pub minutes: String,
}

const CREATE_CUSTOMER: &str = "mutation C($input: CreateCustomerInput!) {
    createCustomer(input: $input) { customer { id } } }";

/// Creates a USD customer and its subscription: `$10` flat and minutes priced by `model` (the
/// `createPrice` input's model fields, e.g. `{"model": "PER_UNIT", "unitAmount": "0.05"}`).
pub async fn voip(app: &TestApp, name: &str, minutes_model: Value) -> Voip {
    voip_in(app, name, minutes_model, "UTC").await
}

/// [`voip`] for a customer in `time_zone` (IANA).
pub async fn voip_in(app: &TestApp, name: &str, minutes_model: Value, time_zone: &str) -> Voip {
    app.app.services.clock.set(instant(APRIL_2));
    let staff = app.as_staff().await;
    let body = staff
        .graphql(
            CREATE_CUSTOMER,
            json!({ "input": { "name": name, "email": format!("billing-{}@voip.example", uuid::Uuid::new_v4().simple()), "currency": "USD",
                "timeZone": time_zone } }),
        )
        .await;
    let customer = body["data"]["createCustomer"]["customer"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("customer: {body}"))
        .to_owned();
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let service = staff
        .create_product(
            json!({ "name": "VoIP service", "code": format!("voip-{suffix}"),
            "kind": "SERVICE" }),
        )
        .await;
    let flat = staff
        .create_price(
            json!({ "productId": service, "currency": "USD", "interval": "MONTH",
            "model": "FLAT", "unitAmount": "10" }),
        )
        .await;
    let metered = staff
        .create_product(json!({ "name": "Minutes", "code": format!("min-{suffix}"),
            "kind": "METERED" }))
        .await;
    let mut price = json!({ "productId": metered, "currency": "USD", "interval": "MONTH" });
    if let (Value::Object(p), Value::Object(m)) = (&mut price, minutes_model) {
        p.extend(m);
    }
    let per_minute = staff.create_price(price).await;
    let subscription = staff
        .create_subscription(json!({
            "customerId": customer, "anchorDate": "2026-04-01", "interval": "MONTH",
            "items": [{ "priceId": flat, "quantity": 1 }, { "priceId": per_minute, "quantity": 1 }]
        }))
        .await;
    Voip {
        customer,
        subscription: subscription.id,
        flat_item: subscription.items[0].clone(),
        minutes: subscription.items[1].clone(),
    }
}

const CREATE_KEY: &str = "mutation K($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { apiKey { id prefix scopes } secret } }";

/// Creates an API key with `scopes` (`USAGE_WRITE`, `READ`) as staff: (id, secret).
pub async fn api_key(staff: &Session<'_>, scopes: &[&str]) -> (String, String) {
    let body = staff
        .graphql(
            CREATE_KEY,
            json!({ "input": { "name": "Telephony platform", "scopes": scopes } }),
        )
        .await;
    let created = &body["data"]["createApiKey"];
    let secret = created["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("API key: {body}"))
        .to_owned();
    assert!(secret.starts_with("bf_"), "{secret}");
    assert!(secret.starts_with(created["apiKey"]["prefix"].as_str().unwrap_or("?")));
    (
        created["apiKey"]["id"].as_str().unwrap_or("").to_owned(),
        secret,
    )
}

/// POSTs `body` to `/api/v3/usage` with `secret` as the bearer; (status, body).
pub async fn post_usage(
    app: &TestApp,
    secret: Option<&str>,
    body: &Value,
    idempotency_key: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = app
        .client
        .post(format!("{}/api/v3/usage", app.address))
        .json(body);
    if let Some(secret) = secret {
        request = request.bearer_auth(secret);
    }
    if let Some(key) = idempotency_key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

/// ChargeOver's usage object.
pub fn minutes(item: &str, value: Value, day: &str) -> Value {
    json!({ "line_item_id": item, "usage_value": value,
        "from": format!("{day} 00:00:00"), "to": format!("{day} 23:59:59") })
}

const RECORD: &str = "mutation R($input: RecordUsageInput!) {
    recordUsage(input: $input) { received inserted duplicates } }";

/// Sends `recordUsage` with `records` as `token`'s bearer; the raw body.
pub async fn record_usage(app: &TestApp, token: &str, records: Value) -> Value {
    app.graphql(
        RECORD,
        json!({ "input": { "records": records } }),
        Some(token),
    )
    .await
    .1
}

/// A `UsageRecordInput`.
pub fn record(item: &str, quantity: &str, at: &str, key: &str) -> Value {
    json!({ "subscriptionItemId": item, "quantity": quantity, "from": at, "to": at,
        "idempotencyKey": key })
}

/// Usage rows stored for `customer`.
pub async fn stored(app: &TestApp, customer: &str) -> u64 {
    let customer: ids::CustomerId = customer.parse().expect("customer id");
    usage_record::Entity::find()
        .filter(usage_record::Column::CustomerId.eq(customer))
        .count(app.app.db.reads())
        .await
        .expect("count")
}

/// Runs billing as of `day`.
pub async fn bill(app: &TestApp, day: &str) {
    let as_of: NaiveDate = day.parse().expect("date");
    let report = app
        .app
        .services
        .billing_runs
        .run(as_of)
        .await
        .expect("billing run");
    assert!(report.failed.is_empty(), "{report:?}");
}

/// The finalised invoices of a subscription, oldest period first, with their lines.
pub async fn invoices_of(
    app: &TestApp,
    subscription: &str,
) -> Vec<(invoice::Model, Vec<invoice_line::Model>)> {
    let subscription: SubscriptionId = subscription.parse().expect("subscription id");
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::SubscriptionId.eq(subscription))
        .order_by_asc(invoice::Column::PeriodStart)
        .all(app.app.db.reads())
        .await
        .expect("invoices");
    let mut out = Vec::new();
    for inv in invoices {
        out.push((inv.clone(), lines_of(app, inv.id).await));
    }
    out
}

async fn lines_of(app: &TestApp, invoice: InvoiceId) -> Vec<invoice_line::Model> {
    invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(invoice))
        .order_by_asc(invoice_line::Column::Position)
        .all(app.app.db.reads())
        .await
        .expect("lines")
}

const UPCOMING: &str = "query U($id: ID!) { customer(id: $id) { upcomingCharges {
    subscriptionId lines { kind description quantity amount { amount } servicePeriodStart
    servicePeriodEnd } subtotal { amount } total { amount } } } }";

/// The upcoming invoice of `voip`'s subscription as staff read it.
pub async fn upcoming(staff: &Session<'_>, voip: &Voip) -> Value {
    let data: Value = staff
        .data("upcomingCharges", UPCOMING, json!({ "id": voip.customer }))
        .await;
    data["customer"]["upcomingCharges"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|u| u["subscriptionId"] == voip.subscription.as_str())
        })
        .cloned()
        .unwrap_or_else(|| panic!("no upcoming invoice: {data}"))
}

/// Every row of the running daily totals, in key order (item, day, team|member|number).
pub async fn daily_totals(app: &TestApp) -> Vec<entity::usage_day::Model> {
    entity::usage_day::Entity::find()
        .order_by_asc(entity::usage_day::Column::SubscriptionItemId)
        .order_by_asc(entity::usage_day::Column::Day)
        .order_by_asc(entity::usage_day::Column::Dims)
        .all(app.app.db.reads())
        .await
        .expect("usage_days")
}

/// Asserts that the running daily totals, as ingestion and billing kept them, are exactly what
/// the records sum to now (recomputed from scratch with `days::rebuild`, which they are then
/// left as).
pub async fn assert_daily_totals_match_the_records(app: &TestApp) {
    let kept = daily_totals(app).await;
    assert!(!kept.is_empty(), "no daily totals kept");
    let txn = app.app.db.begin_plain_write().await.expect("write");
    api::services::usage::days::rebuild(&txn)
        .await
        .expect("rebuild");
    txn.commit().await.expect("commit");
    assert_eq!(kept, daily_totals(app).await);
}
