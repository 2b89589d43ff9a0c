//! What operator staff set up for the other slices: organisations' ids, products, prices and
//! subscriptions. Inputs are the GraphQL inputs as JSON, so a test can send exactly the
//! (broken) input it means to; fixtures wrap them in builders.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Session, parse};

const CREATE_PRODUCT: &str =
    "mutation P($input: CreateProductInput!) { createProduct(input: $input) {
    product { id } } }";

const CREATE_PRICE: &str = "mutation P($input: CreatePriceInput!) { createPrice(input: $input) {
    price { id version } } }";

const CREATE_SUBSCRIPTION: &str = "mutation S($input: CreateSubscriptionInput!) {
    createSubscription(input: $input) { subscription { id items { id } } } }";

/// A subscription just created, with the ids of its items in input order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedSubscription {
    /// `sub_…`.
    pub id: String,
    /// `si_…`, one per input item.
    pub items: Vec<String>,
}

impl Session<'_> {
    /// The id (`cus_…`) of the organisation named `name`, among the first hundred this user
    /// may list (staff: all of them).
    pub async fn customer_id(&self, name: &str) -> String {
        let data: Value = self
            .data(
                "customers",
                "{ customers(first: 100) { nodes { id name } } }",
                json!({}),
            )
            .await;
        data["customers"]["nodes"]
            .as_array()
            .and_then(|nodes| nodes.iter().find(|n| n["name"] == name))
            .and_then(|n| n["id"].as_str())
            .unwrap_or_else(|| panic!("no customer named {name}: {data}"))
            .to_owned()
    }

    /// Sends `createProduct` with `input`; returns the raw body.
    pub async fn try_create_product(&self, input: Value) -> Value {
        self.graphql(CREATE_PRODUCT, json!({ "input": input }))
            .await
    }

    /// Creates a product, which must succeed; returns its id (`prod_…`).
    pub async fn create_product(&self, input: Value) -> String {
        let data: Value = self
            .data("createProduct", CREATE_PRODUCT, json!({ "input": input }))
            .await;
        parse("createProduct", &data["createProduct"]["product"]["id"])
    }

    /// Sends `createPrice` with `input`; returns the raw body.
    pub async fn try_create_price(&self, input: Value) -> Value {
        self.graphql(CREATE_PRICE, json!({ "input": input })).await
    }

    /// Creates a price, which must succeed; returns its id (`price_…`).
    pub async fn create_price(&self, input: Value) -> String {
        let data: Value = self
            .data("createPrice", CREATE_PRICE, json!({ "input": input }))
            .await;
        parse("createPrice", &data["createPrice"]["price"]["id"])
    }

    /// Creates a subscription, which must succeed.
    pub async fn create_subscription(&self, input: Value) -> CreatedSubscription {
        #[derive(Deserialize)]
        struct Item {
            id: String,
        }
        #[derive(Deserialize)]
        struct Created {
            id: String,
            items: Vec<Item>,
        }
        let data: Value = self
            .data(
                "createSubscription",
                CREATE_SUBSCRIPTION,
                json!({ "input": input }),
            )
            .await;
        let created: Created = parse(
            "createSubscription",
            &data["createSubscription"]["subscription"],
        );
        CreatedSubscription {
            id: created.id,
            items: created.items.into_iter().map(|i| i.id).collect(),
        }
    }
}
