//! Teams of an organisation: created, renamed and deleted by its owners and billing admins, and
//! by staff. A team with members is deleted only by moving them to another team in the same
//! transaction (`move_to`); deleting it otherwise is refused, so nobody loses their team by
//! accident. Plain writes: teams are not in the cached tenant state.

use chrono::{DateTime, Utc};
use entity::{customer, member, team};
use ids::{CustomerId, TeamId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::AccountError;
use crate::auth::{Actor, AuthenticatedActor};
use crate::db::{Db, PlainWrite, UniqueLookup};
use crate::error::{ServiceResult, on_unique_violation};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::RequiredText;

/// Longest team name.
const MAX_NAME: usize = 100;

/// Teams: writes (reads are [`super::CustomersService::teams`]).
#[derive(Clone)]
pub struct TeamsService {
    db: Db,
}

impl TeamsService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Creates a team in `customer`, its name unique within the organisation.
    pub async fn create(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        customer: CustomerId,
        name: &str,
        now: DateTime<Utc>,
    ) -> ServiceResult<team::Model> {
        let actor = actor.authenticated()?;
        let name = RequiredText::parse("input.name", name, MAX_NAME)?.into_inner();
        let txn = self.db.begin_plain_write().await?;
        customer::Entity::find_by_id(customer)
            .filter(actor.scope().condition(customer::Column::Id))
            .one_by_key(&txn)
            .await?
            .ok_or(AccountError::CustomerNotFound)?;
        actor.require_billing_write()?;
        refuse_taken_name(&txn, customer, &name, None).await?;
        let row = team::Model {
            id: TeamId::new(),
            customer_id: customer,
            name,
            created_at: now,
        };
        team::Entity::insert(team::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(|| AccountError::TeamNameTaken.into()))?;
        record(
            &txn,
            actor,
            request_id,
            "team.create",
            &row,
            None,
            Some(json!({ "name": row.name })),
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }

    /// Renames a team.
    pub async fn rename(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: TeamId,
        name: &str,
    ) -> ServiceResult<team::Model> {
        let actor = actor.authenticated()?;
        let name = RequiredText::parse("input.name", name, MAX_NAME)?.into_inner();
        let txn = self.db.begin_plain_write().await?;
        let before = find(&txn, actor, id).await?;
        actor.require_billing_write()?;
        if before.name == name {
            return Ok(before);
        }
        refuse_taken_name(&txn, before.customer_id, &name, Some(id)).await?;
        team::Entity::update_many()
            .col_expr(team::Column::Name, Expr::value(name.clone()))
            .filter(team::Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(on_unique_violation(|| AccountError::TeamNameTaken.into()))?;
        let after = team::Model {
            name,
            ..before.clone()
        };
        record(
            &txn,
            actor,
            request_id,
            "team.rename",
            &after,
            Some(json!({ "name": before.name })),
            Some(json!({ "name": after.name })),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Deletes a team; returns it and how many members moved. Its members move to `move_to`,
    /// another team of the organisation; without one, a team with members is refused
    /// (`CONFLICT`).
    pub async fn delete(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: TeamId,
        move_to: Option<TeamId>,
    ) -> ServiceResult<(team::Model, u64)> {
        let actor = actor.authenticated()?;
        let txn = self.db.begin_plain_write().await?;
        let row = find(&txn, actor, id).await?;
        let destination = match move_to {
            Some(to) => Some(find(&txn, actor, to).await?),
            None => None,
        };
        actor.require_billing_write()?;
        if let Some(to) = &destination {
            if to.id == id {
                return Err(AccountError::MoveIntoDeletedTeam.into());
            }
            // In the caller's scope, but it must also be this organisation's (staff).
            if to.customer_id != row.customer_id {
                return Err(AccountError::TeamNotFound.into());
            }
        }
        let members = member::Entity::find()
            .filter(member::Column::TeamId.eq(id))
            .count(&txn)
            .await?;
        let moved = match (&destination, members) {
            (_, 0) => 0,
            (None, count) => return Err(AccountError::TeamHasMembers { count }.into()),
            (Some(to), _) => {
                member::Entity::update_many()
                    .col_expr(member::Column::TeamId, Expr::value(to.id))
                    .filter(member::Column::TeamId.eq(id))
                    .exec(&txn)
                    .await?
                    .rows_affected
            }
        };
        team::Entity::delete_by_id(id).exec(&txn).await?;
        record(
            &txn,
            actor,
            request_id,
            "team.delete",
            &row,
            Some(json!({ "name": row.name, "members": members })),
            destination
                .as_ref()
                .map(|to| json!({ "members_moved_to": to.id.to_string(), "moved": moved })),
        )
        .await?;
        txn.commit().await?;
        Ok((row, moved))
    }
}

/// The team `id` within the actor's scope: another tenant's answers `NOT_FOUND` like an unknown
/// one.
pub(super) async fn find<C: ConnectionTrait>(
    db: &C,
    actor: &AuthenticatedActor,
    id: TeamId,
) -> ServiceResult<team::Model> {
    Ok(team::Entity::find_by_id(id)
        .filter(actor.scope().condition(team::Column::CustomerId))
        .one_by_key(db)
        .await?
        .ok_or(AccountError::TeamNotFound)?)
}

/// `BAD_USER_INPUT` on the name when another team of `customer` (than `except`) has it. The
/// unique index catches a concurrent twin.
async fn refuse_taken_name(
    txn: &PlainWrite,
    customer: CustomerId,
    name: &str,
    except: Option<TeamId>,
) -> ServiceResult<()> {
    let taken = team::Entity::find()
        .filter(team::Column::CustomerId.eq(customer))
        .filter(team::Column::Name.eq(name))
        .one_by_key(txn)
        .await?
        .is_some_and(|t| Some(t.id) != except);
    if taken {
        return Err(AccountError::TeamNameTaken.into());
    }
    Ok(())
}

/// Writes the audit entry of a change to a team.
async fn record(
    txn: &PlainWrite,
    actor: &AuthenticatedActor,
    request_id: Option<&str>,
    action: &'static str,
    row: &team::Model,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> ServiceResult<()> {
    audit::record(
        txn,
        Some(actor),
        request_id,
        AuditEntry {
            customer: Some(row.customer_id),
            action,
            subject_type: "team",
            subject_id: row.id.to_string(),
            before,
            after,
        },
    )
    .await?;
    Ok(())
}
