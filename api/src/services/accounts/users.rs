//! Owners decide who uses their organisation: they change a user's role and remove users. The
//! organisation always keeps an owner: the last one is neither demoted nor removed. A changed
//! or removed user's tokens stop working at their next request (the session version is bumped,
//! and `authenticate` checks the user row and its role on every request).

use chrono::{DateTime, Utc};
use entity::user::UserRole;
use entity::{customer, user};
use ids::UserId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
};
use serde_json::json;

use super::AccountError;
use super::invitations::require_owner;
use crate::auth::{Actor, AuthenticatedActor, Role};
use crate::db::{Db, PlainWrite, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::like::{contains_lowercase, search_text};

/// Which of an organisation's users to list: every one by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserFilter {
    /// A piece of the name or e-mail, lower-cased.
    search: Option<String>,
    /// Only users with this role.
    role: Option<Role>,
}

impl UserFilter {
    /// The filter from a search as typed: `BAD_USER_INPUT` on `search` when too long, on `role`
    /// for a staff role (no organisation's user has one).
    pub fn new(search: Option<&str>, role: Option<Role>) -> ServiceResult<Self> {
        if role.is_some_and(Role::is_staff) {
            return Err(ServiceError::bad_input(
                "role",
                "choose an organisation's role (OWNER, BILLING_ADMIN or VIEWER)",
            ));
        }
        Ok(Self {
            search: search_text("search", search)?,
            role,
        })
    }

    /// The rows it keeps.
    pub(super) fn condition(&self) -> Condition {
        let mut condition = Condition::all();
        if let Some(text) = &self.search {
            condition = condition.add(name_or_email_contains(text));
        }
        if let Some(role) = self.role {
            condition = condition.add(user::Column::Role.eq(UserRole::from(role)));
        }
        condition
    }
}

/// Users whose name or e-mail contains `text` (lower-cased), in any case: the search of the
/// staff list and of an organisation's users.
pub(super) fn name_or_email_contains(text: &str) -> Condition {
    Condition::any()
        .add(contains_lowercase(Expr::col(user::Column::Name), text))
        .add(contains_lowercase(Expr::col(user::Column::Email), text))
}

/// Changes to an organisation's users.
#[derive(Clone)]
pub struct UsersService {
    db: Db,
}

impl UsersService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Gives a user of an organisation another customer role (its owners, or staff).
    pub async fn change_role(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: UserId,
        role: Role,
        now: DateTime<Utc>,
    ) -> ServiceResult<user::Model> {
        let actor = actor.authenticated()?;
        let txn = self.db.begin_plain_write().await?;
        let before = find(&txn, actor, id).await?;
        require_owner(actor)?;
        if role.is_staff() {
            return Err(AccountError::StaffRoleForCustomer.into());
        }
        let role = UserRole::from(role);
        if before.role == role {
            return Ok(before);
        }
        if before.role == UserRole::Owner {
            keep_an_owner(&txn, &before).await?;
        }
        user::Entity::update_many()
            .col_expr(user::Column::Role, Expr::value(role))
            .col_expr(
                user::Column::SessionVersion,
                Expr::col(user::Column::SessionVersion).add(1),
            )
            .filter(user::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        let after = user::Model {
            role,
            session_version: before.session_version + 1,
            ..before.clone()
        };
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: before.customer_id,
                action: "user.role",
                subject_type: "user",
                subject_id: id.to_string(),
                before: Some(
                    json!({ "email": before.email, "role": Role::from(before.role).as_str() }),
                ),
                after: Some(
                    json!({ "email": after.email, "role": Role::from(after.role).as_str() }),
                ),
            },
        )
        .await?;
        txn.commit().await?;
        tracing::info!(user = %id, at = %now, "role changed; the user's sessions ended");
        Ok(after)
    }

    /// Removes a user of an organisation (its owners, or staff): their tokens stop working at
    /// once, and their e-mail address may be invited again. Returns the user as they were.
    pub async fn remove(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: UserId,
    ) -> ServiceResult<user::Model> {
        let actor = actor.authenticated()?;
        let txn = self.db.begin_plain_write().await?;
        let before = find(&txn, actor, id).await?;
        require_owner(actor)?;
        if before.role == UserRole::Owner {
            keep_an_owner(&txn, &before).await?;
        }
        user::Entity::delete_by_id(id).exec(&txn).await?;
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: before.customer_id,
                action: "user.remove",
                subject_type: "user",
                subject_id: id.to_string(),
                before: Some(json!({ "email": before.email, "name": before.name,
                            "role": Role::from(before.role).as_str() })),
                after: None,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(before)
    }
}

/// The customer user `id` within the actor's scope: another tenant's, and staff logins, answer
/// `NOT_FOUND` like an unknown one.
async fn find(
    txn: &PlainWrite,
    actor: &AuthenticatedActor,
    id: UserId,
) -> ServiceResult<user::Model> {
    Ok(user::Entity::find_by_id(id)
        .filter(actor.scope().condition(user::Column::CustomerId))
        .filter(user::Column::CustomerId.is_not_null())
        .one_by_key(txn)
        .await?
        .ok_or(AccountError::UserNotFound)?)
}

/// `LAST_OWNER` unless the organisation of `owner` has another owner. On PostgreSQL the
/// organisation's row is locked first, so two owners demoting each other at once are
/// serialised (SQLite's writes are serial already) and one of them stays.
async fn keep_an_owner(txn: &PlainWrite, owner: &user::Model) -> ServiceResult<()> {
    let Some(customer) = owner.customer_id else {
        return Ok(());
    };
    if txn.get_database_backend() == DbBackend::Postgres {
        customer::Entity::find_by_id(customer)
            .lock_exclusive()
            .one(txn)
            .await?;
    }
    let others = user::Entity::find()
        .filter(user::Column::CustomerId.eq(customer))
        .filter(user::Column::Role.eq(UserRole::Owner))
        .filter(user::Column::Id.ne(owner.id))
        .count(txn)
        .await?;
    if others == 0 {
        return Err(AccountError::LastOwner.into());
    }
    Ok(())
}
