//! Sign-in and the current user.

use std::sync::Arc;

use chrono::Utc;
use entity::{customer, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::AccountError;
use crate::auth::{Actor, AuthenticatedActor, IssuedToken, Role, TokenKeys, verify_password};
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::Email;
use entity::customer::CustomerStatus;
use ids::CustomerId;

/// Longest password accepted; longer inputs only cost hashing time.
pub(super) const MAX_PASSWORD_LEN: usize = 1024;
/// Password checks running at once. Argon2 costs ~0.1 s of a core: more in parallel would
/// only starve every other request on a small machine.
const CONCURRENT_PASSWORD_CHECKS: usize = 4;
/// How long a sign-in waits for a password check before answering `RATE_LIMITED`.
pub(super) const PASSWORD_CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// A successful sign-in.
#[derive(Clone, Debug)]
pub struct LoginOutcome {
    /// The bearer token and its expiry.
    pub token: IssuedToken,
    /// The signed-in user.
    pub user: user::Model,
}

/// The rows `authenticate` read to verify a caller: the rest of the request uses them instead
/// of reading them again.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The user, as read for this request.
    pub user: user::Model,
    /// The user's organisation (with its revision), for a customer user.
    pub organisation: Option<customer::Model>,
}

/// Sign-in and the current user.
#[derive(Clone)]
pub struct AccountsService {
    pub(super) db: Db,
    keys: Arc<TokenKeys>,
    pub(super) password_checks: Arc<tokio::sync::Semaphore>,
}

impl AccountsService {
    /// A service over `db`, signing with `keys`.
    pub fn new(db: Db, keys: Arc<TokenKeys>) -> Self {
        Self {
            db,
            keys,
            password_checks: Arc::new(tokio::sync::Semaphore::new(CONCURRENT_PASSWORD_CHECKS)),
        }
    }

    /// The actor behind a token: the signature and claims must verify, and the user must still
    /// exist, be enabled, hold the same role in the same organisation, and that organisation
    /// must not be closed. So a disabled user, a changed role or a closed customer stops a
    /// token at once, not when it expires. One primary-key read per request, whose rows come
    /// back with the actor.
    pub async fn authenticate(&self, token: &str) -> ServiceResult<(Actor, SignedIn)> {
        let claims = self
            .keys
            .verify(token)
            .map_err(|_| ServiceError::Unauthenticated)?;
        let Actor::User(actor) =
            Actor::from_claims(&claims).map_err(|_| ServiceError::Unauthenticated)?
        else {
            return Err(ServiceError::Unauthenticated);
        };
        let (user, customer) = user::Entity::find_by_id(actor.user_id)
            .find_also_related(customer::Entity)
            .one_by_key(self.db.reads())
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        // A token of an older session version was issued before a change of password.
        if !may_sign_in(&user, customer.as_ref())
            || actor_of(&user) != actor
            || claims.ver != user.session_version
        {
            return Err(ServiceError::Unauthenticated);
        }
        Ok((
            Actor::User(actor),
            SignedIn {
                user,
                organisation: customer,
            },
        ))
    }

    /// Checks an e-mail and password and issues a token. A wrong password, an unknown e-mail, a
    /// disabled user and a closed organisation get the same answer, in about the same time.
    /// At most a few checks run at once; past a short wait the answer is `RATE_LIMITED`.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        request_id: Option<&str>,
    ) -> ServiceResult<LoginOutcome> {
        let email = Email::parse(email)?.into_inner();
        if password.is_empty() || password.len() > MAX_PASSWORD_LEN {
            return Err(AccountError::SignInPassword {
                max: MAX_PASSWORD_LEN,
            }
            .into());
        }
        let found = user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one_by_key(self.db.reads())
            .await?;
        let (found, customer) = match found {
            Some(user) => {
                let customer = match user.customer_id {
                    Some(id) => {
                        customer::Entity::find_by_id(id)
                            .one_by_key(self.db.reads())
                            .await?
                    }
                    None => None,
                };
                (Some(user), customer)
            }
            None => (None, None),
        };
        let stored_hash = found.as_ref().map(|u| u.password_hash.clone());
        let password = password.to_owned();
        let _permit = tokio::time::timeout(PASSWORD_CHECK_WAIT, self.password_checks.acquire())
            .await
            .map_err(|_| ServiceError::RateLimited)?
            .map_err(ServiceError::internal)?;
        // Argon2 takes ~0.1 s of CPU: keep it off the async workers.
        let verified =
            tokio::task::spawn_blocking(move || verify_password(&password, stored_hash.as_deref()))
                .await
                .map_err(ServiceError::internal)?;
        let user = match found {
            Some(user) if verified && may_sign_in(&user, customer.as_ref()) => user,
            _ => {
                tracing::info!("sign-in refused");
                return Err(ServiceError::Unauthenticated);
            }
        };

        let actor = actor_of(&user);
        let token = self.issue_token(&user)?;

        let txn = self.db.begin_plain_write().await?;
        audit::record(
            &txn,
            Some(&actor),
            request_id,
            AuditEntry {
                customer: actor.tenant,
                action: "session.login",
                subject_type: "user",
                subject_id: actor.user_id.to_string(),
                before: None,
                after: None,
            },
        )
        .await?;
        txn.commit().await?;
        tracing::info!(user = %actor.user_id, role = actor.role.as_str(), "signed in");
        Ok(LoginOutcome { token, user })
    }

    /// The current user and, for a customer user, their organisation: the rows `authenticate`
    /// read for this request when given, else read now.
    pub async fn viewer(
        &self,
        actor: &Actor,
        signed_in: Option<&SignedIn>,
    ) -> ServiceResult<(user::Model, Option<customer::Model>)> {
        let actor = actor.authenticated()?;
        if let Some(signed_in) = signed_in
            && signed_in.user.id == actor.user_id
        {
            return Ok((signed_in.user.clone(), signed_in.organisation.clone()));
        }
        let (user, organisation) = user::Entity::find_by_id(actor.user_id)
            .find_also_related(customer::Entity)
            .one_by_key(self.db.reads())
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        if user.disabled {
            return Err(ServiceError::Unauthenticated);
        }
        Ok((user, organisation))
    }

    /// The user a command-line token is issued for: by e-mail when given, otherwise the first
    /// enabled user with that role (and tenant).
    pub async fn user_for_token(
        &self,
        role: Role,
        tenant: Option<CustomerId>,
        email: Option<&str>,
    ) -> ServiceResult<user::Model> {
        let mut query = user::Entity::find()
            .filter(user::Column::Role.eq(user::UserRole::from(role)))
            .filter(user::Column::Disabled.eq(false));
        query = match tenant {
            Some(t) => query.filter(user::Column::CustomerId.eq(t)),
            None => query.filter(user::Column::CustomerId.is_null()),
        };
        if let Some(email) = email {
            query = query.filter(user::Column::Email.eq(Email::parse(email)?.into_inner()));
        }
        query
            .one(self.db.reads())
            .await?
            .ok_or(AccountError::UserNotFound.into())
    }

    /// Issues a token for `user` (command line and tests).
    pub fn issue_token(&self, user: &user::Model) -> ServiceResult<IssuedToken> {
        let actor = actor_of(user);
        self.keys
            .issue(
                actor.user_id.to_string(),
                actor.role.as_str().to_owned(),
                actor.tenant.map(|t| t.to_string()),
                user.session_version,
                Utc::now(),
            )
            .map_err(ServiceError::internal)
    }
}

/// Whether a user may sign in (and keep using a token): enabled, and not of a closed
/// organisation. Suspended organisations keep access, to read and pay what they owe.
fn may_sign_in(user: &user::Model, customer: Option<&customer::Model>) -> bool {
    !user.disabled && customer.is_none_or(|c| c.status != CustomerStatus::Closed)
}

/// The actor a user row signs in as.
fn actor_of(user: &user::Model) -> AuthenticatedActor {
    AuthenticatedActor {
        user_id: user.id,
        role: user.role.into(),
        tenant: user.customer_id,
    }
}
