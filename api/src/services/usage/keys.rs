//! API keys for machine clients: operator staff create a key with scopes, see its secret
//! (`bf_` and 43 URL-safe characters: 32 random bytes) once, and may revoke it. Only the
//! secret's SHA-256 is stored: a request's key is found by hashing what it presents, so no
//! constant-time comparison is needed. A key acts as operator staff in the name of the staff
//! member who created it (audit entries name them), limited to its scopes, which the HTTP
//! layer enforces (`/graphql` runs only `recordUsage` for `usage:write`
//! and queries for `read`; the usage routes ask for `usage:write`). Its last use is recorded at most once a minute,
//! so authenticating is not a write per request.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use entity::{api_key, user};
use ids::ApiKeyId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde_json::json;

use crate::auth::{Actor, AuthenticatedActor, Role};
use crate::clock::Clock;
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::RequiredText;
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};
use crate::storage::sha256_hex;

/// Every API key secret starts with this.
pub const SECRET_PREFIX: &str = "bf_";
/// How often a key's last use is written at most.
const LAST_USE_RESOLUTION: Duration = Duration::seconds(60);
/// API keys, newest first.
const API_KEYS: Keyset<api_key::Entity> = Keyset {
    list: "api keys",
    columns: &[
        (api_key::Column::CreatedAt, KeyKind::Time),
        (api_key::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Descending,
    key: |k| time_key(k.created_at, k.id),
};

/// What a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, async_graphql::Enum)]
pub enum Scope {
    /// Record usage (`recordUsage`, `POST /api/v3/usage`, CSV imports).
    #[graphql(name = "USAGE_WRITE")]
    UsageWrite,
    /// Run GraphQL queries (read what operator staff read).
    #[graphql(name = "READ")]
    Read,
}

impl Scope {
    /// The stored and documented form: `usage:write`, `read`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::UsageWrite => "usage:write",
            Scope::Read => "read",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "usage:write" => Some(Scope::UsageWrite),
            "read" => Some(Scope::Read),
            _ => None,
        }
    }
}

/// The scopes stored in a row.
pub fn scopes_of(row: &api_key::Model) -> Vec<Scope> {
    row.scopes.split(',').filter_map(Scope::parse).collect()
}

/// A verified API key on a request: which key, and what it may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyGrant {
    /// The key.
    pub key: ApiKeyId,
    /// Its scopes.
    pub scopes: Vec<Scope>,
}

impl ApiKeyGrant {
    /// `FORBIDDEN` unless the key has `scope`.
    pub fn require(&self, scope: Scope) -> ServiceResult<()> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }
}

/// A key just created: its row and its secret, shown this once.
#[derive(Clone, Debug)]
pub struct CreatedApiKey {
    /// The stored key.
    pub row: api_key::Model,
    /// The secret (`bf_…`); never stored, never shown again.
    pub secret: String,
}

/// API keys.
#[derive(Clone)]
pub struct ApiKeys {
    db: Db,
    clock: Clock,
}

impl ApiKeys {
    /// Keys over `db`.
    pub fn new(db: Db, clock: Clock) -> Self {
        Self { db, clock }
    }

    /// Creates a key with `scopes` (at least one), named `name` (operator staff, signed in:
    /// a key cannot create keys, which the HTTP layer's scope check guarantees).
    pub async fn create(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        name: &str,
        scopes: &[Scope],
    ) -> ServiceResult<CreatedApiKey> {
        let staff = actor.authenticated()?;
        staff.require_admin()?;
        let name = RequiredText::parse("input.name", name, 100)?.into_inner();
        let mut scopes = scopes.to_vec();
        scopes.sort_by_key(|s| s.as_str());
        scopes.dedup();
        if scopes.is_empty() {
            return Err(ServiceError::bad_input(
                "input.scopes",
                "give at least one scope",
            ));
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| ServiceError::internal(e.to_string()))?;
        let secret = format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
        let row = api_key::Model {
            id: ApiKeyId::new(),
            name,
            prefix: secret.chars().take(11).collect(),
            secret_hash: sha256_hex(secret.as_bytes()),
            scopes: scopes
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(","),
            created_by: staff.user_id,
            created_at: self.clock.now(),
            last_used_at: None,
            revoked_at: None,
        };
        let txn = self.db.begin_plain_write().await?;
        api_key::Entity::insert(api_key::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: None,
                action: "api_key.create",
                subject_type: "api_key",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(
                    json!({ "name": row.name, "prefix": row.prefix, "scopes": row.scopes }),
                ),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(CreatedApiKey { row, secret })
    }

    /// Revokes a key: it authenticates nothing from now on. Revoking it again changes nothing.
    pub async fn revoke(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: ApiKeyId,
    ) -> ServiceResult<api_key::Model> {
        let staff = actor.authenticated()?;
        staff.require_admin()?;
        let txn = self.db.begin_plain_write().await?;
        let row = api_key::Entity::find_by_id(id)
            .one_by_key(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "API key" })?;
        if row.revoked_at.is_some() {
            return Ok(row);
        }
        let now = self.clock.now();
        api_key::Entity::update_many()
            .col_expr(api_key::Column::RevokedAt, Expr::value(Some(now)))
            .filter(api_key::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: None,
                action: "api_key.revoke",
                subject_type: "api_key",
                subject_id: row.id.to_string(),
                before: Some(json!({ "revoked": false })),
                after: Some(json!({ "revoked": true })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(api_key::Model {
            revoked_at: Some(now),
            ..row
        })
    }

    /// The keys, newest first, revoked ones included unless `active` says otherwise
    /// (administrators).
    pub async fn list(
        &self,
        actor: &Actor,
        active: Option<bool>,
        page: &PageRequest,
    ) -> ServiceResult<Page<api_key::Model>> {
        actor.authenticated()?.require_admin()?;
        let select = match active {
            Some(true) => api_key::Entity::find().filter(api_key::Column::RevokedAt.is_null()),
            Some(false) => api_key::Entity::find().filter(api_key::Column::RevokedAt.is_not_null()),
            None => api_key::Entity::find(),
        };
        Ok(fetch_page(self.db.reads(), select, &API_KEYS, page).await?)
    }

    /// The actor and grant of a presented secret: an unrevoked key whose creator is still an
    /// enabled staff member. Anything else is `UNAUTHENTICATED`. Records the use when the last
    /// one recorded is more than a minute old.
    pub async fn authenticate(&self, secret: &str) -> ServiceResult<(Actor, ApiKeyGrant)> {
        if !secret.starts_with(SECRET_PREFIX) {
            return Err(ServiceError::Unauthenticated);
        }
        let row = api_key::Entity::find()
            .filter(api_key::Column::SecretHash.eq(sha256_hex(secret.as_bytes())))
            .one_by_key(self.db.reads())
            .await?
            .filter(|k| k.revoked_at.is_none())
            .ok_or(ServiceError::Unauthenticated)?;
        let creator = user::Entity::find_by_id(row.created_by)
            .one_by_key(self.db.reads())
            .await?
            .filter(|u| !u.disabled)
            .ok_or(ServiceError::Unauthenticated)?;
        let role = Role::from(creator.role);
        if !role.is_staff() {
            return Err(ServiceError::Unauthenticated);
        }
        let now = self.clock.now();
        if row
            .last_used_at
            .is_none_or(|at| now - at >= LAST_USE_RESOLUTION)
        {
            self.touch(row.id, now).await?;
        }
        Ok((
            Actor::User(AuthenticatedActor {
                user_id: creator.id,
                role,
                tenant: None,
            }),
            ApiKeyGrant {
                key: row.id,
                scopes: scopes_of(&row),
            },
        ))
    }

    /// Records a use, unless another request recorded one within the minute (a conditional
    /// update, so racing requests write it once).
    async fn touch(&self, id: ApiKeyId, now: DateTime<Utc>) -> ServiceResult<()> {
        api_key::Entity::update_many()
            .col_expr(api_key::Column::LastUsedAt, Expr::value(Some(now)))
            .filter(api_key::Column::Id.eq(id))
            .filter(
                Condition::any()
                    .add(api_key::Column::LastUsedAt.is_null())
                    .add(api_key::Column::LastUsedAt.lte(now - LAST_USE_RESOLUTION)),
            )
            .exec(self.db.writes())
            .await?;
        Ok(())
    }
}
