//! Accounts: customer organisations, their teams, members and users (read here, always through
//! the actor's scope), sign-in (`session`) and password changes (`password`), staff writes
//! (`organisations`), and what an organisation's own owners and billing admins change too:
//! `contacts`, billing `addresses`, `teams` and `members`; owners also decide who uses the
//! organisation (`invitations`, and `users`: roles and removals). Staff find customers with
//! `search`; administrators manage the operator's own staff users (`staff`).

pub mod addresses;
pub mod contacts;
mod error;
pub mod invitations;
pub mod members;
mod names;
pub mod organisations;
mod password;
pub mod profile;
pub mod rows;
pub mod search;
pub mod session;
pub mod staff;
pub mod tags;
pub mod teams;
pub mod users;

pub use error::AccountError;

use std::collections::HashMap;

use entity::{customer, license, member, team, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::auth::Actor;
use crate::db::{Db, UniqueLookup};
use crate::error::ServiceResult;
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};
use ids::{CustomerId, MemberId};

/// Customers, oldest first.
const CUSTOMERS: Keyset<customer::Entity> = Keyset {
    list: "customers",
    columns: &[
        (customer::Column::CreatedAt, KeyKind::Time),
        (customer::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |c| time_key(c.created_at, c.id),
};

/// A customer's teams, oldest first.
const TEAMS: Keyset<team::Entity> = Keyset {
    list: "teams",
    columns: &[
        (team::Column::CreatedAt, KeyKind::Time),
        (team::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |t| time_key(t.created_at, t.id),
};

/// A customer's portal logins, oldest first.
const USERS: Keyset<user::Entity> = Keyset {
    list: "users",
    columns: &[
        (user::Column::CreatedAt, KeyKind::Time),
        (user::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |u| time_key(u.created_at, u.id),
};

/// A customer's members, oldest first.
const MEMBERS: Keyset<member::Entity> = Keyset {
    list: "members",
    columns: &[
        (member::Column::CreatedAt, KeyKind::Time),
        (member::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |m| time_key(m.created_at, m.id),
};

/// Customer organisations, their teams and members.
#[derive(Clone)]
pub struct CustomersService {
    db: Db,
}

impl CustomersService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The customers the actor may see: all of them for staff, their own for a customer user.
    pub async fn list(
        &self,
        actor: &Actor,
        page: PageRequest,
    ) -> ServiceResult<Page<customer::Model>> {
        let scope = actor.authenticated()?.scope();
        let select = customer::Entity::find().filter(scope.condition(customer::Column::Id));
        Ok(fetch_page(self.db.reads(), select, &CUSTOMERS, &page).await?)
    }

    /// One customer. Another tenant's id answers `NOT_FOUND`, exactly like an unknown id.
    pub async fn get(&self, actor: &Actor, id: CustomerId) -> ServiceResult<customer::Model> {
        let scope = actor.authenticated()?.scope();
        customer::Entity::find_by_id(id)
            .filter(scope.condition(customer::Column::Id))
            .one_by_key(self.db.reads())
            .await?
            .ok_or(AccountError::CustomerNotFound.into())
    }

    /// The teams of a customer, in creation order.
    pub async fn teams(
        &self,
        actor: &Actor,
        customer: CustomerId,
        page: PageRequest,
    ) -> ServiceResult<Page<team::Model>> {
        let scope = actor.authenticated()?.scope();
        let select = team::Entity::find()
            .filter(scope.condition(team::Column::CustomerId))
            .filter(team::Column::CustomerId.eq(customer));
        Ok(fetch_page(self.db.reads(), select, &TEAMS, &page).await?)
    }

    /// The portal logins of a customer matching `filter`, oldest first.
    pub async fn users(
        &self,
        actor: &Actor,
        customer: CustomerId,
        filter: &users::UserFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<user::Model>> {
        let scope = actor.authenticated()?.scope();
        let select = user::Entity::find()
            .filter(scope.condition(user::Column::CustomerId))
            .filter(user::Column::CustomerId.eq(customer))
            .filter(filter.condition());
        Ok(fetch_page(self.db.reads(), select, &USERS, &page).await?)
    }

    /// A customer's audit entries matching `filter`, newest first, each with the name of the
    /// user who acted (none for the system, or a user removed since): two queries a page.
    pub async fn audit_log(
        &self,
        actor: &Actor,
        customer: CustomerId,
        filter: crate::services::audit::AuditFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<(entity::audit_log::Model, Option<String>)>> {
        let entries =
            crate::services::audit::entries(self.db.reads(), actor, customer, filter, &page)
                .await?;
        self.with_actor_names(entries).await
    }

    /// The whole audit log (operator staff of any role), newest first, with each actor's
    /// name: customers' changes and the operator's own (staff, catalog, keys).
    pub async fn operator_audit_log(
        &self,
        actor: &Actor,
        filter: crate::services::audit::AuditFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<(entity::audit_log::Model, Option<String>)>> {
        let entries =
            crate::services::audit::all_entries(self.db.reads(), actor, filter, &page).await?;
        self.with_actor_names(entries).await
    }

    /// `entries` with the names of the users who made them, in one query.
    async fn with_actor_names(
        &self,
        entries: Page<entity::audit_log::Model>,
    ) -> ServiceResult<Page<(entity::audit_log::Model, Option<String>)>> {
        let ids: Vec<_> = entries.items().filter_map(|e| e.actor_user_id).collect();
        let names: HashMap<ids::UserId, String> = if ids.is_empty() {
            HashMap::new()
        } else {
            user::Entity::find()
                .select_only()
                .column(user::Column::Id)
                .column(user::Column::Name)
                .filter(user::Column::Id.is_in(ids))
                .into_tuple::<(ids::UserId, String)>()
                .all(self.db.reads())
                .await?
                .into_iter()
                .collect()
        };
        Ok(entries.map(|e| {
            let name = e.actor_user_id.and_then(|id| names.get(&id).cloned());
            (e, name)
        }))
    }

    /// The members of a customer with their team and how many license seats each holds:
    /// three queries per page, whatever its size.
    pub async fn members(
        &self,
        actor: &Actor,
        customer: CustomerId,
        page: PageRequest,
    ) -> ServiceResult<Page<(member::Model, Option<team::Model>, u32)>> {
        let scope = actor.authenticated()?.scope();
        let select = member::Entity::find()
            .filter(scope.condition(member::Column::CustomerId))
            .filter(member::Column::CustomerId.eq(customer));
        let members = fetch_page(self.db.reads(), select, &MEMBERS, &page).await?;
        let team_ids: Vec<_> = members.items().filter_map(|m| m.team_id).collect();
        let teams = if team_ids.is_empty() {
            Vec::new()
        } else {
            team::Entity::find()
                .filter(team::Column::Id.is_in(team_ids))
                .filter(team::Column::CustomerId.eq(customer))
                .all(self.db.reads())
                .await?
        };
        let member_ids: Vec<_> = members.items().map(|m| m.id).collect();
        let seats: HashMap<MemberId, i64> = if member_ids.is_empty() {
            HashMap::new()
        } else {
            license::Entity::find()
                .select_only()
                .column(license::Column::MemberId)
                .column_as(license::Column::Id.count(), "seats")
                .filter(license::Column::CustomerId.eq(customer))
                .filter(license::Column::MemberId.is_in(member_ids))
                .group_by(license::Column::MemberId)
                .into_tuple::<(MemberId, i64)>()
                .all(self.db.reads())
                .await?
                .into_iter()
                .collect()
        };
        Ok(members.map(|m| {
            let team = m
                .team_id
                .and_then(|id| teams.iter().find(|t| t.id == id).cloned());
            let held = seats.get(&m.id).copied().unwrap_or(0);
            (m, team, u32::try_from(held).unwrap_or(u32::MAX))
        }))
    }
}
