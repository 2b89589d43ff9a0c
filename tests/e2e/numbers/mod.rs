//! Numbers end to end: tariffs validated with field paths and versioned; numbers sold on a
//! recurring item with a unit each; calls rated at ingestion (increment, minimum, connection
//! fee, longest prefix), duplicates skipped, unrated calls stored and re-rated after a new
//! tariff version, rated calls untouched by it; a customer reads only its own numbers; a
//! released number's rental stops and its later calls are refused.

mod calls;
mod csv;
mod invoicing;
mod release;
mod tariffs;

use entity::call_record;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use tests::{Session, TestApp};

/// The tariff the tests rate with: 30/6 increment, €0.10 minimum, €0.05 connection fee,
/// France 33 at €0.02/min and French mobiles 336 at €0.10/min.
pub fn tariff_input(name: &str, currency: &str) -> Value {
    json!({
        "name": name, "currency": currency,
        "rates": [
            { "prefix": "33", "ratePerMinute": "0.02" },
            { "prefix": "336", "ratePerMinute": "0.10" }
        ],
        "incrementFirstSeconds": 30, "incrementNextSeconds": 6,
        "minimumCharge": "0.10", "connectionFee": "0.05"
    })
}

const CREATE_TARIFF: &str = "mutation T($input: CreateTariffInput!) { createTariff(input: $input) {
    tariff { id currentVersion { id version } } tariffVersion { id version } } }";

/// Creates a tariff as staff: (tariff id, version id).
pub async fn create_tariff(staff: &Session<'_>, input: Value) -> (String, String) {
    let data: Value = staff
        .data("createTariff", CREATE_TARIFF, json!({ "input": input }))
        .await;
    let t = &data["createTariff"];
    (
        t["tariff"]["id"].as_str().expect("tariff id").to_owned(),
        t["tariffVersion"]["id"]
            .as_str()
            .expect("version id")
            .to_owned(),
    )
}

/// A customer's numbers subscription: a recurring "Phone number" service at €5.00 a unit,
/// `units` units, and a tariff.
pub struct Telecom {
    /// The subscription (`sub_…`), anchored on 1 December 2026, monthly.
    pub subscription: String,
    /// The numbers item (`si_…`).
    pub item: String,
    /// `trf_…`.
    pub tariff: String,
    /// The tariff's version 1 (`trv_…`).
    pub version: String,
}

/// Sets up [`Telecom`] for `customer` (billed in EUR) as staff.
pub async fn telecom(app: &TestApp, customer: &str, units: u32) -> Telecom {
    let staff = app.as_staff().await;
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let product = staff
        .create_product(
            // The catalog's kind for a number's rental (the demo's seed adds its numbers on a
            // SERVICE line through the same service, so both kinds are exercised).
            json!({ "name": "Phone number", "code": format!("num-{suffix}"),
            "kind": "NUMBER" }),
        )
        .await;
    let price = staff
        .create_price(
            json!({ "productId": product, "currency": "EUR", "interval": "MONTH",
            "model": "PER_UNIT", "unitAmount": "5" }),
        )
        .await;
    let subscription = staff
        .create_subscription(json!({
            "customerId": customer, "anchorDate": "2026-12-01", "interval": "MONTH",
            "items": [{ "priceId": price, "quantity": units }]
        }))
        .await;
    let (tariff, version) =
        create_tariff(&staff, tariff_input(&format!("France {suffix}"), "EUR")).await;
    Telecom {
        subscription: subscription.id.clone(),
        item: subscription.items[0].clone(),
        tariff,
        version,
    }
}

const ADD_NUMBER: &str =
    "mutation N($input: AddPhoneNumberInput!) { addPhoneNumber(input: $input) {
    phoneNumber { id number numberType soldOn subscriptionItemId tariffName } } }";

/// Sends `addPhoneNumber` as staff; the raw body.
pub async fn try_add_number(staff: &Session<'_>, fx: &Telecom, number: &str) -> Value {
    staff
        .graphql(
            ADD_NUMBER,
            json!({ "input": { "number": number, "numberType": "GEOGRAPHIC",
                "subscriptionItemId": fx.item, "tariffId": fx.tariff, "soldOn": "2026-11-15" } }),
        )
        .await
}

/// Adds a number, which must succeed: its id (`num_…`).
pub async fn add_number(staff: &Session<'_>, fx: &Telecom, number: &str) -> String {
    let body = try_add_number(staff, fx, number).await;
    body["data"]["addPhoneNumber"]["phoneNumber"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("addPhoneNumber: {body}"))
        .to_owned()
}

/// A call from `number` on 2 December 2026.
pub fn call(number: &str, destination: &str, seconds: u32, key: &str) -> Value {
    call_at(number, destination, seconds, key, "2026-12-02T09:00:00Z")
}

/// A call from `number` started at `started_at`.
pub fn call_at(
    number: &str,
    destination: &str,
    seconds: u32,
    key: &str,
    started_at: &str,
) -> Value {
    json!({ "number": number, "startedAt": started_at, "durationSeconds": seconds,
        "direction": "OUTBOUND", "destination": destination, "idempotencyKey": key })
}

/// Sends `recordCalls` as staff; the raw body.
pub async fn record_calls(staff: &Session<'_>, calls: Value) -> Value {
    staff
        .graphql(
            "mutation R($input: RecordCallsInput!) { recordCalls(input: $input) {
                received inserted duplicates unrated } }",
            json!({ "input": { "calls": calls } }),
        )
        .await
}

/// The stored calls of `customer`, by idempotency key.
pub async fn stored_calls(app: &TestApp, customer: &str) -> Vec<call_record::Model> {
    let id: ids::CustomerId = customer.parse().expect("customer id");
    call_record::Entity::find()
        .filter(call_record::Column::CustomerId.eq(id))
        .order_by_asc(call_record::Column::IdempotencyKey)
        .all(app.app.db.reads())
        .await
        .expect("calls")
}
