//! Refusals: every bad field named with nothing written, unknown or foreign ids not found,
//! customers forbidden, unpaid invoices confirmed first.

use entity::subscription;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{assert_bad_input, assert_code, e2e_test};

use super::{CREATE, DELETE, PREVIEW, addon, call, ok, written};

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
            "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id } } } }",
            json!({ "id": globex }),
        )
        .await;
    let globex_subscription = theirs["customer"]["subscriptions"]["nodes"][0]["id"].clone();
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
            "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id } } } }",
            json!({ "id": acme }),
        )
        .await;
    let acme_subscriptions: Vec<ids::SubscriptionId> = ours["customer"]["subscriptions"]["nodes"]
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
