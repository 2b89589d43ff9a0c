//! One-time charges and addons: "invoice now" finalises one numbered invoice whose lines are
//! `round(unit price × quantity)` to the cent (and to the yen), exactly as previewed; unbilled
//! charges show in upcoming charges and land on the run's invoice once; every bad field is
//! named and writes nothing; customers cannot charge; unpaid invoices need a confirmation.

use entity::{invoice, one_off_charge, subscription};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::html::{page, signed_in, unescape};
use tests::{
    LicenseItemFixture, Session, TestApp, assert_bad_input, assert_code, assert_ok, e2e_test,
    instant,
};

use crate::licenses::APRIL_2;

const PREVIEW: &str = "query P($input: ChargesInput!) { previewCharges(input: $input) {
    issueDate dueDate periodStart periodEnd poNumber notes
    lines { kind description quantity amount { amount currency } tax { amount } taxRate
            servicePeriodStart servicePeriodEnd }
    subtotal { amount } discount { amount } tax { amount } total { amount }
    creditsApplied { amount } amountDue { amount } unpaidInvoices { count amountDue { amount } } } }";

const CREATE: &str = "mutation C($input: CreateChargesInput!) { createCharges(input: $input) {
    subscriptionId
    charges { id subscriptionId productId description quantity unitPrice taxable
              amount { amount } tax { amount } invoiceId }
    invoice { id number status subscriptionId issueDate dueDate periodStart periodEnd poNumber notes
      lines { kind description quantity amount { amount currency } tax { amount } taxRate
              servicePeriodStart servicePeriodEnd }
      subtotal { amount } discount { amount } tax { amount } total { amount }
      creditsApplied { amount } amountDue { amount } } } }";

const UNBILLED: &str = "query U($id: ID!) { customer(id: $id) { unbilledCharges {
    id subscriptionId description amount { amount } tax { amount } invoiceId } } }";

const DELETE: &str = "mutation D($input: DeleteUnbilledChargeInput!) {
    deleteUnbilledCharge(input: $input) { charge { id description } } }";

const UPCOMING: &str = "{ viewer { organisation { upcomingCharges { subscriptionId
    lines { kind description quantity amount { amount } tax { amount } } total { amount } } } } }";

/// Runs `query` with `input`; returns the body, errors included.
async fn call(session: &Session<'_>, query: &str, input: Value) -> Value {
    session.graphql(query, json!({ "input": input })).await
}

/// Like [`call`], for a request that must succeed; returns its data.
async fn ok(session: &Session<'_>, query: &str, input: Value) -> Value {
    let body = call(session, query, input).await;
    assert_ok(&body);
    body["data"].clone()
}

/// A `one_off` product with a per-unit price of `unit` in `currency` (taxable), created by
/// staff; returns the product id.
async fn addon(staff: &Session<'_>, name: &str, currency: &str, unit: &str) -> String {
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
async fn written(app: &TestApp) -> (u64, u64, Vec<i64>) {
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
async fn audit_count(staff: &Session<'_>, customer: &str, action: &str) -> usize {
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

e2e_test!(
    invoice_now_finalises_exactly_the_preview_to_the_cent,
    |app| {
        app.app.services.clock.set(instant("2026-06-15T10:00:00Z"));
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let setup = addon(&staff, "Setup", "EUR", "99").await;
        let details = json!({
            "customerId": acme,
            "poNumber": "PO-4471",
            "notes": "Installation at the Lyon office.",
            "charges": [
                // 3.75 × €12.345678901234 = €46.2962958796275 -> €46.30; 20 % = €9.26.
                { "productId": setup, "quantity": "3.75", "unitPrice": "12.345678901234",
                  "servicePeriodStart": "2026-06-01", "servicePeriodEnd": "2026-07-01" },
                // The product's own price: 0.5 × €99 = €49.50, taxable as the price is: €9.90.
                { "productId": setup, "quantity": "0.5", "description": "Half a setup" },
                // A quick charge, taxable on request: €150 + €30.
                { "description": "Cabling", "amount": "150", "taxable": true },
                // A quick charge is untaxed unless said: €20, no tax.
                { "description": "Deposit", "amount": "20.00" },
            ]
        });
        let preview = ok(&staff, PREVIEW, details.clone()).await["previewCharges"].clone();
        assert_eq!(written(&app).await.0, 0, "a preview writes nothing");
        let amounts: Vec<(&str, &str, Value)> = preview["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| {
                (
                    l["amount"]["amount"].as_str().expect("amount"),
                    l["tax"]["amount"].as_str().expect("tax"),
                    l["taxRate"].clone(),
                )
            })
            .collect();
        assert_eq!(
            amounts,
            [
                ("46.30", "9.26", json!("20")),
                ("49.50", "9.90", json!("20")),
                ("150.00", "30.00", json!("20")),
                ("20.00", "0.00", Value::Null),
            ]
        );
        // 46.30 + 49.50 + 150 + 20 = 265.80; tax 9.26 + 9.90 + 30 = 49.16; total 314.96.
        assert_eq!(preview["subtotal"]["amount"], "265.80");
        assert_eq!(preview["tax"]["amount"], "49.16");
        assert_eq!(preview["total"]["amount"], "314.96");
        assert_eq!(preview["amountDue"]["amount"], "314.96");
        assert_eq!(preview["lines"][1]["description"], "Half a setup");
        assert_eq!(preview["lines"][0]["description"], "Setup");
        assert_eq!(preview["issueDate"], "2026-06-15");
        assert_eq!(preview["unpaidInvoices"], Value::Null);
        assert_eq!(
            (&preview["periodStart"], &preview["periodEnd"]),
            (&json!("2026-06-01"), &json!("2026-07-01"))
        );

        let mut input = details.clone();
        input["timing"] = json!("INVOICE_NOW");
        input["idempotencyKey"] = json!("charge-lyon");
        let created = ok(&staff, CREATE, input.clone()).await["createCharges"].clone();
        let invoice = &created["invoice"];
        assert_eq!(invoice["number"], "INV-2026-000001");
        assert_eq!(invoice["status"], "OPEN");
        assert_eq!(invoice["subscriptionId"], Value::Null);
        assert_eq!(invoice["poNumber"], "PO-4471");
        assert_eq!(invoice["notes"], "Installation at the Lyon office.");
        // Field by field, the preview is the invoice.
        for field in [
            "issueDate",
            "dueDate",
            "periodStart",
            "periodEnd",
            "poNumber",
            "notes",
            "lines",
            "subtotal",
            "discount",
            "tax",
            "total",
            "creditsApplied",
            "amountDue",
        ] {
            assert_eq!(invoice[field], preview[field], "{field}");
        }
        let charges = created["charges"].as_array().expect("charges");
        assert_eq!(charges.len(), 4);
        assert!(charges.iter().all(|c| c["invoiceId"] == invoice["id"]));
        assert_eq!(charges[0]["unitPrice"], "12.345678901234");
        assert_eq!(charges[0]["quantity"], "3.75");
        assert_eq!(charges[1]["unitPrice"], "99");
        assert_eq!(audit_count(&staff, &acme, "charge.create").await, 4);
        // Invoiced now, so nothing waits for the next invoice.
        let unbilled = staff.graphql(UNBILLED, json!({ "id": acme })).await;
        assert_eq!(unbilled["data"]["customer"]["unbilledCharges"], json!([]));

        // The same key and input again: the first result, no second invoice (and no
        // unpaid-invoice refusal, though the first invoice is now open).
        let again = ok(&staff, CREATE, input.clone()).await["createCharges"].clone();
        assert_eq!(again["invoice"]["id"], invoice["id"]);
        assert_eq!(again["charges"], created["charges"]);
        assert_eq!(written(&app).await.0, 1);
        // The same key with another input: a conflict.
        input["poNumber"] = json!("PO-4472");
        assert_code(&call(&staff, CREATE, input).await, "CONFLICT");

        // The customer reads the PO number and notes, in GraphQL and in the portal.
        let billing = app.as_billing_admin("Acme Telecom").await;
        let own = billing
            .graphql(
                "query I($id: ID!) { viewer { organisation { invoice(id: $id) { poNumber notes total { amount } } } } }",
                json!({ "id": invoice["id"] }),
            )
            .await;
        assert_eq!(
            own["data"]["viewer"]["organisation"]["invoice"],
            json!({ "poNumber": "PO-4471", "notes": "Installation at the Lyon office.",
                    "total": { "amount": "314.96" } })
        );
        let (cookies, _) = signed_in(&app, "billing@acme.example").await;
        let html = unescape(
            &page(
                &app,
                &cookies,
                &format!("/invoice?id={}", invoice["id"].as_str().expect("id")),
            )
            .await,
        );
        assert!(html.contains("PO number: PO-4471"), "{html}");
        assert!(html.contains("Installation at the Lyon office."), "{html}");
        assert!(html.contains("Cabling"), "{html}");
    }
);

e2e_test!(yen_charges_are_rounded_once_to_the_yen, |app| {
    // Noon in Tokyo on 1 March 2026.
    app.app.services.clock.set(instant("2026-03-01T03:00:00Z"));
    let staff = app.as_staff().await;
    let customer = ok(
        &staff,
        "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }",
        json!({ "name": "Tokyo KK", "email": "billing@tokyo.example", "currency": "JPY",
                "timeZone": "Asia/Tokyo", "taxRate": "10" }),
    )
    .await["createCustomer"]["customer"]["id"]
        .clone();
    let kit = addon(&staff, "Handset", "JPY", "1234.5").await;
    let details = json!({ "customerId": customer, "charges": [
        // 2.5 × ¥1234.567890123456 = ¥3086.41972530864 -> ¥3086; 10 % = 308.6 -> ¥309.
        { "productId": kit, "quantity": "2.5", "unitPrice": "1234.567890123456" },
        // 0.5 × ¥1234.5 = ¥617.25 -> ¥617; 10 % = 61.7 -> ¥62.
        { "productId": kit, "quantity": "0.5" },
    ] });
    let preview = ok(&staff, PREVIEW, details.clone()).await["previewCharges"].clone();
    assert_eq!(preview["issueDate"], "2026-03-01");
    let mut input = details.clone();
    input["timing"] = json!("INVOICE_NOW");
    let invoice = ok(&staff, CREATE, input.clone()).await["createCharges"]["invoice"].clone();
    let lines: Vec<(&Value, &Value)> = invoice["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| (&l["amount"]["amount"], &l["tax"]["amount"]))
        .collect();
    assert_eq!(
        lines,
        [
            (&json!("3086"), &json!("309")),
            (&json!("617"), &json!("62"))
        ]
    );
    assert_eq!(invoice["lines"][0]["amount"]["currency"], "JPY");
    // 3086 + 617 = 3703; 309 + 62 = 371; 4074.
    assert_eq!(invoice["subtotal"]["amount"], "3703");
    assert_eq!(invoice["tax"]["amount"], "371");
    assert_eq!(invoice["total"]["amount"], "4074");
    for field in [
        "lines",
        "subtotal",
        "tax",
        "total",
        "amountDue",
        "issueDate",
    ] {
        assert_eq!(invoice[field], preview[field], "{field}");
    }
    // A yen amount has no decimals.
    let mut yen = input.clone();
    yen["charges"] = json!([{ "description": "Fee", "amount": "100.5" }]);
    yen["confirmUnpaidInvoices"] = json!(true);
    assert_bad_input(&call(&staff, CREATE, yen).await, "input.charges.0.amount");

    // Without a subscription there is no next invoice to add charges to.
    let before = written(&app).await;
    input["timing"] = json!("ADD_TO_UNBILLED");
    input["confirmUnpaidInvoices"] = json!(true);
    assert_bad_input(&call(&staff, CREATE, input).await, "input.timing");
    assert_eq!(written(&app).await, before);
});

e2e_test!(
    unbilled_charges_show_as_upcoming_and_are_invoiced_once,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .unit_price("64")
            .seats(10)
            .at(APRIL_2)
            .create(&app)
            .await;
        let staff = app.as_staff().await;
        let setup = addon(&staff, "Setup", "EUR", "99").await;
        let on_subscription = |charges: Value| {
            json!({ "customerId": fx.customer, "subscriptionId": fx.subscription,
                    "timing": "ADD_TO_UNBILLED", "charges": charges })
        };
        // Not before the subscription's start (1 April 2026); from it, accepted.
        let early = json!([{ "productId": setup, "quantity": "2.5",
            "unitPrice": "12.345678901234",
            "servicePeriodStart": "2026-03-31", "servicePeriodEnd": "2026-04-30" }]);
        let before = written(&app).await;
        assert_bad_input(
            &call(&staff, CREATE, on_subscription(early)).await,
            "input.charges.0.servicePeriodStart",
        );
        assert_eq!(written(&app).await, before, "nothing written");
        let created = ok(
            &staff,
            CREATE,
            on_subscription(json!([
                // 2.5 × €12.345678901234 = €30.864197253085 -> €30.86; 20 % = €6.17.
                { "productId": setup, "quantity": "2.5", "unitPrice": "12.345678901234",
                  "servicePeriodStart": "2026-04-01", "servicePeriodEnd": "2026-04-30" },
                { "description": "Porting fee", "amount": "50", "taxable": true },
            ])),
        )
        .await["createCharges"]
            .clone();
        assert_eq!(created["subscriptionId"], fx.subscription.as_str());
        assert_eq!(created["charges"][0]["amount"]["amount"], "30.86");
        assert_eq!(created["charges"][0]["tax"]["amount"], "6.17");
        assert_eq!(created["charges"][0]["invoiceId"], Value::Null);

        // A charge on the customer waits for its oldest active subscription: the demo one.
        let subscriptions: Value = staff
            .data(
                "subscriptions",
                "query S($id: ID!) { customer(id: $id) { subscriptions { id } } }",
                json!({ "id": fx.customer }),
            )
            .await;
        let oldest = subscriptions["customer"]["subscriptions"][0]["id"].clone();
        assert_ne!(oldest, json!(fx.subscription));
        let on_customer = ok(
            &staff,
            CREATE,
            json!({ "customerId": fx.customer, "timing": "ADD_TO_UNBILLED",
                    "charges": [{ "description": "Training", "amount": "80" }] }),
        )
        .await["createCharges"]
            .clone();
        assert_eq!(on_customer["subscriptionId"], oldest);
        assert_eq!(on_customer["charges"][0]["subscriptionId"], oldest);

        // Upcoming charges show them on their subscription's next invoice.
        let billing = app.as_billing_admin("Acme Telecom").await;
        let upcoming_of = |data: &Value, subscription: &str| {
            data["viewer"]["organisation"]["upcomingCharges"]
                .as_array()
                .expect("upcoming")
                .iter()
                .find(|u| u["subscriptionId"] == subscription)
                .cloned()
                .expect("the subscription's upcoming invoice")
        };
        let upcoming = upcoming_of(
            &billing.data::<Value>("upcoming", UPCOMING, json!({})).await,
            &fx.subscription,
        );
        let one_offs: Vec<(&Value, &Value, &Value)> = upcoming["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .filter(|l| l["kind"] == "ONE_OFF")
            .map(|l| {
                (
                    &l["description"],
                    &l["amount"]["amount"],
                    &l["tax"]["amount"],
                )
            })
            .collect();
        assert_eq!(
            one_offs,
            [
                (&json!("Setup"), &json!("30.86"), &json!("6.17")),
                (&json!("Porting fee"), &json!("50.00"), &json!("10.00")),
            ]
        );
        // 10 × €64 = €640 + €30.86 + €50 = €720.86; tax 128 + 6.17 + 10 = €144.17.
        assert_eq!(upcoming["total"]["amount"], "865.03");
        let demo = upcoming_of(
            &billing.data::<Value>("upcoming", UPCOMING, json!({})).await,
            oldest.as_str().expect("id"),
        );
        assert!(
            demo["lines"]
                .as_array()
                .expect("lines")
                .iter()
                .any(|l| l["description"] == "Training"),
            "{demo}"
        );
        // The portal's upcoming charges show them too.
        let (cookies, _) = signed_in(&app, "billing@acme.example").await;
        let html = unescape(&page(&app, &cookies, "/charges").await);
        assert!(
            html.contains("Porting fee") && html.contains("Training"),
            "{html}"
        );

        // The run bills them on the subscription's invoice, exactly as upcoming showed.
        let report = app
            .app
            .services
            .billing_runs
            .run("2026-05-01".parse().expect("date"))
            .await
            .expect("run");
        assert_eq!(report.invoiced.len(), 1, "{report:?}");
        let invoices: Value = staff
            .data(
                "invoices",
                "query I($id: ID!) { customer(id: $id) { invoices(first: 10) { nodes {
                    id subscriptionId lines { kind description amount { amount } tax { amount } }
                    total { amount } } } } }",
                json!({ "id": fx.customer }),
            )
            .await;
        let first = invoices["customer"]["invoices"]["nodes"][0].clone();
        assert_eq!(first["total"], upcoming["total"]);
        let billed: Vec<&Value> = first["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .filter(|l| l["kind"] == "ONE_OFF")
            .map(|l| &l["description"])
            .collect();
        assert_eq!(billed, [&json!("Setup"), &json!("Porting fee")]);
        let charges: Value = staff
            .data("charge rows", UNBILLED, json!({ "id": fx.customer }))
            .await;
        // Only the customer-level charge still waits (its subscription is not due yet).
        let waiting = charges["customer"]["unbilledCharges"]
            .as_array()
            .expect("list");
        assert_eq!(waiting.len(), 1, "{charges}");
        assert_eq!(waiting[0]["description"], "Training");
        let invoiced_id = created["charges"][1]["id"].clone();
        let row = one_off_charge::Entity::find_by_id(
            invoiced_id
                .as_str()
                .expect("id")
                .parse::<ids::ChargeId>()
                .expect("charge id"),
        )
        .one(app.app.db.reads())
        .await
        .expect("row")
        .expect("the charge is kept");
        assert_eq!(
            row.invoice_id.map(|i| i.to_string()),
            first["id"].as_str().map(str::to_owned)
        );

        // Not on the next invoice.
        let next = upcoming_of(
            &billing.data::<Value>("upcoming", UPCOMING, json!({})).await,
            &fx.subscription,
        );
        assert!(
            next["lines"]
                .as_array()
                .expect("lines")
                .iter()
                .all(|l| l["kind"] != "ONE_OFF"),
            "{next}"
        );
        let report = app
            .app
            .services
            .billing_runs
            .run("2026-06-01".parse().expect("date"))
            .await
            .expect("run");
        assert_eq!(report.invoiced.len(), 1, "{report:?}");
        let invoices: Value = staff
            .data(
                "invoices",
                "query I($id: ID!) { customer(id: $id) { invoices(first: 1) { nodes {
                    lines { kind } total { amount } } } } }",
                json!({ "id": fx.customer }),
            )
            .await;
        assert_eq!(
            invoices["customer"]["invoices"]["nodes"][0]["lines"],
            json!([{ "kind": "RECURRING" }])
        );

        // Staff delete the charge still waiting; an invoiced one is a conflict.
        let waiting_id = waiting[0]["id"].clone();
        let deleted = ok(&staff, DELETE, json!({ "chargeId": waiting_id })).await;
        assert_eq!(
            deleted["deleteUnbilledCharge"]["charge"]["description"],
            "Training"
        );
        assert_eq!(audit_count(&staff, &fx.customer, "charge.delete").await, 1);
        let after: Value = staff
            .data("unbilled", UNBILLED, json!({ "id": fx.customer }))
            .await;
        assert_eq!(after["customer"]["unbilledCharges"], json!([]));
        assert_code(
            &call(&staff, DELETE, json!({ "chargeId": waiting_id })).await,
            "NOT_FOUND",
        );
        assert_code(
            &call(&staff, DELETE, json!({ "chargeId": invoiced_id })).await,
            "CONFLICT",
        );
    }
);

e2e_test!(each_bad_field_is_named_and_nothing_is_written, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let setup = addon(&staff, "Setup", "EUR", "99").await;
    let license = staff
        .create_product(json!({ "name": "ADVANCED", "code": "adv-charges", "kind": "LICENSE" }))
        .await;
    let good = json!({ "description": "Cabling", "amount": "150" });
    let with = |second: Value| json!({ "customerId": acme, "timing": "INVOICE_NOW", "charges": [good.clone(), second] });
    let cases = [
        (
            json!({ "customerId": acme, "timing": "INVOICE_NOW", "charges": [] }),
            "input.charges",
        ),
        (
            with(json!({ "description": "X", "amount": "1", "productId": setup })),
            "input.charges.1.amount",
        ),
        (
            with(json!({ "description": "X" })),
            "input.charges.1.amount",
        ),
        (
            with(json!({ "description": "X", "amount": "-5" })),
            "input.charges.1.amount",
        ),
        (
            with(json!({ "description": "X", "amount": "12.345" })),
            "input.charges.1.amount",
        ),
        (
            with(json!({ "amount": "12" })),
            "input.charges.1.description",
        ),
        (
            with(json!({ "description": "x".repeat(501), "amount": "1" })),
            "input.charges.1.description",
        ),
        (
            with(json!({ "productId": setup, "quantity": "0" })),
            "input.charges.1.quantity",
        ),
        (
            with(json!({ "productId": setup, "quantity": "two" })),
            "input.charges.1.quantity",
        ),
        (
            with(json!({ "productId": setup, "unitPrice": "0.0000000000001" })),
            "input.charges.1.unitPrice",
        ),
        (
            with(json!({ "productId": license, "unitPrice": "1" })),
            "input.charges.1.productId",
        ),
        (
            with(json!({ "productId": "prod_nope" })),
            "input.charges.1.productId",
        ),
        (
            with(json!({ "description": "X", "amount": "1",
            "servicePeriodStart": "2026-05-02", "servicePeriodEnd": "2026-05-02" })),
            "input.charges.1.servicePeriodEnd",
        ),
        (
            with(json!({ "description": "X", "amount": "1", "servicePeriodStart": "2026-05-02" })),
            "input.charges.1.servicePeriodEnd",
        ),
        (
            json!({ "customerId": acme, "timing": "INVOICE_NOW", "charges": [good.clone()],
            "poNumber": "P".repeat(101) }),
            "input.poNumber",
        ),
        (
            json!({ "customerId": acme, "timing": "ADD_TO_UNBILLED", "charges": [good.clone()],
            "poNumber": "PO-1" }),
            "input.poNumber",
        ),
        (
            json!({ "customerId": acme, "timing": "ADD_TO_UNBILLED", "charges": [good.clone()],
            "notes": "hello" }),
            "input.notes",
        ),
        (
            json!({ "customerId": "cus_nope", "timing": "INVOICE_NOW", "charges": [good.clone()] }),
            "input.customerId",
        ),
    ];
    let before = written(&app).await;
    for (input, field) in &cases {
        assert_bad_input(&call(&staff, CREATE, input.clone()).await, field);
        // The preview refuses the same fields (it has no timing, PO rules aside).
        if input["timing"] == "INVOICE_NOW" {
            let mut preview = input.clone();
            preview.as_object_mut().expect("object").remove("timing");
            assert_bad_input(&call(&staff, PREVIEW, preview).await, field);
        }
    }
    assert_eq!(
        written(&app).await,
        before,
        "a refused request writes nothing"
    );

    // Ids that are well formed but unknown, or another customer's subscription: NOT_FOUND.
    let globex = staff.customer_id("Globex").await;
    let theirs: Value = staff
        .data(
            "subscriptions",
            "query S($id: ID!) { customer(id: $id) { subscriptions { id } } }",
            json!({ "id": globex }),
        )
        .await;
    let globex_subscription = theirs["customer"]["subscriptions"][0]["id"].clone();
    let mut foreign = with(good.clone());
    foreign["subscriptionId"] = globex_subscription;
    assert_code(&call(&staff, CREATE, foreign).await, "NOT_FOUND");
    let unknown_product = format!("prod_{}", uuid::Uuid::now_v7().simple());
    assert_code(
        &call(
            &staff,
            CREATE,
            with(json!({ "productId": unknown_product })),
        )
        .await,
        "NOT_FOUND",
    );
    let unknown_customer = format!("cus_{}", uuid::Uuid::now_v7().simple());
    let mut missing = with(good.clone());
    missing["customerId"] = json!(unknown_customer);
    assert_code(&call(&staff, CREATE, missing).await, "NOT_FOUND");
    assert_eq!(written(&app).await, before);

    // A cancelled subscription has no next invoice: its charges cannot wait for one, and a
    // customer with no active subscription left cannot add charges to unbilled either.
    let ours: Value = staff
        .data(
            "subscriptions",
            "query S($id: ID!) { customer(id: $id) { subscriptions { id } } }",
            json!({ "id": acme }),
        )
        .await;
    let acme_subscriptions: Vec<ids::SubscriptionId> = ours["customer"]["subscriptions"]
        .as_array()
        .expect("subscriptions")
        .iter()
        .map(|s| {
            s["id"]
                .as_str()
                .expect("id")
                .parse()
                .expect("subscription id")
        })
        .collect();
    assert!(!acme_subscriptions.is_empty());
    subscription::Entity::update_many()
        .col_expr(
            subscription::Column::Status,
            Expr::value(subscription::SubscriptionStatus::Cancelled),
        )
        .filter(subscription::Column::Id.is_in(acme_subscriptions.clone()))
        .exec(app.app.db.writes())
        .await
        .expect("cancel Acme's subscriptions");
    let before = written(&app).await;
    let unbilled = |subscription: Option<String>| {
        json!({ "customerId": acme, "subscriptionId": subscription,
                "timing": "ADD_TO_UNBILLED", "charges": [good.clone()] })
    };
    assert_bad_input(
        &call(
            &staff,
            CREATE,
            unbilled(Some(acme_subscriptions[0].to_string())),
        )
        .await,
        "input.subscriptionId",
    );
    assert_bad_input(&call(&staff, CREATE, unbilled(None)).await, "input.timing");
    assert_eq!(written(&app).await, before);
});

e2e_test!(customers_cannot_charge_or_see_charges, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let created = ok(
        &staff,
        CREATE,
        json!({ "customerId": acme, "timing": "ADD_TO_UNBILLED",
                "charges": [{ "description": "Training", "amount": "80" }] }),
    )
    .await;
    let charge = created["createCharges"]["charges"][0]["id"].clone();
    let details = json!({ "customerId": acme,
        "charges": [{ "description": "Free money", "amount": "1" }] });
    let mut create = details.clone();
    create["timing"] = json!("INVOICE_NOW");
    let before = written(&app).await;
    for session in [
        app.as_owner("Acme Telecom").await,
        app.as_billing_admin("Acme Telecom").await,
        app.as_viewer("Acme Telecom").await,
    ] {
        assert_code(&call(&session, PREVIEW, details.clone()).await, "FORBIDDEN");
        assert_code(&call(&session, CREATE, create.clone()).await, "FORBIDDEN");
        assert_code(
            &call(&session, DELETE, json!({ "chargeId": charge })).await,
            "FORBIDDEN",
        );
        let list = session
            .graphql(
                "{ viewer { organisation { unbilledCharges { id } } } }",
                json!({}),
            )
            .await;
        assert_code(&list, "FORBIDDEN");
    }
    assert_eq!(written(&app).await, before);
});

e2e_test!(unpaid_invoices_are_confirmed_before_charging, |app| {
    tests::bill_demo_next_period(&app).await;
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let open: Value = staff
        .data(
            "invoices",
            "query I($id: ID!) { customer(id: $id) { invoices(first: 10, status: OPEN) {
                nodes { id amountDue { amount } } } } }",
            json!({ "id": acme }),
        )
        .await;
    let nodes = open["customer"]["invoices"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone();
    assert_eq!(nodes.len(), 1, "{open}");
    let input = |timing: &str, confirm: bool| {
        json!({ "customerId": acme, "timing": timing, "confirmUnpaidInvoices": confirm,
                "charges": [{ "description": "Porting fee", "amount": "50" }] })
    };

    // The preview shows them, so staff see the question before sending.
    let mut preview = input("INVOICE_NOW", false);
    for field in ["timing", "confirmUnpaidInvoices"] {
        preview.as_object_mut().expect("object").remove(field);
    }
    let previewed = ok(&staff, PREVIEW, preview).await;
    assert_eq!(
        previewed["previewCharges"]["unpaidInvoices"],
        json!({ "count": 1, "amountDue": { "amount": nodes[0]["amountDue"]["amount"] } })
    );

    let before = written(&app).await;
    for timing in ["INVOICE_NOW", "ADD_TO_UNBILLED"] {
        let refused = call(&staff, CREATE, input(timing, false)).await;
        assert_code(&refused, "UNPAID_INVOICES");
        let extensions = &refused["errors"][0]["extensions"];
        assert_eq!(extensions["unpaidInvoices"], 1, "{refused}");
        assert_eq!(
            extensions["amountDue"], nodes[0]["amountDue"]["amount"],
            "{refused}"
        );
        assert_eq!(extensions["currency"], "EUR");
        let message = refused["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains("1 unpaid invoice (€"), "{message}");
    }
    assert_eq!(written(&app).await, before, "a refusal writes nothing");

    let confirmed = ok(&staff, CREATE, input("INVOICE_NOW", true)).await;
    assert_eq!(confirmed["createCharges"]["invoice"]["status"], "OPEN");

    // Once the invoices are paid, no confirmation is needed.
    let open: Value = staff
        .data(
            "invoices",
            "query I($id: ID!) { customer(id: $id) { invoices(first: 10, status: OPEN) { nodes { id } } } }",
            json!({ "id": acme }),
        )
        .await;
    for node in open["customer"]["invoices"]["nodes"]
        .as_array()
        .expect("nodes")
    {
        ok(
            &staff,
            "mutation M($input: SettleInvoiceInput!) { markInvoicePaid(input: $input) { invoice { id } } }",
            json!({ "invoiceId": node["id"] }),
        )
        .await;
    }
    let unbilled = ok(&staff, CREATE, input("ADD_TO_UNBILLED", false)).await;
    assert_eq!(
        unbilled["createCharges"]["charges"][0]["description"],
        "Porting fee"
    );
});
