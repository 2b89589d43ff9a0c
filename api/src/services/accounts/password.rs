//! Every signed-in user changes their own password: the current one is checked first (Argon2,
//! like sign-in, within the same limit of checks at once), the new one hashed, and the user's
//! session version bumped in the same write, so every token issued before — the user's other
//! sessions, and the one making the change — stops working at its next request. The caller
//! gets a new token to carry on with.

use entity::user;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::AccountError;
use super::organisations::MIN_PASSWORD_LEN;
use super::session::{AccountsService, MAX_PASSWORD_LEN, PASSWORD_CHECK_WAIT};
use crate::auth::{Actor, IssuedToken, hash_password, verify_password};
use crate::db::UniqueLookup;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};

impl AccountsService {
    /// Replaces the signed-in user's password with `new` once `current` is verified; returns a
    /// token for the caller at the new session version (every older token is refused from
    /// now on).
    pub async fn change_password(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        current: &str,
        new: &str,
    ) -> ServiceResult<IssuedToken> {
        let actor = actor.authenticated()?;
        if new.chars().count() < MIN_PASSWORD_LEN || new.len() > MAX_PASSWORD_LEN {
            return Err(AccountError::PasswordLength {
                field: "input.newPassword",
                min: MIN_PASSWORD_LEN,
            }
            .into());
        }
        if current.is_empty() || current.len() > MAX_PASSWORD_LEN {
            return Err(AccountError::CurrentPasswordWrong.into());
        }
        let before = user::Entity::find_by_id(actor.user_id)
            .one_by_key(self.db.reads())
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        let _permit = tokio::time::timeout(PASSWORD_CHECK_WAIT, self.password_checks.acquire())
            .await
            .map_err(|_| ServiceError::RateLimited)?
            .map_err(ServiceError::internal)?;
        let (stored, current, new) = (
            before.password_hash.clone(),
            current.to_owned(),
            new.to_owned(),
        );
        // Argon2 takes ~0.1 s of CPU per call: off the async workers, both calls at once.
        let (verified, unchanged, hash) = tokio::task::spawn_blocking(move || {
            let verified = verify_password(&current, Some(&stored));
            let unchanged = verified && current == new;
            let hash = (verified && !unchanged).then(|| hash_password(&new));
            (verified, unchanged, hash)
        })
        .await
        .map_err(ServiceError::internal)?;
        if !verified {
            tracing::info!(user = %actor.user_id, "password change refused: wrong current password");
            return Err(AccountError::CurrentPasswordWrong.into());
        }
        if unchanged {
            return Err(AccountError::PasswordUnchanged.into());
        }
        let hash = hash
            .ok_or_else(|| ServiceError::internal("no hash computed"))?
            .map_err(|e| ServiceError::internal(e.to_string()))?;

        let txn = self.db.begin_plain_write().await?;
        // Only from the version read above: a concurrent change of password wins alone.
        let changed = user::Entity::update_many()
            .col_expr(user::Column::PasswordHash, Expr::value(hash))
            .col_expr(
                user::Column::SessionVersion,
                Expr::col(user::Column::SessionVersion).add(1),
            )
            .filter(user::Column::Id.eq(actor.user_id))
            .filter(user::Column::SessionVersion.eq(before.session_version))
            .filter(user::Column::Disabled.eq(false))
            .exec(&txn)
            .await?;
        if changed.rows_affected != 1 {
            return Err(ServiceError::Conflict {
                message: "your password was just changed elsewhere: sign in again".into(),
            });
        }
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: before.customer_id,
                action: "user.password_change",
                subject_type: "user",
                subject_id: actor.user_id.to_string(),
                before: Some(json!({ "session_version": before.session_version })),
                after: Some(json!({ "session_version": before.session_version + 1 })),
            },
        )
        .await?;
        txn.commit().await?;
        tracing::info!(user = %actor.user_id, "password changed; older sessions ended");
        let after = user::Model {
            session_version: before.session_version + 1,
            ..before
        };
        self.issue_token(&after)
    }
}
