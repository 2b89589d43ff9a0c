//! The operator's own people: administrators add staff users (admin, billing staff, support),
//! change their role, and disable or re-enable them. Administrators only; a staff user is
//! never a customer's user, so a customer user's id answers `NOT_FOUND` here, as one that does
//! not exist.
//!
//! A new staff user gets a random initial password, shown once to the administrator who
//! hands it over, and changed by its owner at the first sign-in (`changePassword`): no
//! administrator chooses, or ever reads back, a password someone keeps.
//!
//! The operator always keeps an enabled administrator: the last one is neither demoted nor
//! disabled (`LAST_ADMIN`), and nobody disables their own account. A changed or disabled
//! user's tokens stop working at their next request (the session version is bumped).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use entity::user::{self, UserRole};
use ids::UserId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use serde_json::json;

use super::AccountError;
use crate::auth::{Actor, Role, hash_password};
use crate::db::{Db, PlainWrite, UniqueLookup};
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::{Email, RequiredText};
use crate::services::like::search_text;
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};

/// Which staff users to list: every one by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaffFilter {
    /// A piece of the name or e-mail, lower-cased.
    pub search: Option<String>,
    /// Only users with this role.
    pub role: Option<Role>,
    /// Only users who may sign in (`true`) or the disabled ones.
    pub enabled: Option<bool>,
}

impl StaffFilter {
    /// The filter from a search as typed: `BAD_USER_INPUT` on `search` when too long, on
    /// `role` for a customer's role (no staff user has one).
    pub fn new(
        search: Option<&str>,
        role: Option<Role>,
        enabled: Option<bool>,
    ) -> ServiceResult<Self> {
        if role.is_some_and(|r| !r.is_staff()) {
            return Err(ServiceError::bad_input("role", "choose a staff role"));
        }
        Ok(Self {
            search: search_text("search", search)?,
            role,
            enabled,
        })
    }
}

/// Staff users, oldest first.
const STAFF: Keyset<user::Entity> = Keyset {
    list: "staff users",
    columns: &[
        (user::Column::CreatedAt, KeyKind::Time),
        (user::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |u| time_key(u.created_at, u.id),
};

/// Random bytes of an initial password (24 bytes: 32 characters of base64).
const INITIAL_PASSWORD_BYTES: usize = 24;

/// A staff user just added, with the password to hand over.
#[derive(Debug)]
pub struct NewStaffUser {
    /// The user.
    pub user: user::Model,
    /// The initial password, in clear: returned once, stored only as its Argon2 hash.
    pub initial_password: String,
}

/// What may change about a staff user.
#[derive(Clone, Copy, Debug)]
pub enum StaffChange {
    /// Another staff role.
    Role(Role),
    /// Disabled (`true`: cannot sign in, tokens refused) or enabled again.
    Disabled(bool),
}

/// The operator's staff users.
#[derive(Clone)]
pub struct StaffService {
    db: Db,
}

impl StaffService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The staff users `filter` selects, oldest first (administrators only).
    pub async fn list(
        &self,
        actor: &Actor,
        filter: &StaffFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<user::Model>> {
        actor.authenticated()?.require_admin()?;
        let mut select = user::Entity::find().filter(user::Column::CustomerId.is_null());
        if let Some(text) = &filter.search {
            select = select.filter(super::users::name_or_email_contains(text));
        }
        if let Some(role) = filter.role {
            select = select.filter(user::Column::Role.eq(UserRole::from(role)));
        }
        if let Some(enabled) = filter.enabled {
            select = select.filter(user::Column::Disabled.eq(!enabled));
        }
        Ok(fetch_page(self.db.reads(), select, &STAFF, &page).await?)
    }

    /// Adds a staff user with `role` and a random initial password.
    pub async fn create(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        email: &str,
        name: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> ServiceResult<NewStaffUser> {
        let actor = actor.authenticated()?;
        actor.require_admin()?;
        let email = Email::parse(email)?.into_inner();
        let name = RequiredText::parse("input.name", name, 200)?.into_inner();
        if !role.is_staff() {
            return Err(AccountError::CustomerRoleForStaff.into());
        }
        let initial_password = initial_password()?;
        let password = initial_password.clone();
        let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(ServiceError::internal)?
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let row = user::Model {
            id: UserId::new(),
            email,
            name,
            password_hash,
            role: role.into(),
            customer_id: None,
            disabled: false,
            session_version: 0,
            created_at: now,
        };
        let txn = self.db.begin_plain_write().await?;
        if user::Entity::find()
            .filter(user::Column::Email.eq(&row.email))
            .one_by_key(&txn)
            .await?
            .is_some()
        {
            return Err(AccountError::EmailTaken.into());
        }
        user::Entity::insert(user::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(|| AccountError::EmailTaken.into()))?;
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: None,
                action: "staff_user.create",
                subject_type: "user",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(audited(&row)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(NewStaffUser {
            user: row,
            initial_password,
        })
    }

    /// Changes a staff user's role or whether they may sign in; their sessions end.
    pub async fn change(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: UserId,
        change: StaffChange,
    ) -> ServiceResult<user::Model> {
        let actor = actor.authenticated()?;
        actor.require_admin()?;
        let txn = self.db.begin_plain_write().await?;
        lock_staff(&txn).await?;
        let before = user::Entity::find_by_id(id)
            .filter(user::Column::CustomerId.is_null())
            .one_by_key(&txn)
            .await?
            .ok_or(AccountError::UserNotFound)?;
        let after = match change {
            StaffChange::Role(role) if !role.is_staff() => {
                return Err(AccountError::CustomerRoleForStaff.into());
            }
            StaffChange::Role(role) => user::Model {
                role: role.into(),
                ..before.clone()
            },
            StaffChange::Disabled(true) if before.id == actor.user_id => {
                return Err(AccountError::DisableSelf.into());
            }
            StaffChange::Disabled(disabled) => user::Model {
                disabled,
                ..before.clone()
            },
        };
        if after.role == before.role && after.disabled == before.disabled {
            return Ok(before);
        }
        let was_admin = before.role == UserRole::Admin && !before.disabled;
        let stays_admin = after.role == UserRole::Admin && !after.disabled;
        if was_admin && !stays_admin {
            keep_an_admin(&txn, id).await?;
        }
        user::Entity::update_many()
            .col_expr(user::Column::Role, Expr::value(after.role))
            .col_expr(user::Column::Disabled, Expr::value(after.disabled))
            .col_expr(
                user::Column::SessionVersion,
                Expr::col(user::Column::SessionVersion).add(1),
            )
            .filter(user::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        let after = user::Model {
            session_version: before.session_version + 1,
            ..after
        };
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: None,
                action: match change {
                    StaffChange::Role(_) => "staff_user.role",
                    StaffChange::Disabled(true) => "staff_user.disable",
                    StaffChange::Disabled(false) => "staff_user.enable",
                },
                subject_type: "user",
                subject_id: id.to_string(),
                before: Some(audited(&before)),
                after: Some(audited(&after)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }
}

/// On PostgreSQL, locks the staff users' rows, so two administrators demoting or disabling
/// each other at once are serialised and one of them stays (SQLite's writes are serial).
async fn lock_staff(txn: &PlainWrite) -> ServiceResult<()> {
    if txn.get_database_backend() == DbBackend::Postgres {
        user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::CustomerId.is_null())
            .lock_exclusive()
            .into_tuple::<UserId>()
            .all(txn)
            .await?;
    }
    Ok(())
}

/// `LAST_ADMIN` unless an enabled administrator other than `leaving` remains.
async fn keep_an_admin(txn: &PlainWrite, leaving: UserId) -> ServiceResult<()> {
    let others = user::Entity::find()
        .filter(user::Column::CustomerId.is_null())
        .filter(user::Column::Role.eq(UserRole::Admin))
        .filter(user::Column::Disabled.eq(false))
        .filter(user::Column::Id.ne(leaving))
        .count(txn)
        .await?;
    if others == 0 {
        return Err(AccountError::LastAdmin.into());
    }
    Ok(())
}

/// What the audit log keeps of a staff user (never the password hash).
fn audited(row: &user::Model) -> serde_json::Value {
    json!({
        "email": row.email,
        "name": row.name,
        "role": Role::from(row.role).as_str(),
        "disabled": row.disabled,
    })
}

fn initial_password() -> ServiceResult<String> {
    let mut bytes = [0u8; INITIAL_PASSWORD_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::internal(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_initial_password_is_long_and_never_the_same() {
        let first = initial_password().expect("random");
        let second = initial_password().expect("random");
        assert_eq!(first.len(), 32);
        assert_ne!(first, second);
    }
}
