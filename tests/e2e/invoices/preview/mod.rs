//! Preview equals invoice, for generated scenarios: the upcoming invoice read through GraphQL
//! before a run is, line by line and to the minor unit, the invoice the run then finalises —
//! across currencies with 0, 2 and 3 decimals, every pricing model, seats added and removed on
//! random days, one-time charges and addons, coupons (percent or amount, once to forever, on the
//! invoice or the seats, on the organisation or the subscription), tax by customer rate or by
//! country and region (exempt too), and credit balances.
//! 200 scenarios on SQLite and 50 on PostgreSQL, all billed by one run.

mod scenario;

use serde_json::{Value, json};
use tests::{Session, TestApp, assert_ok, e2e_test, instant};

use scenario::{OneOff, Scenario};

/// What the comparison reads of an invoice and of an upcoming invoice: the same fields.
const INVOICE_FIELDS: &str = "periodStart periodEnd
    lines { kind description quantity amount { amount currency } tax { amount } taxRate
      servicePeriodStart servicePeriodEnd }
    subtotal { amount } discount { amount } tax { amount } total { amount }
    creditsApplied { amount } amountDue { amount }";

/// A created scenario: the customer and its license item.
struct Created {
    scenario: Scenario,
    customer: String,
    license_item: String,
}

async fn create(staff: &Session<'_>, scenario: Scenario) -> Created {
    let n = scenario.n;
    let currency = scenario.currency.code;
    let body = staff
        .graphql(
            "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }",
            json!({ "input": { "name": format!("Scenario {n}"), "email": format!("s{n}@example.com"),
                "currency": currency, "timeZone": "Europe/Paris", "taxRate": scenario.tax_rate } }),
        )
        .await;
    assert_ok(&body);
    let customer = body["data"]["createCustomer"]["customer"]["id"]
        .as_str()
        .expect("customer id")
        .to_owned();
    let (unit, count) = scenario.interval;
    let license = staff
        .create_product(
            json!({ "name": format!("SEAT{n}"), "code": format!("seat-{n}"), "kind": "LICENSE" }),
        )
        .await;
    let seat_price = staff
        .create_price(json!({
            "productId": license, "currency": currency, "interval": unit, "intervalCount": count,
            "model": "PER_UNIT", "unitAmount": scenario.seat_price,
            "license": { "creditRemovals": scenario.credit_removals }
        }))
        .await;
    let service = staff
        .create_product(json!({ "name": format!("Service {n}"), "code": format!("svc-{n}"), "kind": "SERVICE" }))
        .await;
    let mut price = json!({ "productId": service, "currency": currency, "interval": unit,
        "intervalCount": count });
    for (k, v) in scenario.service_price.as_object().expect("fields") {
        price[k] = v.clone();
    }
    let service_price = staff.create_price(price).await;
    let subscription = staff
        .create_subscription(json!({
            "customerId": customer, "anchorDate": format!("2026-03-{:02}", scenario.anchor_day),
            "interval": unit, "intervalCount": count,
            "items": [
                { "priceId": seat_price, "quantity": scenario.seats },
                { "priceId": service_price, "quantity": scenario.service_quantity }
            ]
        }))
        .await;
    if let Some((country, region, exempt)) = scenario.tax_place {
        let body = staff
            .graphql(
                "mutation S($input: UpdateCustomerBillingSettingsInput!) {
                    updateCustomerBillingSettings(input: $input) { customer { id } } }",
                json!({ "input": { "customerId": customer, "country": country, "region": region,
                    "taxExempt": exempt } }),
            )
            .await;
        assert_ok(&body);
    }
    if let Some((fields, on_subscription)) = &scenario.coupon {
        let mut input = fields.clone();
        let seats_only = input
            .as_object_mut()
            .and_then(|o| o.remove("seatsOnly"))
            .is_some_and(|v| v == json!(true));
        input["code"] = json!(format!("S{n}"));
        input["name"] = json!(format!("Scenario {n}"));
        if seats_only {
            input["productIds"] = json!([license]);
        }
        let body = staff
            .graphql(
                "mutation C($input: CreateCouponInput!) { createCoupon(input: $input) { coupon { id } } }",
                json!({ "input": input }),
            )
            .await;
        assert_ok(&body);
        let coupon = body["data"]["createCoupon"]["coupon"]["id"].clone();
        let mut apply = json!({ "couponId": coupon, "customerId": customer });
        if *on_subscription {
            apply["subscriptionId"] = json!(subscription.id);
        }
        let body = staff
            .graphql(
                "mutation A($input: ApplyCouponInput!) { applyCoupon(input: $input) { appliedCoupon { id } } }",
                json!({ "input": apply }),
            )
            .await;
        assert_ok(&body);
    }
    if let Some(one_off) = &scenario.one_off {
        let charge = match one_off {
            OneOff::Quick { amount, taxable } => json!({
                "description": "Setup", "amount": amount, "taxable": taxable
            }),
            OneOff::Addon {
                quantity,
                unit_price,
            } => {
                let addon = staff
                    .create_product(json!({ "name": format!("Addon {n}"), "code": format!("addon-{n}"), "kind": "ONE_OFF" }))
                    .await;
                json!({ "productId": addon, "quantity": quantity, "unitPrice": unit_price })
            }
        };
        let body = staff
            .graphql(
                "mutation M($input: CreateChargesInput!) { createCharges(input: $input) { charges { id } } }",
                json!({ "input": { "customerId": customer, "subscriptionId": subscription.id,
                    "timing": "ADD_TO_UNBILLED", "charges": [charge] } }),
            )
            .await;
        assert_ok(&body);
    }
    if let Some(credit) = &scenario.credit {
        let body = staff
            .graphql(
                "mutation A($input: AdjustCreditBalanceInput!) { adjustCreditBalance(input: $input) { entry { id } } }",
                json!({ "input": { "customerId": customer, "kind": "TOP_UP", "amount": credit,
                    "description": "Prepayment" } }),
            )
            .await;
        assert_ok(&body);
    }
    Created {
        license_item: subscription.items[0].clone(),
        customer,
        scenario,
    }
}

/// Previews and applies a seat change as staff; a change the rules refuse (below the minimum)
/// is skipped, as a customer would see it refused.
async fn change_seats(staff: &Session<'_>, item: &str, delta: i64, key: &str) {
    let preview = staff.try_preview_license_change(item, delta).await;
    if !preview["errors"].is_null() {
        assert_eq!(
            preview["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "only rule refusals are expected: {preview}"
        );
        return;
    }
    let quote = preview["data"]["previewLicenseChange"]["quote"]["id"]
        .as_str()
        .expect("quote id");
    assert_ok(&staff.try_apply_license_change(quote, key).await);
}

async fn upcoming(staff: &Session<'_>, customer: &str) -> Value {
    let query = format!(
        "query U($id: ID!) {{ customer(id: $id) {{ upcomingCharges {{ {INVOICE_FIELDS} }} }} }}"
    );
    let data: Value = staff
        .data("upcoming", &query, json!({ "id": customer }))
        .await;
    data["customer"]["upcomingCharges"][0].clone()
}

async fn invoices(staff: &Session<'_>, customer: &str) -> Vec<Value> {
    let query = format!(
        "query I($id: ID!) {{ customer(id: $id) {{ invoices(first: 50) {{ nodes {{ {INVOICE_FIELDS} }} }} }} }}"
    );
    let data: Value = staff
        .data("invoices", &query, json!({ "id": customer }))
        .await;
    data["customer"]["invoices"]["nodes"]
        .as_array()
        .expect("invoices")
        .clone()
}

async fn preview_equals_invoice(app: &TestApp, count: u64) {
    app.app.services.clock.set(instant("2026-04-01T00:30:00Z"));
    let staff = app.as_staff().await;
    for (country, region, name, rate) in scenario::TAX_RATES {
        let body = staff
            .graphql(
                "mutation T($input: CreateTaxRateInput!) { createTaxRate(input: $input) { taxRate { id } } }",
                json!({ "input": { "country": country, "region": region, "name": name, "rate": rate } }),
            )
            .await;
        assert_ok(&body);
    }
    let mut created = Vec::new();
    for n in 0..count {
        created.push(create(&staff, Scenario::generate(n)).await);
    }
    // Every seat change of every scenario, in time order, each at its instant.
    let mut changes: Vec<(u32, u32, usize, i64)> = Vec::new();
    for (i, c) in created.iter().enumerate() {
        for change in &c.scenario.changes {
            changes.push((change.day, change.hour, i, change.delta));
        }
    }
    changes.sort_unstable();
    for (k, (day, hour, i, delta)) in changes.into_iter().enumerate() {
        app.app
            .services
            .clock
            .set(instant(&format!("2026-04-{day:02}T{hour:02}:10:00Z")));
        change_seats(&staff, &created[i].license_item, delta, &format!("k{k}")).await;
    }
    let mut previews = Vec::new();
    for c in &created {
        previews.push(upcoming(&staff, &c.customer).await);
    }
    let report = app
        .app
        .services
        .billing_runs
        .run("2027-04-01".parse().expect("date"))
        .await
        .expect("run");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    // The comparison means something only if the scenarios reach what they are meant to.
    let kinds = |kind: &str| {
        previews
            .iter()
            .filter(|p| p.to_string().contains(&format!("\"kind\":\"{kind}\"")))
            .count()
    };
    let expected = usize::try_from(count / 10).unwrap_or(1);
    for kind in ["PRORATION", "ONE_OFF", "CREDIT", "DISCOUNT"] {
        assert!(
            kinds(kind) >= expected,
            "too few scenarios with a {kind} line"
        );
    }
    // And the rates of the country and region places (Germany 19 %, Canary Islands 7 %).
    for rate in ["19", "7"] {
        let taxed = previews
            .iter()
            .filter(|p| p.to_string().contains(&format!("\"taxRate\":\"{rate}\"")))
            .count();
        assert!(taxed >= expected / 4, "too few scenarios taxed at {rate} %");
    }
    for (c, preview) in created.iter().zip(&previews) {
        let billed = invoices(&staff, &c.customer).await;
        let invoice = billed
            .iter()
            .find(|i| i["periodStart"] == preview["periodStart"])
            .unwrap_or_else(|| panic!("scenario {}: no invoice for {preview}", c.scenario.n));
        assert_eq!(
            invoice, preview,
            "scenario {} ({:?}): the invoice differs from its preview",
            c.scenario.n, c.scenario
        );
        assert_totals_add_up(c.scenario.n, invoice);
    }
}

/// Every invoice's total is its lines: subtotal − discount + tax, less credits, is what is due.
fn assert_totals_add_up(n: u64, invoice: &Value) {
    let minor = |v: &Value| -> i128 {
        let text = v["amount"].as_str().expect("amount");
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let negative = int.starts_with('-');
        let digits: i128 = format!("{}{frac:0<3}", int.trim_start_matches('-'))
            .parse()
            .expect("decimal");
        if negative { -digits } else { digits }
    };
    let lines = invoice["lines"].as_array().expect("lines");
    let sum = |kinds: &[&str], field: &str| -> i128 {
        lines
            .iter()
            .filter(|l| kinds.contains(&l["kind"].as_str().unwrap_or_default()))
            .map(|l| minor(&l[field]))
            .sum()
    };
    let charges = ["RECURRING", "PRORATION", "USAGE", "ONE_OFF"];
    assert_eq!(
        sum(&charges, "amount"),
        minor(&invoice["subtotal"]),
        "scenario {n}"
    );
    assert_eq!(
        -sum(&["DISCOUNT"], "amount"),
        minor(&invoice["discount"]),
        "scenario {n}"
    );
    let all = [
        "RECURRING",
        "PRORATION",
        "USAGE",
        "ONE_OFF",
        "DISCOUNT",
        "CREDIT",
    ];
    assert_eq!(sum(&all, "tax"), minor(&invoice["tax"]), "scenario {n}");
    assert_eq!(
        minor(&invoice["subtotal"]) - minor(&invoice["discount"]) + minor(&invoice["tax"]),
        minor(&invoice["total"]),
        "scenario {n}"
    );
    assert_eq!(
        -sum(&["CREDIT"], "amount"),
        minor(&invoice["creditsApplied"]),
        "scenario {n}"
    );
    assert_eq!(
        minor(&invoice["total"]) - minor(&invoice["creditsApplied"]),
        minor(&invoice["amountDue"]),
        "scenario {n}"
    );
}

e2e_test!(two_hundred_generated_previews_equal_their_invoices, |app| {
    let count = if app.database().backend_name() == "sqlite" {
        200
    } else {
        50
    };
    preview_equals_invoice(&app, count).await;
});
