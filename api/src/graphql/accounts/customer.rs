//! The accounts slice's fields of `Customer`: who the organisation is, its teams, users and
//! members, contacts and billing addresses, and its audit log.

use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};
use billing::Tz;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use entity::customer;

use super::addresses::BillingAddress;
use super::billing_cycle::BillingCycle;
use super::contacts::Contact;
use super::invitations::Invitation;
use super::types::{CustomerStatus, Member, Team, User};
use crate::auth::Role;
use crate::error::ServiceError;
use crate::graphql::audit::{AuditEntry, AuditKind};
use crate::graphql::context::ContextExt;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::accounts::addresses;
use crate::services::accounts::users::UserFilter;
use crate::services::audit::AuditFilter;

/// Who the organisation is: identity, teams, users, members, audit log.
pub struct CustomerAccount(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerAccount {
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

    /// The organisation's id in another system of the operator's (the telecom platform's
    /// account number, a CRM id), if it has one.
    async fn external_reference(&self) -> Option<&str> {
        self.0.external_reference.as_deref()
    }

    /// The operator's labels for the organisation, in the order given (operator staff:
    /// `FORBIDDEN` for the organisation's own users).
    async fn tags(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        ctx.actor().authenticated()?.require_staff_reader()?;
        Ok(self.0.tag_list())
    }

    /// The interval the organisation's new subscriptions bill at unless another is chosen.
    async fn billing_cycle(&self) -> BillingCycle {
        BillingCycle::of(&self.0)
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
        Ok(connection(page, Team))
    }

    /// The organisation's portal logins, oldest first, optionally only those matching a
    /// search or of one role.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many users (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last user of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Only users whose name or e-mail contains this, in any case (at most 200 \
                    characters; blank: every user)."
        )]
        search: Option<String>,
        #[graphql(desc = "Only users with this role (`OWNER`, `BILLING_ADMIN` or `VIEWER`).")]
        role: Option<Role>,
    ) -> Result<Connection<String, User>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = UserFilter::new(search.as_deref(), role)?;
        let page = ctx
            .services()
            .customers
            .users(ctx.actor(), self.0.id, &filter, request)
            .await?;
        Ok(connection(page, User))
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
        Ok(connection(page, |(member, team, seats)| {
            Member::with_seats(member, team, seats)
        }))
    }

    /// The organisation's contacts by role, oldest first (at most 50).
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        let rows = ctx.services().contacts.list(ctx.actor(), self.0.id).await?;
        Ok(rows.into_iter().map(Contact).collect())
    }

    /// The organisation's billing addresses, the default first, then oldest first (at most
    /// 20).
    async fn billing_addresses(&self, ctx: &Context<'_>) -> Result<Vec<BillingAddress>> {
        let rows = ctx
            .services()
            .addresses
            .list(ctx.actor(), self.0.id)
            .await?;
        let home = self.0.country.as_deref();
        Ok(rows
            .into_iter()
            .map(|row| {
                let status = addresses::verification(&row, home);
                BillingAddress::new(row, status)
            })
            .collect())
    }

    /// The invitations to become a user of the organisation still waiting for their invitee,
    /// newest first (at most 20).
    async fn invitations(&self, ctx: &Context<'_>) -> Result<Vec<Invitation>> {
        let services = ctx.services();
        let rows = services
            .invitations
            .open(ctx.actor(), self.0.id, services.clock.now())
            .await?;
        Ok(rows.into_iter().map(Invitation).collect())
    }

    /// Changes to the organisation's money, access, documents and addresses, newest first,
    /// optionally of one kind and between two days of the organisation's calendar.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many entries (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last entry of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only entries of this kind.")] kind: Option<AuditKind>,
        #[graphql(desc = "Only entries from this day on (in the organisation's time zone).")]
        from: Option<NaiveDate>,
        #[graphql(desc = "Only entries up to and including this day.")] to: Option<NaiveDate>,
    ) -> Result<Connection<String, AuditEntry>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let zone = self
            .0
            .time_zone
            .parse::<Tz>()
            .map_err(|e| ServiceError::corrupt("time zone", e))?;
        let start_of = |day: NaiveDate| {
            zone.from_local_datetime(&day.and_time(NaiveTime::MIN))
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        };
        let filter = AuditFilter::of_days(kind.map(Into::into), from, to, start_of)?;
        let page = ctx
            .services()
            .customers
            .audit_log(ctx.actor(), self.0.id, filter, request)
            .await?;
        Ok(connection(page, AuditEntry::with_actor))
    }
}
