//! GraphQL types of the accounts slice: users, sign-in, organisations' teams and members.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{customer, member, team, user};

use crate::auth::Role;
use crate::graphql::context::ContextExt;

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

    /// Whether the account is disabled: it cannot sign in, and its tokens are refused.
    async fn disabled(&self) -> bool {
        self.0.disabled
    }

    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
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

/// Lifecycle of a customer organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum CustomerStatus {
    /// Billed and allowed to sign in.
    Active,
    /// Temporarily blocked by the operator.
    Suspended,
    /// The relationship has ended.
    Closed,
}

impl From<customer::CustomerStatus> for CustomerStatus {
    fn from(status: customer::CustomerStatus) -> Self {
        match status {
            customer::CustomerStatus::Active => CustomerStatus::Active,
            customer::CustomerStatus::Suspended => CustomerStatus::Suspended,
            customer::CustomerStatus::Closed => CustomerStatus::Closed,
        }
    }
}

/// A team of a customer organisation.
pub struct Team(pub team::Model);

#[Object]
impl Team {
    /// Opaque id (`team_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    /// Team name, unique within the organisation.
    async fn name(&self) -> &str {
        &self.0.name
    }
}

/// A person of a customer organisation who uses the service.
pub struct Member {
    member: member::Model,
    team: Option<Team>,
    /// License seats held, when read with the member (a page of members reads them at once).
    seats: Option<u32>,
}

impl Member {
    /// A member with its team, when known.
    pub fn new(member: member::Model, team: Option<team::Model>) -> Self {
        Self {
            member,
            team: team.map(Team),
            seats: None,
        }
    }

    /// A member with its team and the number of license seats it holds.
    pub fn with_seats(member: member::Model, team: Option<team::Model>, seats: u32) -> Self {
        Self {
            seats: Some(seats),
            ..Self::new(member, team)
        }
    }
}

#[Object]
impl Member {
    /// Opaque id (`mem_…`).
    async fn id(&self) -> ID {
        self.member.id.into()
    }

    /// Full name.
    async fn name(&self) -> &str {
        &self.member.name
    }

    /// E-mail address, if known.
    async fn email(&self) -> Option<&str> {
        self.member.email.as_deref()
    }

    /// The member's team, if any.
    async fn team(&self) -> Option<&Team> {
        self.team.as_ref()
    }

    /// How many license seats the member holds. A member who holds one cannot be removed
    /// until it is unassigned.
    async fn license_count(&self, ctx: &Context<'_>) -> Result<u32> {
        if let Some(seats) = self.seats {
            return Ok(seats);
        }
        Ok(ctx
            .services()
            .members
            .seats_held(ctx.actor(), self.member.id)
            .await?)
    }
}
