//! GraphQL types of the customers area.

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, ID, MergedObject, Object, Result};
use chrono::{DateTime, Utc};
use entity::{customer, member, team};

use crate::graphql::accounts::User;
use crate::graphql::audit::AuditEntry;
use crate::graphql::context::ContextExt;
use crate::graphql::licenses::{LicenseItem, UpcomingInvoice};
use crate::graphql::money::parse_id;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::graphql::subscriptions::Subscription;
use ids::CustomerId;

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

/// A customer organisation (tenant).
#[derive(MergedObject)]
pub struct Customer(CustomerProfile, CustomerBilling);

impl Customer {
    /// Wraps a customer row.
    pub fn from_row(row: customer::Model) -> Self {
        Customer(CustomerProfile(row.clone()), CustomerBilling(row))
    }
}

/// Who the organisation is: identity, teams, members.
pub struct CustomerProfile(customer::Model);

/// What the organisation buys: subscriptions, licenses, upcoming charges, audit log.
pub struct CustomerBilling(customer::Model);

impl CustomerBilling {
    fn id(&self) -> CustomerId {
        self.0.id
    }
}

#[Object]
impl CustomerProfile {
    /// Opaque id (`cus_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Legal company name, when it differs from the display name.
    async fn company(&self) -> Option<&str> {
        self.0.company.as_deref()
    }

    /// Main billing e-mail address.
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// ISO 4217 currency code the customer is billed in.
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// IANA time zone in which billing days are counted.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }

    /// Lifecycle status.
    async fn status(&self) -> CustomerStatus {
        self.0.status.into()
    }

    /// When the organisation was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The organisation's teams, oldest first.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn teams(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many teams (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last team of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, Team>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .customers
            .teams(ctx.actor(), self.0.id, request)
            .await?;
        Ok(connection(page, |t| t.id, Team, after.is_some()))
    }

    /// The organisation's portal logins, oldest first.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many users (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last user of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, User>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .customers
            .users(ctx.actor(), self.0.id, request)
            .await?;
        Ok(connection(page, |u| u.id, User, after.is_some()))
    }

    /// The people of the organisation who use the service, oldest first.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many members (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last member of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, Member>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .customers
            .members(ctx.actor(), self.0.id, request)
            .await?;
        Ok(connection(
            page,
            |(m, _)| m.id,
            |(member, team)| Member {
                member,
                team: team.map(Team),
            },
            after.is_some(),
        ))
    }
}

#[Object]
impl CustomerBilling {
    /// The organisation's subscriptions, oldest first.
    async fn subscriptions(&self, ctx: &Context<'_>) -> Result<Vec<Subscription>> {
        let rows = ctx
            .services()
            .subscriptions
            .of_customer(ctx.actor(), self.id())
            .await?;
        Ok(rows.into_iter().map(Subscription).collect())
    }

    /// The organisation's license items (one per license product and subscription).
    async fn licenses(&self, ctx: &Context<'_>) -> Result<Vec<LicenseItem>> {
        let items = ctx.services().licenses.items(ctx.actor(), &self.0).await?;
        Ok(items.into_iter().map(LicenseItem).collect())
    }

    /// One of the organisation's license items (`si_…`), e.g. to page through its seats.
    /// Another organisation's item answers `NOT_FOUND`, as one that does not exist.
    async fn license_item(&self, ctx: &Context<'_>, id: ID) -> Result<LicenseItem> {
        let id = parse_id(&id, "id")?;
        let item = ctx
            .services()
            .licenses
            .item_of(ctx.actor(), &self.0, id)
            .await?;
        Ok(LicenseItem(item))
    }

    /// The next invoice of each active subscription, as the billing run would build it today.
    async fn upcoming_charges(&self, ctx: &Context<'_>) -> Result<Vec<UpcomingInvoice>> {
        let invoices = ctx
            .services()
            .upcoming
            .for_customer(ctx.actor(), &self.0)
            .await?;
        Ok(invoices.into_iter().map(UpcomingInvoice).collect())
    }

    /// Changes to the organisation's money and access, newest first.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many entries (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last entry of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, AuditEntry>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .customers
            .audit_log(ctx.actor(), self.id(), request)
            .await?;
        Ok(connection(page, |e| e.id, AuditEntry, after.is_some()))
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
}

impl Member {
    /// A member with its team, when known.
    pub fn new(member: member::Model, team: Option<team::Model>) -> Self {
        Self {
            member,
            team: team.map(Team),
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
}
