//! Idempotency keys: the same key with the same input returns the first result; with another
//! input, `CONFLICT`. Keys are scoped to a tenant (or a staff user) so tenants cannot collide.

use chrono::{DateTime, Utc};
use entity::idempotency_key;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use crate::auth::AuthenticatedActor;
use crate::db::UniqueLookup;
use crate::error::{ServiceError, ServiceResult};

/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 100;

/// A validated key with its scope.
#[derive(Clone, Debug)]
pub struct IdempotencyKey {
    scope: String,
    key: String,
}

impl IdempotencyKey {
    /// Checks the key (`field` names it for errors) and scopes it to the actor's tenant.
    pub fn new(actor: &AuthenticatedActor, field: &str, key: &str) -> ServiceResult<Self> {
        let key = key.trim();
        if key.is_empty() || key.len() > MAX_KEY_LEN || key.chars().any(char::is_control) {
            return Err(ServiceError::bad_input(
                field,
                format!("an idempotency key is 1 to {MAX_KEY_LEN} printable characters"),
            ));
        }
        let scope = match actor.tenant {
            Some(tenant) => tenant.to_string(),
            None => actor.user_id.to_string(),
        };
        Ok(Self {
            scope,
            key: key.to_owned(),
        })
    }

    /// The stored result of an earlier use with the same input, `CONFLICT` if the key was used
    /// with another input, `None` if it is new.
    pub async fn replay<C: ConnectionTrait>(
        &self,
        db: &C,
        operation: &str,
        input: &str,
    ) -> ServiceResult<Option<serde_json::Value>> {
        let Some(row) = idempotency_key::Entity::find()
            .filter(idempotency_key::Column::Scope.eq(&self.scope))
            .filter(idempotency_key::Column::Key.eq(&self.key))
            .one_by_key(db)
            .await?
        else {
            return Ok(None);
        };
        if row.operation != operation || row.request_hash != hash(input) {
            return Err(ServiceError::Conflict {
                message: "this idempotency key was already used for another request".into(),
            });
        }
        Ok(Some(row.response))
    }

    /// Remembers `response` as the result of `input` under this key.
    pub async fn remember<C: ConnectionTrait>(
        &self,
        db: &C,
        operation: &str,
        input: &str,
        response: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<(), sea_orm::DbErr> {
        idempotency_key::Entity::insert(idempotency_key::ActiveModel {
            id: Set(ids::IdempotencyKeyId::new()),
            scope: Set(self.scope.clone()),
            key: Set(self.key.clone()),
            operation: Set(operation.to_owned()),
            request_hash: Set(hash(input)),
            response: Set(response),
            created_at: Set(now),
        })
        .exec_without_returning(db)
        .await
        .map(|_| ())
    }
}

fn hash(input: &str) -> String {
    format!("{:x}", Sha256::digest(input.as_bytes()))
}
