//! Coupons end to end: staff create them and apply them to an organisation or a subscription;
//! the upcoming invoice shows the discount, the billing run's invoice has exactly it, and the
//! run counts the invoices each coupon discounted (once: one invoice; repeating 2: two).
//! Amounts are checked against arithmetic done here, to the cent.

mod discounts;
mod rules;

use serde_json::{Value, json};
use tests::{LicenseItemFixture, Session, TestApp};

use crate::licenses::APRIL_2;

pub(super) const CREATE: &str =
    "mutation C($input: CreateCouponInput!) { createCoupon(input: $input) {
    coupon { id code percentOff amountsOff { amount currency } duration durationPeriods
    productIds maxRedemptions redemptions expiresOn archived } } }";

const APPLY: &str = "mutation A($input: ApplyCouponInput!) { applyCoupon(input: $input) {
    appliedCoupon { id code periodsApplied active subscriptionId } } }";

pub(super) const UPCOMING: &str =
    "{ viewer { organisation { upcomingCharges { subscriptionId invoiceDate
    lines { kind description amount { amount } tax { amount } }
    subtotal { amount } discount { amount } tax { amount } total { amount } amountDue { amount }
    taxes { rate name taxable { amount } amount { amount } } } } } }";

const INVOICES: &str = "query I($id: ID!) { customer(id: $id) { invoices(first: 50) { nodes {
    subscriptionId periodStart issueDate dueDate
    lines { kind description amount { amount } tax { amount } }
    subtotal { amount } discount { amount } tax { amount } total { amount } amountDue { amount }
    taxes { rate name taxable { amount } amount { amount } } } } } }";

const APPLIED: &str = "{ viewer { organisation { coupons {
    id code periodsApplied active subscriptionId } } } }";

/// Creates a coupon as staff, which must succeed; returns its id (`cpn_…`).
pub async fn create_coupon(staff: &Session<'_>, input: Value) -> String {
    let body = staff.graphql(CREATE, json!({ "input": input })).await;
    body["data"]["createCoupon"]["coupon"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("createCoupon failed: {body}"))
        .to_owned()
}

/// Sends `applyCoupon`; returns the raw body.
pub async fn try_apply(
    staff: &Session<'_>,
    coupon: &str,
    customer: &str,
    subscription: Option<&str>,
) -> Value {
    staff
        .graphql(
            APPLY,
            json!({ "input": {
                "couponId": coupon, "customerId": customer, "subscriptionId": subscription
            } }),
        )
        .await
}

/// Applies a coupon, which must succeed; returns the applied coupon's id (`red_…`).
pub async fn apply(
    staff: &Session<'_>,
    coupon: &str,
    customer: &str,
    subscription: Option<&str>,
) -> String {
    let body = try_apply(staff, coupon, customer, subscription).await;
    body["data"]["applyCoupon"]["appliedCoupon"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("applyCoupon failed: {body}"))
        .to_owned()
}

/// The upcoming invoice of `subscription`, as the organisation's user reads it.
pub async fn upcoming(user: &Session<'_>, subscription: &str) -> Value {
    let data: Value = user.data("upcomingCharges", UPCOMING, json!({})).await;
    data["viewer"]["organisation"]["upcomingCharges"]
        .as_array()
        .and_then(|all| all.iter().find(|u| u["subscriptionId"] == subscription))
        .cloned()
        .unwrap_or_else(|| panic!("no upcoming invoice for {subscription}: {data}"))
}

/// The finalised invoices of `subscription`, oldest period first, as staff read them.
pub async fn invoices(staff: &Session<'_>, customer: &str, subscription: &str) -> Vec<Value> {
    let data: Value = staff
        .data("invoices", INVOICES, json!({ "id": customer }))
        .await;
    let mut found: Vec<Value> = data["customer"]["invoices"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i["subscriptionId"] == subscription)
        .collect();
    found.sort_by(|a, b| a["periodStart"].as_str().cmp(&b["periodStart"].as_str()));
    found
}

/// Runs billing for every period due by `date`.
pub async fn run(app: &TestApp, date: &str) {
    let report = app
        .app
        .services
        .billing_runs
        .run(date.parse().expect("date"))
        .await
        .expect("run");
    assert!(report.failed.is_empty(), "{report:?}");
}

/// The parts of an invoice (upcoming or finalised) that must agree to the cent.
pub(super) fn money_of(invoice: &Value) -> Value {
    json!({
        "lines": invoice["lines"], "subtotal": invoice["subtotal"],
        "discount": invoice["discount"], "tax": invoice["tax"], "total": invoice["total"],
        "amountDue": invoice["amountDue"], "taxes": invoice["taxes"],
    })
}

/// The discount lines' (description, amount).
pub(super) fn discounts(invoice: &Value) -> Vec<(String, String)> {
    invoice["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["kind"] == "DISCOUNT")
        .map(|l| {
            (
                l["description"].as_str().unwrap_or_default().to_owned(),
                l["amount"]["amount"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

/// The organisation's applied coupons as its user reads them.
pub(super) async fn applied(user: &Session<'_>) -> Vec<Value> {
    let data: Value = user.data("coupons", APPLIED, json!({})).await;
    data["viewer"]["organisation"]["coupons"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Acme with 10 ADVANCED seats at €64 from 1 April 2026 (the clock on 2 April).
pub(super) async fn acme_seats(app: &TestApp) -> tests::LicenseItemIds {
    LicenseItemFixture::for_organisation("Acme Telecom")
        .seats(10)
        .at(APRIL_2)
        .create(app)
        .await
}
