//! Who is making a request, built once per request from a verified token, and the guards that
//! every service applies: authenticated or not, staff or customer, and the tenant scope.

use std::str::FromStr;

use entity::user::UserRole;
use sea_orm::{ColumnTrait, Condition};

use super::jwt::{Claims, JwtError};
use crate::error::{ServiceError, ServiceResult};
use ids::{CustomerId, UserId};

/// What a user may do. Staff roles act on every tenant; customer roles on their own only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, async_graphql::Enum)]
pub enum Role {
    /// Operator administrator.
    Admin,
    /// Operator staff, the billing role: every change, money included; no staff management.
    Staff,
    /// Operator support: reads every organisation and reviews documents, changes nothing else.
    Support,
    /// Owner of a customer organisation.
    Owner,
    /// Billing administrator of a customer organisation: may change licenses and billing data.
    BillingAdmin,
    /// Read-only user of a customer organisation.
    Viewer,
}

impl Role {
    /// Whether this is an operator (staff) role: no tenant, reads every organisation.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Staff | Role::Support)
    }

    /// Whether this operator role may change things (support only reads and reviews).
    pub fn is_staff_writer(self) -> bool {
        matches!(self, Role::Admin | Role::Staff)
    }

    /// The token and database form, e.g. `billing_admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Support => "support",
            Role::Owner => "owner",
            Role::BillingAdmin => "billing_admin",
            Role::Viewer => "viewer",
        }
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "staff" => Ok(Role::Staff),
            "support" => Ok(Role::Support),
            "owner" => Ok(Role::Owner),
            "billing_admin" => Ok(Role::BillingAdmin),
            "viewer" => Ok(Role::Viewer),
            other => Err(format!(
                "unknown role `{other}` (admin, staff, support, owner, billing_admin, viewer)"
            )),
        }
    }
}

impl From<UserRole> for Role {
    fn from(role: UserRole) -> Self {
        match role {
            UserRole::Admin => Role::Admin,
            UserRole::Staff => Role::Staff,
            UserRole::Support => Role::Support,
            UserRole::Owner => Role::Owner,
            UserRole::BillingAdmin => Role::BillingAdmin,
            UserRole::Viewer => Role::Viewer,
        }
    }
}

impl From<Role> for entity::audit_log::ActorRole {
    fn from(role: Role) -> Self {
        use entity::audit_log::ActorRole;
        match role {
            Role::Admin => ActorRole::Admin,
            Role::Staff => ActorRole::Staff,
            Role::Support => ActorRole::Support,
            Role::Owner => ActorRole::Owner,
            Role::BillingAdmin => ActorRole::BillingAdmin,
            Role::Viewer => ActorRole::Viewer,
        }
    }
}

impl From<Role> for UserRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Admin => UserRole::Admin,
            Role::Staff => UserRole::Staff,
            Role::Support => UserRole::Support,
            Role::Owner => UserRole::Owner,
            Role::BillingAdmin => UserRole::BillingAdmin,
            Role::Viewer => UserRole::Viewer,
        }
    }
}

/// The caller of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// No credentials were presented.
    Anonymous,
    /// A verified user.
    User(AuthenticatedActor),
}

/// A user whose token was verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthenticatedActor {
    /// The user.
    pub user_id: UserId,
    /// The user's role when the token was issued.
    pub role: Role,
    /// The organisation of a customer user; `None` for staff.
    pub tenant: Option<CustomerId>,
}

/// Which customers' data an actor may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantScope {
    /// Every tenant (operator staff).
    All,
    /// One tenant (a customer user's own organisation).
    Only(CustomerId),
}

impl Actor {
    /// Builds the actor of a verified token. A token whose claims do not fit together (a
    /// customer role without a tenant, a staff role with one, an unknown role) is refused.
    pub fn from_claims(claims: &Claims) -> Result<Self, JwtError> {
        let user_id = claims
            .sub
            .parse::<UserId>()
            .map_err(|_| JwtError::Invalid)?;
        let role = claims.role.parse::<Role>().map_err(|_| JwtError::Invalid)?;
        let tenant = claims
            .tenant
            .as_deref()
            .map(str::parse::<CustomerId>)
            .transpose()
            .map_err(|_| JwtError::Invalid)?;
        if role.is_staff() == tenant.is_some() {
            return Err(JwtError::Invalid);
        }
        Ok(Actor::User(AuthenticatedActor {
            user_id,
            role,
            tenant,
        }))
    }

    /// The authenticated user, or `UNAUTHENTICATED`.
    pub fn authenticated(&self) -> ServiceResult<&AuthenticatedActor> {
        match self {
            Actor::User(user) => Ok(user),
            Actor::Anonymous => Err(ServiceError::Unauthenticated),
        }
    }
}

impl AuthenticatedActor {
    /// The tenants this actor may see.
    pub fn scope(&self) -> TenantScope {
        match self.tenant {
            Some(tenant) => TenantScope::Only(tenant),
            None => TenantScope::All,
        }
    }

    /// `FORBIDDEN` unless the actor is operator staff who may change things (admin or staff):
    /// every staff-only change goes through here, so support is refused by default.
    pub fn require_staff(&self) -> ServiceResult<()> {
        if self.role.is_staff_writer() {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    /// `FORBIDDEN` unless the actor is operator staff of any role, support included: for
    /// staff-only reads and the document review.
    pub fn require_staff_reader(&self) -> ServiceResult<()> {
        if self.role.is_staff() {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    /// `FORBIDDEN` unless the actor is an operator administrator (staff users, API keys).
    pub fn require_admin(&self) -> ServiceResult<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    /// `FORBIDDEN` for read-only roles: changes need staff (not support), an owner or a
    /// billing admin.
    pub fn require_billing_write(&self) -> ServiceResult<()> {
        match self.role {
            Role::Viewer | Role::Support => Err(ServiceError::Forbidden),
            _ => Ok(()),
        }
    }
}

impl TenantScope {
    /// A filter on `column` (a customer id column) that keeps only rows this scope may see.
    /// Every query on tenant data goes through here.
    pub fn condition(self, column: impl ColumnTrait) -> Condition {
        match self {
            TenantScope::All => Condition::all(),
            TenantScope::Only(tenant) => Condition::all().add(column.eq(tenant)),
        }
    }

    /// Whether this scope covers `customer`.
    pub fn allows(self, customer: CustomerId) -> bool {
        match self {
            TenantScope::All => true,
            TenantScope::Only(tenant) => tenant == customer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(role: &str, tenant: Option<String>) -> Claims {
        Claims {
            sub: UserId::new().to_string(),
            role: role.into(),
            tenant,
            iss: "billfold".into(),
            aud: "billfold-api".into(),
            exp: 0,
            iat: 0,
            jti: "j".into(),
            ver: 0,
        }
    }

    #[test]
    fn customer_roles_need_a_tenant_and_staff_roles_refuse_one() {
        let tenant = Some(CustomerId::new().to_string());
        assert!(Actor::from_claims(&claims("viewer", tenant.clone())).is_ok());
        assert!(Actor::from_claims(&claims("viewer", None)).is_err());
        assert!(Actor::from_claims(&claims("admin", None)).is_ok());
        assert!(Actor::from_claims(&claims("admin", tenant)).is_err());
        assert!(Actor::from_claims(&claims("root", None)).is_err());
    }

    #[test]
    fn a_tenant_scope_allows_only_its_tenant() {
        let mine = CustomerId::new();
        let scope = TenantScope::Only(mine);
        assert!(scope.allows(mine));
        assert!(!scope.allows(CustomerId::new()));
        assert!(TenantScope::All.allows(mine));
    }
}
