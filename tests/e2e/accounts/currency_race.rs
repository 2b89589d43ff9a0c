//! A customer's currency changes only while nothing is priced in it, also when the change and
//! a pricing write run at the same time: the pricing write either commits first (and the
//! change is refused, `CURRENCY_IN_USE`) or finds the currency changed and writes nothing.
//! The change is played here by a transaction of the test's own, holding the customer's row
//! the way `updateCustomer` does while a subscription is created.

use std::time::Duration;

use entity::customer;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{Value, json};
use tests::{assert_ok, e2e_test};

const CREATE_SUBSCRIPTION: &str = "mutation S($input: CreateSubscriptionInput!) {
    createSubscription(input: $input) { subscription { id } } }";

e2e_test!(
    a_subscription_priced_while_the_currency_changes_is_not_written,
    |app| {
        let staff = app.as_staff().await;
        let body = staff
        .graphql(
            "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }",
            json!({ "input": { "name": "Initech", "email": "ap@initech.example",
                "currency": "EUR", "timeZone": "Europe/Paris" } }),
        )
        .await;
        assert_ok(&body);
        let initech = body["data"]["createCustomer"]["customer"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let product = staff
            .create_product(json!({ "name": "Support", "code": "support-race", "kind": "SERVICE" }))
            .await;
        let price = staff
            .create_price(
                json!({ "productId": product, "currency": "EUR", "interval": "MONTH",
            "model": "PER_UNIT", "unitAmount": "10" }),
            )
            .await;
        let id: ids::CustomerId = initech.parse().expect("customer id");

        // The change in flight: the customer's row held, as `updateCustomer` holds it.
        let db = &app.app.db;
        let change = db.begin_tenant_write().await.expect("begin");
        if db.backend() == DbBackend::Postgres {
            customer::Entity::find_by_id(id)
                .lock_exclusive()
                .one(&change)
                .await
                .expect("lock");
        }
        let create = staff.graphql(
            CREATE_SUBSCRIPTION,
            json!({ "input": { "customerId": initech, "anchorDate": "2026-12-01",
            "interval": "MONTH", "items": [{ "priceId": price, "quantity": 1 }] } }),
        );
        let commit_change = async {
            // Long enough for the subscription to be priced in euros and wait at its commit.
            tokio::time::sleep(Duration::from_millis(500)).await;
            customer::Entity::update_many()
                .col_expr(customer::Column::Currency, Expr::value("USD"))
                .filter(customer::Column::Id.eq(id))
                .exec(&change)
                .await
                .expect("currency");
            change.commit(id).await.expect("commit");
        };
        let (body, ()) = tokio::join!(create, commit_change);

        // PostgreSQL: priced in euros before the change, refused at its commit (CONFLICT);
        // SQLite: the single writer made it wait, and it then read dollars (BAD_USER_INPUT on the
        // price). Either way no euro subscription belongs to a dollar customer.
        let code = tests::error_code(&body);
        assert!(
            matches!(code, Some("CONFLICT" | "BAD_USER_INPUT")),
            "{body}"
        );
        let listed: Value = staff
            .data(
                "subscriptions",
                "query S($id: ID!) { customer(id: $id) { currency subscriptions { nodes { id } } } }",
                json!({ "id": initech }),
            )
            .await;
        assert_eq!(listed["customer"]["currency"], "USD");
        assert_eq!(
            listed["customer"]["subscriptions"]["nodes"],
            json!([]),
            "{body}"
        );
    }
);
