//! License items and seats.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{license, member};

use crate::graphql::catalog::IntervalUnit;
use crate::graphql::context::ContextExt;
use crate::graphql::money::Money;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::licenses::LicenseItemView;

/// A license item: one product's seats in a subscription.
pub struct LicenseItem(pub LicenseItemView);

#[Object]
impl LicenseItem {
    /// Opaque id of the subscription item (`si_…`).
    async fn id(&self) -> ID {
        self.0.item.id.into()
    }
    /// The license product's name ("ADVANCED").
    async fn product_name(&self) -> &str {
        &self.0.product.name
    }
    /// Seats held.
    async fn quantity(&self) -> i32 {
        self.0.item.quantity
    }
    /// Seats with a member.
    async fn assigned(&self) -> u32 {
        self.0.assigned
    }
    /// Seats without a member (only these can be removed).
    async fn unassigned(&self) -> u32 {
        self.0.unassigned()
    }
    /// Price of one seat for a full period.
    async fn unit_price(&self) -> Result<Money> {
        let currency = billing::Currency::from_code(&self.0.price.currency).map_err(internal)?;
        let unit: billing::UnitPrice = self
            .0
            .price
            .unit_amount
            .as_deref()
            .unwrap_or("0")
            .parse()
            .map_err(internal)?;
        Ok(Money(billing::Money::round(unit.value(), currency)))
    }
    /// Unit of the billing interval.
    async fn interval(&self) -> Option<IntervalUnit> {
        Some(self.0.price.interval_unit.into())
    }
    /// Interval units per period.
    async fn interval_count(&self) -> i32 {
        self.0.price.interval_count
    }
    /// Version of the price the seats are billed at.
    async fn price_version(&self) -> i32 {
        self.0.price.version
    }
    /// Whether seats are removed one at a time.
    async fn remove_one_at_a_time(&self) -> bool {
        self.0.price.remove_one_at_a_time
    }
    /// Fewest seats.
    async fn min_quantity(&self) -> i32 {
        self.0.price.min_quantity
    }
    /// Most seats, if limited.
    async fn max_quantity(&self) -> Option<i32> {
        self.0.price.max_quantity
    }
    /// First day of the current period.
    async fn current_period_start(&self) -> NaiveDate {
        self.0.subscription.current_period_start
    }
    /// First day after the current period.
    async fn current_period_end(&self) -> NaiveDate {
        self.0.subscription.current_period_end
    }
    /// The seats, oldest first, with their assignees.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn seats(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many seats (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last seat of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, License>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .licenses
            .seats(ctx.actor(), self.0.item.id, request)
            .await?;
        Ok(connection(page, |(seat, member)| License { seat, member }))
    }
}

fn internal(e: impl std::fmt::Display) -> async_graphql::Error {
    crate::error::ServiceError::internal(e.to_string()).into()
}

/// A seat of a license item.
pub struct License {
    /// The seat.
    pub seat: license::Model,
    /// Its assignee.
    pub member: Option<member::Model>,
}

#[Object]
impl License {
    /// Opaque id (`lic_…`).
    async fn id(&self) -> ID {
        self.seat.id.into()
    }
    /// The member using the seat, if assigned.
    async fn member(&self) -> Option<LicenseMember> {
        self.member.clone().map(LicenseMember)
    }
    /// When the seat was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.seat.created_at
    }
}

/// The member a seat is assigned to.
pub struct LicenseMember(member::Model);

#[Object]
impl LicenseMember {
    /// Opaque id (`mem_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// E-mail address, if known.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
}
