//! Payment methods: added, listed with brand, last four and expiry only, one default, removal
//! refused while an open invoice relies on the default; viewers change nothing; and no card
//! number or IBAN anywhere in the database.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use tests::{assert_code, assert_ok, e2e_test};

use super::*;

e2e_test!(
    methods_list_brand_last_four_and_expiry_with_one_default,
    |app| {
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = app.customer_id("Acme Telecom").await;
        let body = add_card(&billing, &acme, SUCCEEDS, false).await;
        let first = &body["data"]["addCard"]["paymentMethod"];
        assert_eq!(
            first,
            &json!({ "id": first["id"], "kind": "CARD", "brand": "visa", "last4": "4242",
            "expMonth": 12, "expYear": 2040, "isDefault": true, "label": "Visa •••• 4242" }),
            "the first method is the default: {body}"
        );
        let sepa = billing
        .graphql(
            ADD_SEPA,
            json!({ "input": { "customerId": acme, "iban": IBAN_OK, "holderName": "Acme Telecom SA" } }),
        )
        .await;
        let sepa = &sepa["data"]["addSepaDebit"]["paymentMethod"];
        assert_eq!(sepa["last4"], "3000", "{sepa}");
        assert_eq!(sepa["isDefault"], false);
        assert_eq!(sepa["label"], "SEPA Direct Debit •••• 3000");
        let set = billing
        .graphql(
            "mutation S($input: SetDefaultPaymentMethodInput!) { setDefaultPaymentMethod(input: $input) { paymentMethod { id isDefault } } }",
            json!({ "input": { "paymentMethodId": sepa["id"] } }),
        )
        .await;
        assert_ok(&set);
        let listed: serde_json::Value = billing
            .data(
                "methods",
                "{ viewer { organisation { paymentMethods { id isDefault } } } }",
                json!({}),
            )
            .await;
        let listed = listed["viewer"]["organisation"]["paymentMethods"].clone();
        assert_eq!(
            listed,
            json!([{ "id": sepa["id"], "isDefault": true }, { "id": first["id"], "isDefault": false }])
        );
        assert_eq!(billing.audit_count("payment_method.added").await, 2);
        assert_eq!(billing.audit_count("payment_method.default").await, 1);

        // Viewers read them and change nothing.
        let viewer = app.as_viewer("Acme Telecom").await;
        assert_code(
            &add_card(&viewer, &acme, SUCCEEDS, false).await,
            "FORBIDDEN",
        );
        let refused = [
            viewer
                .graphql(
                    ADD_SEPA,
                    json!({ "input": { "customerId": acme, "iban": IBAN_OK,
                        "holderName": "Acme Telecom" } }),
                )
                .await,
            viewer
                .graphql(
                    "mutation D($input: SetDefaultPaymentMethodInput!) {
                        setDefaultPaymentMethod(input: $input) { paymentMethod { id } } }",
                    json!({ "input": { "paymentMethodId": first["id"] } }),
                )
                .await,
            viewer
                .graphql(
                    "mutation R($input: RemovePaymentMethodInput!) {
                        removePaymentMethod(input: $input) { removedPaymentMethodId } }",
                    json!({ "input": { "paymentMethodId": first["id"] } }),
                )
                .await,
        ];
        for body in &refused {
            assert_code(body, "FORBIDDEN");
        }
        // And nothing changed.
        let after: serde_json::Value = billing
            .data(
                "methods",
                "{ viewer { organisation { paymentMethods { id isDefault } } } }",
                json!({}),
            )
            .await;
        assert_eq!(after["viewer"]["organisation"]["paymentMethods"], listed);
    }
);

e2e_test!(
    the_default_method_is_not_removed_while_an_open_invoice_relies_on_it,
    |app| {
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = app.customer_id("Acme Telecom").await;
        let default = card(&billing, &acme, SUCCEEDS, true).await;
        let other = card(&billing, &acme, DECLINED, false).await;
        const REMOVE: &str = "mutation R($input: RemovePaymentMethodInput!) { removePaymentMethod(input: $input) { removedPaymentMethodId } }";
        // Nothing open yet: the other one goes.
        assert_ok(
            &billing
                .graphql(REMOVE, json!({ "input": { "paymentMethodId": other } }))
                .await,
        );
        let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
        let refused = billing
            .graphql(REMOVE, json!({ "input": { "paymentMethodId": default } }))
            .await;
        assert_code(&refused, "CONFLICT");
        assert_eq!(
            refused["errors"][0]["extensions"]["reason"],
            "DEFAULT_METHOD_IN_USE"
        );
        // Paid, nothing relies on it any more.
        let paid = pay(&billing, &invoice, None, None).await;
        assert_eq!(
            paid["data"]["payInvoice"]["attempt"]["status"], "SUCCEEDED",
            "{paid}"
        );
        assert_ok(
            &billing
                .graphql(REMOVE, json!({ "input": { "paymentMethodId": default } }))
                .await,
        );
        assert_eq!(billing.audit_count("payment_method.removed").await, 2);
    }
);

e2e_test!(no_card_number_or_iban_is_kept_in_the_database, |app| {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let acme = app.customer_id("Acme Telecom").await;
    let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
    let body = billing
        .graphql(
            ADD_CARD,
            json!({ "input": { "customerId": acme, "number": SUCCEEDS, "expMonth": 12,
                "expYear": 2040, "cvc": "987", "makeDefault": true } }),
        )
        .await;
    assert_ok(&body);
    assert_ok(
        &billing
            .graphql(
                ADD_SEPA,
                json!({ "input": { "customerId": acme, "iban": IBAN_OK, "holderName": "Acme" } }),
            )
            .await,
    );
    let paid = pay(&billing, &invoice, None, None).await;
    assert_ok(&paid);

    // Every column of every table, as text.
    let db = app.app.db.reads();
    let backend = db.get_database_backend();
    let columns_sql = match backend {
        DbBackend::Postgres => {
            "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema()"
        }
        _ => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        }
    };
    let columns = db
        .query_all_raw(Statement::from_string(backend, columns_sql))
        .await
        .expect("columns");
    let mut text = String::new();
    for column in columns {
        let table: String = column.try_get("", "t").expect("table");
        let name: String = column.try_get("", "c").expect("column");
        let sql = format!("SELECT CAST(\"{name}\" AS TEXT) AS v FROM \"{table}\"");
        for row in db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .expect("values")
        {
            if let Ok(Some(value)) = row.try_get::<Option<String>>("", "v") {
                text.push_str(&value);
                text.push('\n');
            }
        }
    }
    assert!(text.contains("4242"), "the last four are kept");
    for secret in [
        "4242424242424242",
        "4242 4242 4242 4242",
        "DE89370400440532013000",
        "DE89 3704",
        "0532013000",
    ] {
        assert!(!text.contains(secret), "{secret} is stored somewhere");
    }
});

e2e_test!(a_method_of_another_processor_is_never_charged, |app| {
    use sea_orm::EntityTrait;
    let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
    // A default card saved when Stripe was the processor; the sandbox runs now.
    let customer: ids::CustomerId = acme.parse().expect("customer id");
    let stale = entity::payment_method::Model {
        id: ids::PaymentMethodId::new(),
        customer_id: customer,
        kind: entity::payment_method::MethodKind::Card,
        processor: "stripe".into(),
        processor_customer: "cus_from_stripe".into(),
        processor_method: "pm_from_stripe".into(),
        brand: Some("visa".into()),
        last4: "4242".into(),
        exp_month: Some(12),
        exp_year: Some(2040),
        holder_name: None,
        is_default: true,
        created_at: chrono::Utc::now(),
    };
    entity::payment_method::Entity::insert(entity::payment_method::ActiveModel::from(stale))
        .exec_without_returning(app.app.db.writes())
        .await
        .expect("insert");
    let report = app.app.services.payments.collect_due().await.expect("tick");
    assert_eq!(report.charged, 0, "{report:?}");
    let billing = app.as_billing_admin("Acme Telecom").await;
    let body = pay(&billing, &invoice, None, None).await;
    assert_eq!(
        body["errors"][0]["extensions"]["reason"], "NO_PAYMENT_METHOD",
        "{body}"
    );
    assert!(sandbox_charges(&app, &invoice).await.is_empty());
    assert_eq!(attempts_of(&app, &invoice).await.len(), 0);
});

e2e_test!(
    an_organisation_keeps_at_most_twenty_payment_methods,
    |app| {
        let acme = app.customer_id("Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        for _ in 0..20 {
            card(&billing, &acme, SUCCEEDS, false).await;
        }
        let refused = add_card(&billing, &acme, SUCCEEDS, false).await;
        assert_code(&refused, "CONFLICT");
        assert_eq!(
            refused["errors"][0]["extensions"]["reason"], "TOO_MANY_PAYMENT_METHODS",
            "{refused}"
        );
        let sepa = billing
            .graphql(
                ADD_SEPA,
                json!({ "input": { "customerId": acme, "iban": IBAN_OK, "holderName": "Acme" } }),
            )
            .await;
        assert_code(&sepa, "CONFLICT");
        let listed: Value = billing
            .data(
                "methods",
                "query M($id: ID!) { customer(id: $id) { paymentMethods { id } } }",
                json!({ "id": acme }),
            )
            .await;
        assert_eq!(
            listed["customer"]["paymentMethods"]
                .as_array()
                .map(Vec::len),
            Some(20),
            "nothing saved past the bound: {listed}"
        );
    }
);
