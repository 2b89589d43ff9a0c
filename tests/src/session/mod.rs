//! Typed test sessions: a signed-in user of a [`TestApp`] who knows their organisation, with
//! one method per operation the tests repeat (crates.io's `TestApp::db_new_user` and
//! `MockTokenUser`, here over GraphQL).
//!
//! Each operation has a typed form that panics, naming the operation and the body, when the
//! response has errors, and a `try_…` form returning the raw body for tests that expect them.
//! The operations live beside their slice: [`licenses`] for customer users, [`catalog`] for
//! what operator staff set up.

mod catalog;
mod licenses;

use api::seed::{DEMO_ADMIN_EMAIL, DEMO_ORGANISATIONS};
use entity::user::UserRole;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::TestApp;

pub use catalog::CreatedSubscription;
pub use licenses::{
    AppliedChange, AppliedQuote, ChargeLine, ItemCounts, LicenseItem, Money, Quote, Seat,
    UpcomingCharges,
};

/// A customer role of a demo organisation (each has one login per role).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Owns the organisation: everything a billing admin may, and more.
    Owner,
    /// Changes licenses and seats.
    BillingAdmin,
    /// Reads only.
    Viewer,
}

impl Role {
    /// The server's role of the same name, which picks the demo login.
    fn user_role(self) -> UserRole {
        match self {
            Role::Owner => UserRole::Owner,
            Role::BillingAdmin => UserRole::BillingAdmin,
            Role::Viewer => UserRole::Viewer,
        }
    }
}

/// A customer organisation as its own users see it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct Organisation {
    /// `cus_…`.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A signed-in user of one server: the token, and the organisation it belongs to (none for
/// operator staff).
pub struct Session<'app> {
    app: &'app TestApp,
    email: String,
    token: String,
    organisation: Option<Organisation>,
}

impl TestApp {
    /// Signs in the owner of the demo organisation named `organisation`.
    pub async fn as_owner(&self, organisation: &str) -> Session<'_> {
        self.as_role(organisation, Role::Owner).await
    }

    /// Signs in the billing admin of the demo organisation named `organisation`.
    pub async fn as_billing_admin(&self, organisation: &str) -> Session<'_> {
        self.as_role(organisation, Role::BillingAdmin).await
    }

    /// Signs in the viewer of the demo organisation named `organisation`.
    pub async fn as_viewer(&self, organisation: &str) -> Session<'_> {
        self.as_role(organisation, Role::Viewer).await
    }

    /// Signs in the demo login with `role` of the demo organisation named `organisation`.
    pub async fn as_role(&self, organisation: &str, role: Role) -> Session<'_> {
        let demo = DEMO_ORGANISATIONS
            .iter()
            .find(|o| o.name == organisation)
            .unwrap_or_else(|| panic!("no demo organisation named {organisation}"));
        let session = self.as_user(&demo.login(role.user_role())).await;
        assert_eq!(
            session.organisation().map(|o| o.name.as_str()),
            Some(organisation),
            "the demo {role:?} of {organisation} belongs to it"
        );
        session
    }

    /// Signs in the demo operator administrator.
    pub async fn as_staff(&self) -> Session<'_> {
        self.as_user(DEMO_ADMIN_EMAIL).await
    }

    /// Signs in the demo operator's billing staff (role `staff`).
    pub async fn as_billing_staff(&self) -> Session<'_> {
        self.as_user(api::seed::DEMO_BILLING_STAFF_EMAIL).await
    }

    /// Signs in the demo operator's support (role `support`: reads and document review).
    pub async fn as_support(&self) -> Session<'_> {
        self.as_user(api::seed::DEMO_SUPPORT_EMAIL).await
    }

    /// Signs in any user with the demo password (demo logins, or users a test created with it).
    pub async fn as_user(&self, email: &str) -> Session<'_> {
        let token = self.login(email).await;
        let mut session = Session {
            app: self,
            email: email.to_owned(),
            token,
            organisation: None,
        };
        let viewer: Value = session
            .data(
                "viewer",
                "{ viewer { organisation { id name } } }",
                json!({}),
            )
            .await;
        session.organisation = serde_json::from_value(viewer["viewer"]["organisation"].clone())
            .unwrap_or_else(|e| panic!("the organisation of {email}: {e}: {viewer}"));
        session
    }
}

impl<'app> Session<'app> {
    /// The server this session signed in to.
    pub fn app(&self) -> &'app TestApp {
        self.app
    }

    /// The bearer token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The e-mail the user signed in with.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The user's organisation; `None` for operator staff.
    pub fn organisation(&self) -> Option<&Organisation> {
        self.organisation.as_ref()
    }

    /// The id (`cus_…`) of the user's organisation. Panics for operator staff, who have none.
    pub fn organisation_id(&self) -> &str {
        match &self.organisation {
            Some(organisation) => &organisation.id,
            None => panic!("{} is operator staff: no organisation", self.email),
        }
    }

    /// The same user, with the same token, on another server (a peer on the same database).
    pub fn on<'other>(&self, app: &'other TestApp) -> Session<'other> {
        Session {
            app,
            email: self.email.clone(),
            token: self.token.clone(),
            organisation: self.organisation.clone(),
        }
    }

    /// Sends a GraphQL request as this user; returns the response body, errors included.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.app
            .graphql(query, variables, Some(&self.token))
            .await
            .1
    }

    /// Sends a GraphQL request that must succeed; returns its `data`. Panics naming
    /// `operation` and showing the body when the response has errors.
    pub async fn data<T: DeserializeOwned>(
        &self,
        operation: &str,
        query: &str,
        variables: Value,
    ) -> T {
        let body = self.graphql(query, variables).await;
        if !body["errors"].is_null() || body["data"].is_null() {
            panic!("{operation} as {} failed: {body}", self.email);
        }
        serde_json::from_value(body["data"].clone()).unwrap_or_else(|e| {
            panic!(
                "{operation} as {}: unexpected data ({e}): {body}",
                self.email
            )
        })
    }

    /// The ids (`mem_…`) of the first hundred members of the user's organisation.
    pub async fn member_ids(&self) -> Vec<String> {
        let data: Value = self
            .data(
                "members",
                "{ viewer { organisation { members(first: 100) { nodes { id } } } } }",
                json!({}),
            )
            .await;
        data["viewer"]["organisation"]["members"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("members of {}: {data}", self.email))
            .iter()
            .map(|m| m["id"].as_str().expect("member id").to_owned())
            .collect()
    }

    /// How many entries with `action` (e.g. `license.add`) the organisation's audit log has
    /// among its latest hundred.
    pub async fn audit_count(&self, action: &str) -> usize {
        let data: Value = self
            .data(
                "auditLog",
                "{ viewer { organisation { auditLog(first: 100) { nodes { action } } } } }",
                json!({}),
            )
            .await;
        data["viewer"]["organisation"]["auditLog"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("audit log of {}: {data}", self.email))
            .iter()
            .filter(|entry| entry["action"] == action)
            .count()
    }
}

/// A `{ nodes { … } }` connection read as the list of its nodes.
fn nodes<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    #[derive(serde::Deserialize)]
    struct Connection<T> {
        nodes: Vec<T>,
    }
    serde::Deserialize::deserialize(deserializer).map(|c: Connection<T>| c.nodes)
}

/// An optional `{ id }` object read as its id.
fn optional_id<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(serde::Deserialize)]
    struct Node {
        id: String,
    }
    serde::Deserialize::deserialize(deserializer).map(|n: Option<Node>| n.map(|n| n.id))
}

/// Reads one part of a response's data as `T`, naming the operation when it does not fit.
fn parse<T: DeserializeOwned>(operation: &str, value: &Value) -> T {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{operation}: unexpected shape ({e}): {value}"))
}
