//! Calls on invoices: the period invoice bills each number's rated calls in arrears, one line
//! per number beside the rental, exactly as upcoming charges showed them; unrated calls wait
//! for a re-rating; a call that arrives after its period was invoiced is billed on the next
//! invoice in its own service period, never twice; calls the subscription would never bill
//! (before it starts, after it is cancelled) are refused; an item keeps a unit per number.

use serde_json::{Value, json};
use tests::{Session, assert_code, assert_ok, e2e_test};

use super::{Telecom, add_number, call, call_at, record_calls, stored_calls, telecom};
use crate::usage::{bill, invoices_of};

const UPCOMING: &str = "query U($id: ID!) { customer(id: $id) { upcomingCharges {
    subscriptionId lines { description amount { amount } servicePeriodStart } } } }";

/// The upcoming lines of `fx`'s subscription: (text, amount, service period start).
async fn upcoming_lines(
    staff: &Session<'_>,
    customer: &str,
    fx: &Telecom,
) -> Vec<(String, String, String)> {
    let data: Value = staff
        .data("upcomingCharges", UPCOMING, json!({ "id": customer }))
        .await;
    let upcoming = data["customer"]["upcomingCharges"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|u| u["subscriptionId"] == fx.subscription.as_str())
        })
        .cloned()
        .unwrap_or_else(|| panic!("no upcoming invoice: {data}"));
    upcoming["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            (
                l["description"].as_str().unwrap_or("").to_owned(),
                l["amount"]["amount"].as_str().unwrap_or("").to_owned(),
                l["servicePeriodStart"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The lines of invoice `n` of `fx`: (text, cents, service period start).
pub(super) async fn invoice_lines(
    app: &tests::TestApp,
    fx: &Telecom,
    n: usize,
) -> Vec<(String, i64, String)> {
    let invoices = invoices_of(app, &fx.subscription).await;
    invoices[n]
        .1
        .iter()
        .map(|l| {
            (
                l.description.clone(),
                l.amount_minor,
                l.period_start.map(|d| d.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

e2e_test!(the_period_invoice_bills_each_numbers_calls_once, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let fx = telecom(&app, &acme, 2).await;
    add_number(&staff, &fx, "+33140000001").await;
    add_number(&staff, &fx, "+33140000002").await;
    let body = record_calls(
        &staff,
        json!([
            // The first number: 10 s to a landline (€0.10 minimum) and 600 s to a mobile
            // (€1.05): 2 calls, 630 s, €1.15.
            call("+33140000001", "+33145678900", 10, "a"),
            call("+33140000001", "+33612345678", 600, "b"),
            // The second: 31 s to a mobile, 36 s billed, €0.11.
            call("+33140000002", "+33612345678", 31, "c"),
            // No prefix of the tariff matches +1: stored unrated, billed by no invoice yet.
            call("+33140000002", "+15550100", 60, "d-unrated"),
        ]),
    )
    .await;
    assert_ok(&body);
    assert_eq!(body["data"]["recordCalls"]["unrated"], 1, "{body}");

    let december = vec![
        (
            "2 × Phone number at €5.00 each".to_owned(),
            1000,
            "2027-01-01".to_owned(),
        ),
        (
            "Calls from +33140000001: 2 calls, 10 min 30 s billed".to_owned(),
            115,
            "2026-12-01".to_owned(),
        ),
        (
            "Calls from +33140000002: 1 call, 36 s billed".to_owned(),
            11,
            "2026-12-01".to_owned(),
        ),
    ];
    // Upcoming charges show exactly what the billing run then bills.
    let preview = upcoming_lines(&staff, &acme, &fx).await;
    let expected: Vec<(String, String, String)> = december
        .iter()
        .map(|(text, cents, start)| {
            let amount = format!("{}.{:02}", cents / 100, cents % 100);
            (text.clone(), amount, start.clone())
        })
        .collect();
    assert_eq!(preview, expected);
    bill(&app, "2027-01-01").await;
    assert_eq!(invoice_lines(&app, &fx, 0).await, december);

    // Every rated call is marked with that invoice; the unrated one waits.
    let invoice = invoices_of(&app, &fx.subscription).await[0].0.id;
    let calls = stored_calls(&app, &acme).await;
    let billed: Vec<(&str, Option<ids::InvoiceId>)> = calls
        .iter()
        .map(|c| (c.idempotency_key.as_str(), c.invoice_id))
        .collect();
    assert_eq!(
        billed,
        vec![
            ("a", Some(invoice)),
            ("b", Some(invoice)),
            ("c", Some(invoice)),
            ("d-unrated", None)
        ]
    );

    // A December call arriving late, and a January one: the next invoice bills the late one
    // on a line of its own service period, then January's.
    let late = record_calls(
        &staff,
        json!([
            call_at(
                "+33140000001",
                "+33145678900",
                120,
                "late",
                "2026-12-20T10:00:00Z"
            ),
            call_at(
                "+33140000001",
                "+33145678900",
                60,
                "jan",
                "2027-01-10T10:00:00Z"
            ),
        ]),
    )
    .await;
    assert_ok(&late);
    bill(&app, "2027-02-01").await;
    assert_eq!(
        invoice_lines(&app, &fx, 1).await,
        vec![
            (
                "2 × Phone number at €5.00 each".to_owned(),
                1000,
                "2027-02-01".to_owned()
            ),
            // 120 s × €0.02/60 = €0.04 + €0.05 fee = €0.09: the €0.10 minimum.
            (
                "Calls from +33140000001: 1 call, 2 min billed".to_owned(),
                10,
                "2026-12-01".to_owned()
            ),
            // 60 s: €0.02 + €0.05 = €0.07: the minimum again.
            (
                "Calls from +33140000001: 1 call, 1 min billed".to_owned(),
                10,
                "2027-01-01".to_owned()
            ),
        ]
    );
    // Billing again bills nothing twice.
    bill(&app, "2027-02-01").await;
    assert_eq!(invoices_of(&app, &fx.subscription).await.len(), 2);
});

e2e_test!(calls_no_invoice_would_bill_are_refused, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let fx = telecom(&app, &acme, 1).await;
    add_number(&staff, &fx, "+33140000003").await;
    // Before the subscription starts (1 December 2026): refused on the call's start.
    let early = record_calls(
        &staff,
        json!([call_at(
            "+33140000003",
            "+33145678900",
            60,
            "early",
            "2026-11-20T10:00:00Z"
        )]),
    )
    .await;
    assert_code(&early, "BAD_USER_INPUT");
    assert_eq!(
        early["errors"][0]["extensions"]["records"][0]["field"], "startedAt",
        "{early}"
    );

    // Cancelled now: its last invoice is issued, a call after that would never be billed.
    let cancelled = staff
        .graphql(
            "mutation C($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) {
                subscription { status } } }",
            json!({ "input": { "subscriptionId": fx.subscription, "when": "NOW" } }),
        )
        .await;
    assert_ok(&cancelled);
    let after = record_calls(
        &staff,
        json!([call("+33140000003", "+33145678900", 60, "after")]),
    )
    .await;
    assert_code(&after, "BAD_USER_INPUT");
    assert_eq!(
        after["errors"][0]["extensions"]["records"][0]["field"], "number",
        "{after}"
    );
    assert!(stored_calls(&app, &acme).await.is_empty());
});

e2e_test!(an_item_keeps_a_unit_for_each_number_it_rents, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let fx = telecom(&app, &acme, 2).await;
    add_number(&staff, &fx, "+33140000004").await;
    add_number(&staff, &fx, "+33140000005").await;
    let lower = staff
        .graphql(
            "mutation Q($input: SetSubscriptionItemQuantityInput!) {
                setSubscriptionItemQuantity(input: $input) { subscription { id } } }",
            json!({ "input": { "itemId": fx.item, "quantity": 1 } }),
        )
        .await;
    assert_code(&lower, "CONFLICT");
    let message = lower["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("2 telephone numbers"), "{lower}");
    // Raising it is fine.
    let higher = staff
        .graphql(
            "mutation Q($input: SetSubscriptionItemQuantityInput!) {
                setSubscriptionItemQuantity(input: $input) { subscription { id } } }",
            json!({ "input": { "itemId": fx.item, "quantity": 3 } }),
        )
        .await;
    assert_ok(&higher);
});
