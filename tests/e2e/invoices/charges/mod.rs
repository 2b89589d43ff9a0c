//! One-time charges and addons: "invoice now" finalises one numbered invoice whose lines are
//! `round(unit price × quantity)` to the cent (and to the yen), exactly as previewed; unbilled
//! charges show in upcoming charges and land on the run's invoice once; every bad field is
//! named and writes nothing; customers cannot charge; unpaid invoices need a confirmation.
//! Here: the operations and helpers the three files share.

mod coupon;
mod invoice_now;
mod refusals;
mod unbilled;

use entity::{invoice, one_off_charge};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_ok};

pub(super) const PREVIEW: &str = "query P($input: ChargesInput!) { previewCharges(input: $input) {
    issueDate dueDate periodStart periodEnd poNumber notes
    lines { kind description quantity amount { amount currency } tax { amount } taxRate
            servicePeriodStart servicePeriodEnd }
    subtotal { amount } discount { amount } tax { amount } total { amount }
    creditsApplied { amount } amountDue { amount } unpaidInvoices { count amountDue { amount } } } }";

pub(super) const CREATE: &str =
    "mutation C($input: CreateChargesInput!) { createCharges(input: $input) {
    subscriptionId
    charges { id subscriptionId productId description quantity unitPrice taxable
              amount { amount } tax { amount } invoiceId }
    invoice { id number status subscriptionId issueDate dueDate periodStart periodEnd poNumber notes
      lines { kind description quantity amount { amount currency } tax { amount } taxRate
              servicePeriodStart servicePeriodEnd }
      subtotal { amount } discount { amount } tax { amount } total { amount }
      creditsApplied { amount } amountDue { amount } } } }";

pub(super) const UNBILLED: &str = "query U($id: ID!) { customer(id: $id) { unbilledCharges {
    id subscriptionId description amount { amount } tax { amount } invoiceId } } }";

pub(super) const DELETE: &str = "mutation D($input: DeleteUnbilledChargeInput!) {
    deleteUnbilledCharge(input: $input) { charge { id description } } }";

pub(super) const UPCOMING: &str = "{ viewer { organisation { upcomingCharges { subscriptionId
    lines { kind description quantity amount { amount } tax { amount } } total { amount } } } } }";

/// Runs `query` with `input`; returns the body, errors included.
pub(super) async fn call(session: &Session<'_>, query: &str, input: Value) -> Value {
    session.graphql(query, json!({ "input": input })).await
}

/// Like [`call`], for a request that must succeed; returns its data.
pub(super) async fn ok(session: &Session<'_>, query: &str, input: Value) -> Value {
    let body = call(session, query, input).await;
    assert_ok(&body);
    body["data"].clone()
}

/// A `one_off` product with a per-unit price of `unit` in `currency` (taxable), created by
/// staff; returns the product id.
pub(super) async fn addon(staff: &Session<'_>, name: &str, currency: &str, unit: &str) -> String {
    let product = staff
        .create_product(json!({ "name": name,
            "code": format!("addon-{}", uuid::Uuid::new_v4().simple()), "kind": "ONE_OFF" }))
        .await;
    staff
        .create_price(
            json!({ "productId": product, "currency": currency, "interval": "MONTH",
            "model": "PER_UNIT", "unitAmount": unit, "taxable": true }),
        )
        .await;
    product
}

/// Rows that a refused request must not have added, and the customer's revision.
pub(super) async fn written(app: &TestApp) -> (u64, u64, Vec<i64>) {
    let db = app.app.db.reads();
    let revisions = entity::customer::Entity::find()
        .all(db)
        .await
        .expect("customers")
        .into_iter()
        .map(|c| c.revision)
        .collect();
    (
        invoice::Entity::find().count(db).await.expect("invoices"),
        one_off_charge::Entity::find()
            .count(db)
            .await
            .expect("charges"),
        revisions,
    )
}

/// How many audit entries with `action` a customer has, read by staff.
pub(super) async fn audit_count(staff: &Session<'_>, customer: &str, action: &str) -> usize {
    let data: Value = staff
        .data(
            "auditLog",
            "query A($id: ID!) { customer(id: $id) { auditLog(first: 100) { nodes { action } } } }",
            json!({ "id": customer }),
        )
        .await;
    data["customer"]["auditLog"]["nodes"]
        .as_array()
        .expect("audit entries")
        .iter()
        .filter(|e| e["action"] == action)
        .count()
}
