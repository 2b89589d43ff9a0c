//! Unbilled charges: on a subscription or the customer's oldest active one, shown in upcoming
//! charges (GraphQL and portal), billed by the run once and not again, deleted while waiting.

use entity::one_off_charge;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tests::html::{page, signed_in, unescape};
use tests::{LicenseItemFixture, assert_bad_input, assert_code, e2e_test};

use super::{CREATE, DELETE, UNBILLED, UPCOMING, addon, audit_count, call, ok, written};
use crate::licenses::APRIL_2;

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
                "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id } } } }",
                json!({ "id": fx.customer }),
            )
            .await;
        let oldest = subscriptions["customer"]["subscriptions"]["nodes"][0]["id"].clone();
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
