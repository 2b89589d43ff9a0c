//! GraphQL types of the accounts area.

use async_graphql::{ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::user;

use crate::auth::Role;
use crate::graphql::customers::Customer;

/// A person who can sign in: operator staff or a user of a customer organisation.
pub struct User(pub user::Model);

#[Object]
impl User {
    /// Opaque id (`usr_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    /// Sign-in e-mail address.
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What the user may do.
    async fn role(&self) -> Role {
        self.0.role.into()
    }

    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The signed-in user and, for a customer user, their organisation.
#[derive(SimpleObject)]
pub struct Viewer {
    /// The signed-in user.
    pub user: User,
    /// The customer organisation of a customer user; null for operator staff.
    pub organisation: Option<Customer>,
}

/// Credentials for `login`.
#[derive(InputObject)]
pub struct LoginInput {
    /// Sign-in e-mail address (case-insensitive).
    pub email: String,
    /// Password.
    pub password: String,
}

/// Result of a successful `login`.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Bearer token for the `Authorization` header.
    pub token: String,
    /// When the token stops being accepted.
    pub expires_at: DateTime<Utc>,
    /// The signed-in user.
    pub user: User,
}
