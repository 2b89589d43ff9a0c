//! Members of an organisation (the people licenses are assigned to): added, edited and removed
//! by its owners and billing admins, and by staff. A member who holds a license seat cannot be
//! removed until the seat is unassigned (`CONFLICT`, as Ringover says: "you must first
//! unassign the license"). Plain writes: members are not in the cached tenant state.

use chrono::{DateTime, Utc};
use entity::{customer, license, member, team};
use ids::{CustomerId, MemberId, TeamId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use serde_json::{Value, json};

use super::AccountError;
use crate::auth::{Actor, AuthenticatedActor};
use crate::db::{Db, PlainWrite, UniqueLookup};
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};
use crate::services::input::{Email, RequiredText};

/// Longest member name.
const MAX_NAME: usize = 200;

/// A member to add.
#[derive(Clone, Debug)]
pub struct NewMember {
    /// Full name.
    pub name: String,
    /// E-mail address; blank or `None`: none.
    pub email: Option<String>,
    /// A team of the same organisation.
    pub team: Option<TeamId>,
}

/// A change to a member. For each field `None` leaves it as it is; for the optional ones,
/// `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct MemberChange {
    /// Full name.
    pub name: Option<String>,
    /// E-mail address; a blank one clears it too.
    pub email: Option<Option<String>>,
    /// Team (of the same organisation).
    pub team: Option<Option<TeamId>>,
}

/// A member with its team.
pub type MemberWithTeam = (member::Model, Option<team::Model>);

/// An optional e-mail: blank is none.
fn optional_email(email: Option<&str>) -> ServiceResult<Option<String>> {
    email
        .filter(|e| !e.trim().is_empty())
        .map(|e| Email::parse(e).map(Email::into_inner))
        .transpose()
}

/// What the audit log keeps of a member.
fn audited(m: &member::Model) -> Value {
    json!({ "name": m.name, "email": m.email, "team": m.team_id.map(|t| t.to_string()) })
}

/// Members: writes (reads are [`super::CustomersService::members`]).
#[derive(Clone)]
pub struct MembersService {
    db: Db,
}

impl MembersService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// How many license seats the member `id` holds (`NOT_FOUND` outside the actor's scope).
    pub async fn seats_held(&self, actor: &Actor, id: MemberId) -> ServiceResult<u32> {
        let actor = actor.authenticated()?;
        find(self.db.reads(), actor, id, false).await?;
        let seats = license::Entity::find()
            .filter(license::Column::MemberId.eq(id))
            .count(self.db.reads())
            .await?;
        Ok(u32::try_from(seats).unwrap_or(u32::MAX))
    }

    /// Adds a member to `customer`, in a team of the same organisation when one is given.
    pub async fn create(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        customer: CustomerId,
        new: NewMember,
        now: DateTime<Utc>,
    ) -> ServiceResult<MemberWithTeam> {
        let actor = actor.authenticated()?;
        let name = RequiredText::parse("input.name", &new.name, MAX_NAME)?.into_inner();
        let email = optional_email(new.email.as_deref())?;
        let txn = self.db.begin_plain_write().await?;
        customer::Entity::find_by_id(customer)
            .filter(actor.scope().condition(customer::Column::Id))
            .one_by_key(&txn)
            .await?
            .ok_or(AccountError::CustomerNotFound)?;
        let team = team_of(&txn, actor, customer, new.team).await?;
        actor.require_billing_write()?;
        let row = member::Model {
            id: MemberId::new(),
            customer_id: customer,
            team_id: team.as_ref().map(|t| t.id),
            name,
            email,
            created_at: now,
        };
        member::Entity::insert(member::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await?;
        record(
            &txn,
            actor,
            request_id,
            "member.create",
            &row,
            None,
            Some(&row),
        )
        .await?;
        txn.commit().await?;
        Ok((row, team))
    }

    /// Changes a member's name, e-mail or team.
    pub async fn update(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: MemberId,
        change: MemberChange,
    ) -> ServiceResult<MemberWithTeam> {
        let actor = actor.authenticated()?;
        let name = change
            .name
            .as_deref()
            .map(|n| RequiredText::parse("input.name", n, MAX_NAME).map(RequiredText::into_inner))
            .transpose()?;
        let email = change
            .email
            .as_ref()
            .map(|e| optional_email(e.as_deref()))
            .transpose()?;
        let txn = self.db.begin_plain_write().await?;
        let before = find(&txn, actor, id, false).await?;
        let team = match change.team {
            Some(team) => team_of(&txn, actor, before.customer_id, team).await?,
            None => match before.team_id {
                Some(current) => team::Entity::find_by_id(current).one_by_key(&txn).await?,
                None => None,
            },
        };
        actor.require_billing_write()?;
        let after = member::Model {
            name: name.unwrap_or_else(|| before.name.clone()),
            email: email.unwrap_or_else(|| before.email.clone()),
            team_id: team.as_ref().map(|t| t.id),
            ..before.clone()
        };
        member::Entity::update_many()
            .col_expr(member::Column::Name, Expr::value(after.name.clone()))
            .col_expr(member::Column::Email, Expr::value(after.email.clone()))
            .col_expr(member::Column::TeamId, Expr::value(after.team_id))
            .filter(member::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        record(
            &txn,
            actor,
            request_id,
            "member.update",
            &after,
            Some(&before),
            Some(&after),
        )
        .await?;
        txn.commit().await?;
        Ok((after, team))
    }

    /// Removes a member who holds no license seat; returns it as it was.
    pub async fn remove(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: MemberId,
    ) -> ServiceResult<member::Model> {
        let actor = actor.authenticated()?;
        let txn = self.db.begin_plain_write().await?;
        // Locked (PostgreSQL): a seat assignment holds the member's row in share mode until
        // it commits, so the seats read below include any assignment made meanwhile.
        let row = find(&txn, actor, id, true).await?;
        actor.require_billing_write()?;
        let seats = license::Entity::find()
            .filter(license::Column::MemberId.eq(id))
            .count(&txn)
            .await?;
        if seats > 0 {
            return Err(AccountError::MemberHoldsLicense { name: row.name }.into());
        }
        member::Entity::delete_by_id(id).exec(&txn).await?;
        record(
            &txn,
            actor,
            request_id,
            "member.remove",
            &row,
            Some(&row),
            None,
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }
}

/// The member `id` within the actor's scope (another tenant's answers `NOT_FOUND` like an
/// unknown one), its row locked for update on PostgreSQL when `lock`.
async fn find<C: ConnectionTrait>(
    db: &C,
    actor: &AuthenticatedActor,
    id: MemberId,
    lock: bool,
) -> ServiceResult<member::Model> {
    let mut select =
        member::Entity::find_by_id(id).filter(actor.scope().condition(member::Column::CustomerId));
    if lock && db.get_database_backend() == DbBackend::Postgres {
        select = select.lock_exclusive();
    }
    Ok(select
        .one_by_key(db)
        .await?
        .ok_or(AccountError::MemberNotFound)?)
}

/// The team a member of `customer` is put in: one of the same organisation, or none.
async fn team_of(
    txn: &PlainWrite,
    actor: &AuthenticatedActor,
    customer: CustomerId,
    team: Option<TeamId>,
) -> ServiceResult<Option<team::Model>> {
    let Some(team) = team else {
        return Ok(None);
    };
    let row = super::teams::find(txn, actor, team).await?;
    // In the caller's scope, but another organisation's for staff: as unknown here.
    if row.customer_id != customer {
        return Err(AccountError::TeamNotFound.into());
    }
    Ok(Some(row))
}

/// Writes the audit entry of a change to a member.
async fn record(
    txn: &PlainWrite,
    actor: &AuthenticatedActor,
    request_id: Option<&str>,
    action: &'static str,
    row: &member::Model,
    before: Option<&member::Model>,
    after: Option<&member::Model>,
) -> ServiceResult<()> {
    audit::record(
        txn,
        Some(actor),
        request_id,
        AuditEntry {
            customer: Some(row.customer_id),
            action,
            subject_type: "member",
            subject_id: row.id.to_string(),
            before: before.map(audited),
            after: after.map(audited),
        },
    )
    .await?;
    Ok(())
}
