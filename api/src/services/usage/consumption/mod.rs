//! Detailed consumption: a customer's usage records and calls for a selection (a date range in
//! the customer's time zone, by default the current billing period; optionally one type —
//! usage or calls —, one team, one member, one number, one metered item), with totals per item
//! and for the calls, per-day series ([`aggregate`], [`calls`], summed in SQL) and the records
//! and calls themselves, each paged by its start and id. Exports of exactly a selection read
//! the same pages in chunks ([`export`]).
//!
//! A selection is resolved once ([`ConsumptionService::select`]): the customer must be in the
//! actor's scope, and a team, member or item of another tenant answers `NOT_FOUND` exactly like
//! one that does not exist. Amounts are `billing`'s ([`billing::selection_amount`]): only a
//! per-unit price gives a part of a period's usage an amount of its own.

pub mod aggregate;
pub mod calls;
mod csv_export;
pub mod export;
mod local_time;

use std::collections::HashMap;
use std::sync::Arc;

use billing::{Currency, Decimal, Money, PricingModel, Tz, local_midnight};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use entity::product::ProductKind;
use entity::{call_record, customer, member, team, usage_record};
use ids::{CustomerId, MemberId, SubscriptionItemId, TeamId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Select};

use crate::auth::Actor;
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use crate::services::documents::Issuer;
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};
use crate::services::tenant_state::{TenantState, TenantStates};
use crate::services::{accounts, catalog, subscriptions};

pub use aggregate::{ItemSeries, ItemTotal, Summary};
pub use calls::{CallLine, CallTotals, CustomerNumber};

/// The longest range a selection may cover, in days (a year, leap day included): it bounds the
/// per-day series and the aggregate query.
pub const MAX_RANGE_DAYS: i64 = 366;

/// Longest number filter, as stored.
const MAX_NUMBER_CHARS: usize = 32;

/// Records in order of use: `(from, id)`, oldest first. The table and every export read it.
const RECORDS: Keyset<usage_record::Entity> = Keyset {
    list: "consumption",
    columns: &[
        (usage_record::Column::FromAt, KeyKind::Time),
        (usage_record::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |r| time_key(r.from_at, r.id),
};

/// What a selection holds: usage records, calls, or (no type chosen) both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsumptionKind {
    /// Usage records of metered items only.
    Usage,
    /// Calls of the customer's numbers only.
    Calls,
}

/// What a caller asks for; every part optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumptionQuery {
    /// First day (local), inclusive; default: the current period's first day.
    pub from: Option<NaiveDate>,
    /// Last day (local), inclusive; default: the current period's last day.
    pub to: Option<NaiveDate>,
    /// Only this team's records.
    pub team: Option<TeamId>,
    /// Only this member's records.
    pub member: Option<MemberId>,
    /// Only this metered item's records.
    pub item: Option<SubscriptionItemId>,
    /// Only records from this telephone number (exact), and its calls when it is one of the
    /// customer's numbers.
    pub number: Option<String>,
    /// Only usage records, or only calls; both when `None`.
    pub kind: Option<ConsumptionKind>,
}

/// A metered item of the customer, as consumption shows and prices it.
#[derive(Clone, Debug)]
pub struct MeteredItem {
    /// The subscription item.
    pub id: SubscriptionItemId,
    /// Its product's name ("Outbound minutes").
    pub product: String,
    /// How it is priced (the item's own unit price applied).
    pub model: PricingModel,
    /// The price's currency.
    pub currency: Currency,
}

/// A resolved, validated selection: what every read and export of consumption works on.
#[derive(Clone, Debug)]
pub struct Selection {
    /// The customer (tenant).
    pub customer: CustomerId,
    /// The customer's time zone: days are its days.
    pub tz: Tz,
    /// First day, inclusive.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// The team filter, with the team's name.
    pub team: Option<(TeamId, String)>,
    /// The member filter, with the member's name.
    pub member: Option<(MemberId, String)>,
    /// The item filter.
    pub item: Option<SubscriptionItemId>,
    /// The number filter.
    pub number: Option<String>,
    /// Every metered item of the customer (the item filter's choices, and how each is priced).
    pub items: Vec<MeteredItem>,
    /// The type filter.
    pub kind: Option<ConsumptionKind>,
    /// The customer's numbers, oldest first (a number filter's calls, and each call's number).
    pub numbers: Vec<CustomerNumber>,
    /// The customer's currency: what its calls cost in.
    pub currency: Currency,
}

impl Selection {
    /// The days of the range, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.from.iter_days().take_while(|d| *d <= self.to)
    }

    /// The item with this id, if metered and the customer's.
    pub fn item(&self, id: SubscriptionItemId) -> Option<&MeteredItem> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Whether the selection holds usage records: unless only calls are chosen.
    pub fn includes_usage(&self) -> bool {
        self.kind != Some(ConsumptionKind::Calls)
    }

    /// Whether the selection holds calls: unless only usage is chosen, or a filter calls do
    /// not carry (team, member, metered item) is set, or the number filter is not one of the
    /// customer's numbers.
    pub fn includes_calls(&self) -> bool {
        self.kind != Some(ConsumptionKind::Usage)
            && self.team.is_none()
            && self.member.is_none()
            && self.item.is_none()
            && (self.number.is_none() || self.phone_number().is_some())
    }

    /// The customer's number the number filter names, if it is one.
    pub fn phone_number(&self) -> Option<&CustomerNumber> {
        let number = self.number.as_deref()?;
        self.numbers.iter().find(|n| n.e164 == number)
    }

    /// The calls of the selection, unordered (none when it holds no calls).
    fn calls(&self) -> Select<call_record::Entity> {
        let mut select = call_record::Entity::find()
            .filter(call_record::Column::CustomerId.eq(self.customer))
            .filter(call_record::Column::StartedAt.gte(local_midnight(self.from, self.tz)))
            .filter(call_record::Column::StartedAt.lt(local_midnight(self.end(), self.tz)));
        if let Some(number) = self.phone_number() {
            select = select.filter(call_record::Column::PhoneNumberId.eq(number.id));
        }
        if !self.includes_calls() {
            select = select.filter(Expr::cust("1 = 0"));
        }
        select
    }

    /// The records of the selection, unordered.
    fn records(&self) -> Select<usage_record::Entity> {
        self.records_from(local_midnight(self.from, self.tz))
    }

    /// The records of the selection that start at `start` or later (an instant within the
    /// range), unordered. A reader resuming after a record gives the range this one lower
    /// bound, so the database starts reading the index there rather than at the range's start.
    fn records_from(&self, start: DateTime<Utc>) -> Select<usage_record::Entity> {
        let mut select = usage_record::Entity::find()
            .filter(usage_record::Column::CustomerId.eq(self.customer))
            .filter(usage_record::Column::FromAt.gte(start))
            .filter(usage_record::Column::FromAt.lt(local_midnight(self.end(), self.tz)));
        if let Some((team, _)) = &self.team {
            select = select.filter(usage_record::Column::TeamId.eq(*team));
        }
        if let Some((member, _)) = &self.member {
            select = select.filter(usage_record::Column::MemberId.eq(*member));
        }
        if let Some(item) = self.item {
            select = select.filter(usage_record::Column::SubscriptionItemId.eq(item));
        }
        if let Some(number) = &self.number {
            select = select.filter(usage_record::Column::Number.eq(number.as_str()));
        }
        if !self.includes_usage() {
            select = select.filter(Expr::cust("1 = 0"));
        }
        select
    }

    /// The day after the last: the range's exclusive end.
    fn end(&self) -> NaiveDate {
        self.to + Duration::days(1)
    }
}

/// One record as the table and the exports show it.
#[derive(Clone, Debug)]
pub struct ConsumptionRecord {
    /// The row.
    pub row: usage_record::Model,
    /// Its item's product name.
    pub product: String,
    /// The member's name, when the record names one.
    pub member: Option<String>,
    /// The team's name, when the record names one.
    pub team: Option<String>,
}

/// Consumption reads and exports.
#[derive(Clone)]
pub struct ConsumptionService {
    db: Db,
    states: TenantStates,
    /// The operator, printed on PDF exports.
    issuer: Arc<Issuer>,
}

impl ConsumptionService {
    /// A service over `db`, reading what customers buy from `states`; PDF exports are issued
    /// by `issuer`.
    pub fn new(db: Db, states: TenantStates, issuer: Arc<Issuer>) -> Self {
        Self { db, states, issuer }
    }

    /// The same service reading through `db` (a benchmark's baseline: see
    /// [`Db::pool_reads_only`]).
    pub fn reading_through(&self, db: Db) -> Self {
        Self { db, ..self.clone() }
    }

    /// Resolves `query` for `customer` (a row read in this request): `NOT_FOUND` for a customer
    /// outside the actor's scope and for a team, member or item that is not the customer's;
    /// `BAD_USER_INPUT` on `to` for a reversed range or one longer than [`MAX_RANGE_DAYS`], on
    /// `number` for a number longer than a stored one.
    pub async fn select(
        &self,
        actor: &Actor,
        customer: &customer::Model,
        query: &ConsumptionQuery,
    ) -> ServiceResult<Selection> {
        let actor = actor.authenticated()?;
        let state = self.states.of(actor, customer, "customer").await?;
        let tz = accounts::rows::time_zone(customer)?;
        let (default_from, default_to) = default_range(&state, tz)?;
        let from = query.from.unwrap_or(default_from);
        let to = query.to.unwrap_or(match query.from {
            Some(from) if from > default_to => from,
            _ => default_to,
        });
        if to < from {
            return Err(ServiceError::bad_input(
                "to",
                "the last day is before the first",
            ));
        }
        if (to - from).num_days() >= MAX_RANGE_DAYS {
            return Err(ServiceError::bad_input(
                "to",
                format!("a selection covers at most {MAX_RANGE_DAYS} days"),
            ));
        }
        let number = query
            .number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        if number
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NUMBER_CHARS)
        {
            return Err(ServiceError::bad_input(
                "number",
                format!("a number has at most {MAX_NUMBER_CHARS} characters"),
            ));
        }
        let items = metered_items(&state)?;
        if let Some(item) = query.item
            && !items.iter().any(|i| i.id == item)
        {
            return Err(ServiceError::NotFound {
                entity: "subscription item",
            });
        }
        let team = match query.team {
            Some(id) => {
                let row = team::Entity::find_by_id(id)
                    .filter(team::Column::CustomerId.eq(customer.id))
                    .one(self.db.reads())
                    .await?
                    .ok_or(ServiceError::NotFound { entity: "team" })?;
                Some((id, row.name))
            }
            None => None,
        };
        let member = match query.member {
            Some(id) => {
                let row = member::Entity::find_by_id(id)
                    .filter(member::Column::CustomerId.eq(customer.id))
                    .one(self.db.reads())
                    .await?
                    .ok_or(ServiceError::NotFound { entity: "member" })?;
                Some((id, row.name))
            }
            None => None,
        };
        let numbers = calls::numbers_of(self.db.reads(), customer.id).await?;
        Ok(Selection {
            currency: catalog::rows::currency(&customer.currency)?,
            kind: query.kind,
            numbers,
            customer: customer.id,
            tz,
            from,
            to,
            team,
            member,
            item: query.item,
            number,
            items,
        })
    }

    /// Totals per item, the calls' totals and the per-day series of `selection`, summed in
    /// SQL.
    pub async fn summary(&self, selection: &Selection) -> ServiceResult<Summary> {
        let mut summary = if selection.includes_usage() {
            aggregate::summary(self.db.reads(), selection).await?
        } else {
            Summary::default()
        };
        summary.calls = calls::totals(self.db.reads(), selection).await?;
        Ok(summary)
    }

    /// One page of the selection's calls, oldest first.
    pub async fn calls(
        &self,
        selection: &Selection,
        page: &PageRequest,
    ) -> ServiceResult<Page<CallLine>> {
        calls::page(self.db.reads(), selection, page).await
    }

    /// One page of the selection's records, oldest first; a bounded number of queries (the
    /// page, its members' and teams' names).
    pub async fn records(
        &self,
        selection: &Selection,
        page: &PageRequest,
    ) -> ServiceResult<Page<ConsumptionRecord>> {
        let rows = fetch_page(self.db.reads(), selection.records(), &RECORDS, page).await?;
        let member_ids: Vec<MemberId> = rows.items().filter_map(|r| r.member_id).collect();
        let team_ids: Vec<TeamId> = rows.items().filter_map(|r| r.team_id).collect();
        let members: HashMap<MemberId, String> = if member_ids.is_empty() {
            HashMap::new()
        } else {
            member::Entity::find()
                .filter(member::Column::CustomerId.eq(selection.customer))
                .filter(member::Column::Id.is_in(member_ids))
                .all(self.db.reads())
                .await?
                .into_iter()
                .map(|m| (m.id, m.name))
                .collect()
        };
        let teams: HashMap<TeamId, String> = if team_ids.is_empty() {
            HashMap::new()
        } else {
            team::Entity::find()
                .filter(team::Column::CustomerId.eq(selection.customer))
                .filter(team::Column::Id.is_in(team_ids))
                .all(self.db.reads())
                .await?
                .into_iter()
                .map(|t| (t.id, t.name))
                .collect()
        };
        Ok(rows.map(|row| ConsumptionRecord {
            product: selection
                .item(row.subscription_item_id)
                .map_or_else(String::new, |i| i.product.clone()),
            member: row.member_id.and_then(|m| members.get(&m).cloned()),
            team: row.team_id.and_then(|t| teams.get(&t).cloned()),
            row,
        }))
    }
}

/// The current billing period of the subscription that has metered items (else the first
/// subscription), as inclusive days; without a subscription, this calendar month.
fn default_range(state: &Arc<TenantState>, tz: Tz) -> ServiceResult<(NaiveDate, NaiveDate)> {
    let metered = state
        .items
        .iter()
        .find(|i| i.product.kind == ProductKind::Metered)
        .and_then(|i| state.subscription(i.item.subscription_id));
    if let Some(subscription) = metered.or(state.subscriptions.first()) {
        let period = subscriptions::rows::current_period(subscription)?;
        return Ok((period.start(), period.end() - Duration::days(1)));
    }
    let today = billing::local_date(chrono::Utc::now(), tz);
    let first = today.with_day0(0).unwrap_or(today);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(today);
    Ok((first, next - Duration::days(1)))
}

/// The customer's metered items, oldest first, each with how it is priced.
fn metered_items(state: &TenantState) -> ServiceResult<Vec<MeteredItem>> {
    state
        .items
        .iter()
        .filter(|i| i.product.kind == ProductKind::Metered)
        .map(|i| {
            Ok(MeteredItem {
                id: i.item.id,
                product: i.product.name.clone(),
                model: subscriptions::rows::item_model(&i.item, &i.price)?,
                currency: catalog::rows::currency(&i.price.currency)?,
            })
        })
        .collect()
}

/// An item's total priced by `billing`: `None` when its price gives a selection no amount of
/// its own.
fn amount_of(item: &MeteredItem, quantity: Decimal) -> ServiceResult<Option<Money>> {
    billing::selection_amount(&item.model, quantity, item.currency)
        .map_err(|e| ServiceError::internal(e.to_string()))
}
