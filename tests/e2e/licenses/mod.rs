//! Licenses end to end: staff set up a product, price and subscription; customer users preview
//! and apply binding quotes, assign seats and read the upcoming charges.

mod browser;
mod changes;
mod concurrency;
mod isolation;
mod portal;
mod state;

use api::seed::DEMO_ADMIN_EMAIL;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tests::{TestApp, error_code};

/// 10:00 in Paris on 2 April 2026: 29 of April's 30 days remain.
pub const APRIL_2: &str = "2026-04-02T08:00:00Z";
/// 10:00 in Paris on 9 April 2026: 22 of 30 days remain.
pub const APRIL_9: &str = "2026-04-09T08:00:00Z";

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("instant")
        .with_timezone(&Utc)
}

/// A license item set up by operator staff for a demo organisation.
pub struct Fixture {
    /// The organisation's id.
    pub customer: String,
    /// The license item (`si_…`).
    pub item: String,
    /// The subscription (`sub_…`).
    pub subscription: String,
    /// A staff token.
    pub admin: String,
}

/// Staff create an ADVANCED-style product at `unit` per month (charged on the next invoice,
/// prorated by day) and subscribe `organisation` with `seats` seats from 1 April 2026, with
/// business time pinned at `now`.
pub async fn license_item(
    app: &TestApp,
    organisation: &str,
    currency: &str,
    unit: &str,
    seats: u32,
    now: &str,
) -> Fixture {
    app.app.services.clock.set(at(now));
    let admin = app.login(DEMO_ADMIN_EMAIL).await;
    let customer = app.customer_id(organisation).await;
    let code = format!("lic-{}", uuid::Uuid::new_v4().simple());
    let body = staff(
        app,
        &admin,
        "mutation P($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }",
        json!({ "input": { "name": "ADVANCED", "code": code, "kind": "LICENSE" } }),
    )
    .await;
    let product = body["data"]["createProduct"]["product"]["id"].clone();
    let body = staff(
        app,
        &admin,
        "mutation P($input: CreatePriceInput!) { createPrice(input: $input) { price { id version } } }",
        json!({ "input": {
            "productId": product, "currency": currency, "interval": "MONTH", "model": "PER_UNIT",
            "unitAmount": unit, "license": { "additionsCharged": "NEXT_INVOICE" }
        } }),
    )
    .await;
    let price = body["data"]["createPrice"]["price"]["id"].clone();
    let body = staff(
        app,
        &admin,
        "mutation S($input: CreateSubscriptionInput!) { createSubscription(input: $input) { subscription { id items { id } } } }",
        json!({ "input": {
            "customerId": customer, "anchorDate": "2026-04-01", "interval": "MONTH",
            "items": [{ "priceId": price, "quantity": seats }]
        } }),
    )
    .await;
    let subscription = &body["data"]["createSubscription"]["subscription"];
    Fixture {
        customer,
        item: subscription["items"][0]["id"]
            .as_str()
            .expect("item")
            .to_owned(),
        subscription: subscription["id"]
            .as_str()
            .expect("subscription")
            .to_owned(),
        admin,
    }
}

async fn staff(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let (_, body) = app.graphql(query, variables, Some(token)).await;
    assert!(body["errors"].is_null(), "{query}: {body}");
    body
}

pub const PREVIEW: &str = "mutation P($input: PreviewLicenseChangeInput!) { previewLicenseChange(input: $input) { quote {
    id delta quantityBefore quantityAfter unitPrice { amount } proratedUnitAmount { amount formatted }
    daysRemaining periodDays lineDescription lineAmount { amount } tax { amount }
    amountDueNow { amount } amountNextInvoice { amount } newRecurringTotal { amount } deltaRecurringTotal { amount }
    firstPaymentDate prepaidPeriodStart prepaidPeriodEnd expiresAt } } }";

pub const APPLY: &str =
    "mutation A($input: ApplyLicenseChangeInput!) { applyLicenseChange(input: $input) {
    quantityBefore quantityAfter quote { id appliedAt } item { quantity assigned unassigned } } }";

/// Previews a change; returns the whole response body.
pub async fn preview(app: &TestApp, token: &str, item: &str, delta: i64) -> Value {
    app.graphql(
        PREVIEW,
        json!({ "input": { "itemId": item, "delta": delta } }),
        Some(token),
    )
    .await
    .1
}

/// Previews a change that must succeed; returns the quote.
pub async fn quote(app: &TestApp, token: &str, item: &str, delta: i64) -> Value {
    let body = preview(app, token, item, delta).await;
    assert!(body["errors"].is_null(), "preview {delta}: {body}");
    body["data"]["previewLicenseChange"]["quote"].clone()
}

/// Applies a quote; returns the whole response body.
pub async fn apply(app: &TestApp, token: &str, quote: &str, key: &str) -> Value {
    app.graphql(
        APPLY,
        json!({ "input": { "quoteId": quote, "idempotencyKey": key } }),
        Some(token),
    )
    .await
    .1
}

/// The license item as the customer sees it.
pub async fn item(app: &TestApp, token: &str, id: &str) -> Value {
    let (_, body) = app
        .graphql(
            "{ viewer { organisation { licenses { id quantity assigned unassigned seats(first: 100) { nodes { id member { id } } } } } } }",
            json!({}),
            Some(token),
        )
        .await;
    body["data"]["viewer"]["organisation"]["licenses"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("no item {id}: {body}"))
}

/// The upcoming invoice of a subscription, as the customer sees it.
pub async fn upcoming(app: &TestApp, token: &str, subscription: &str) -> Value {
    let (_, body) = app
        .graphql(
            "{ viewer { organisation { upcomingCharges { subscriptionId invoiceDate lines { kind description amount { amount } tax { amount } } subtotal { amount } tax { amount } total { amount } amountDue { amount } } } } }",
            json!({}),
            Some(token),
        )
        .await;
    body["data"]["viewer"]["organisation"]["upcomingCharges"]
        .as_array()
        .and_then(|all| all.iter().find(|u| u["subscriptionId"] == subscription))
        .cloned()
        .unwrap_or_else(|| panic!("no upcoming invoice for {subscription}: {body}"))
}

/// How many audit entries with `action` the organisation has.
pub async fn audit_count(app: &TestApp, token: &str, action: &str) -> usize {
    let (_, body) = app
        .graphql(
            "{ viewer { organisation { auditLog(first: 100) { nodes { action } } } } }",
            json!({}),
            Some(token),
        )
        .await;
    body["data"]["viewer"]["organisation"]["auditLog"]["nodes"]
        .as_array()
        .map_or(0, |n| n.iter().filter(|e| e["action"] == action).count())
}

/// Asserts an error code (and field, when given).
pub fn assert_error(body: &Value, code: &str, field: Option<&str>) {
    assert_eq!(error_code(body), code, "{body}");
    if let Some(field) = field {
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
}
