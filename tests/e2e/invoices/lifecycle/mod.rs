//! The rest of a subscription's lifecycle (staff): cancelling now, undoing a scheduled
//! cancellation, pausing and resuming, adding and removing items, changing a non-license
//! quantity, trials. Each feature reads its upcoming charges before the billing run and finds
//! the run's (or the cancellation's) invoice equal to them, line by line and to the cent.

mod cancel_now;
mod items;
mod pause;
mod trial;
mod undo;

use serde_json::{Value, json};
use tests::{LicenseItemIds, Session, TestApp, assert_ok};

/// What the comparisons read of an upcoming or finalised invoice.
const INVOICE_FIELDS: &str = "periodStart periodEnd
    lines { kind description quantity amount { amount } tax { amount } servicePeriodStart servicePeriodEnd }
    subtotal { amount } discount { amount } tax { amount } total { amount }
    creditsApplied { amount } amountDue { amount }";

/// The upcoming invoice of `subscription` as its organisation reads it, or `None`.
async fn upcoming(session: &Session<'_>, subscription: &str) -> Option<Value> {
    let query = format!(
        "{{ viewer {{ organisation {{ upcomingCharges {{ subscriptionId invoiceDate {INVOICE_FIELDS} }} }} }} }}"
    );
    let data: Value = session.data("upcomingCharges", &query, json!({})).await;
    data["viewer"]["organisation"]["upcomingCharges"]
        .as_array()
        .expect("upcoming charges")
        .iter()
        .find(|u| u["subscriptionId"] == subscription)
        .cloned()
}

/// A finalised invoice as its organisation reads it.
async fn invoice(session: &Session<'_>, id: &str) -> Value {
    let query = format!(
        "query I($id: ID!) {{ viewer {{ organisation {{ invoice(id: $id) {{ number status {INVOICE_FIELDS} }} }} }} }}"
    );
    let data: Value = session.data("invoice", &query, json!({ "id": id })).await;
    data["viewer"]["organisation"]["invoice"].clone()
}

/// Asserts that a finalised invoice is, field by field, the upcoming invoice read before it.
fn assert_same_invoice(upcoming: &Value, invoice: &Value) {
    for field in [
        "periodStart",
        "periodEnd",
        "lines",
        "subtotal",
        "discount",
        "tax",
        "total",
        "creditsApplied",
        "amountDue",
    ] {
        assert_eq!(
            upcoming[field], invoice[field],
            "{field} differs:\nupcoming {upcoming:#}\ninvoice {invoice:#}"
        );
    }
}

/// Runs billing as of `day` and returns the ids of the invoices it finalised for
/// `subscription`.
async fn run_for(app: &TestApp, day: &str, subscription: &str) -> Vec<String> {
    let report = app
        .app
        .services
        .billing_runs
        .run(day.parse().expect("date"))
        .await
        .expect("run");
    report
        .invoiced
        .iter()
        .filter(|b| b.subscription.to_string() == subscription)
        .map(|b| b.invoice.to_string())
        .collect()
}

/// A subscription as staff read it: `status`, `cancelAt`, periods, items.
async fn subscription(staff: &Session<'_>, fx: &LicenseItemIds) -> Value {
    let data: Value = staff
        .data(
            "subscription",
            "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id status cancelAt trialEnd
                anchorDate currentPeriodStart currentPeriodEnd nextInvoiceDate
                items { id quantity product { name } } } } } }",
            json!({ "id": fx.customer }),
        )
        .await;
    data["customer"]["subscriptions"]["nodes"]
        .as_array()
        .expect("subscriptions")
        .iter()
        .find(|s| s["id"] == fx.subscription.as_str())
        .cloned()
        .expect("the subscription")
}

/// A monthly EUR "Support" service priced per unit at `unit`, whose removals credit unused days
/// when `credit_removals`; returns its price id.
async fn support_price(staff: &Session<'_>, unit: &str, credit_removals: bool) -> String {
    let code = format!("sup-{}", uuid::Uuid::new_v4().simple());
    let product = staff
        .create_product(json!({ "name": "Support", "code": code, "kind": "SERVICE" }))
        .await;
    staff
        .create_price(json!({
            "productId": product, "currency": "EUR", "interval": "MONTH",
            "model": "PER_UNIT", "unitAmount": unit,
            "license": { "additionsCharged": "NEXT_INVOICE", "creditRemovals": credit_removals }
        }))
        .await
}

/// Sends a mutation that must succeed; returns its data.
async fn ok(session: &Session<'_>, query: &str, variables: Value) -> Value {
    let body = session.graphql(query, variables).await;
    assert_ok(&body);
    body["data"].clone()
}
