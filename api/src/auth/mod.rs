//! Authentication: password hashing, JSON Web Tokens and the per-request [`Actor`].

mod actor;
mod jwt;
mod keys;
mod password;

pub use actor::{Actor, AuthenticatedActor, Role, TenantScope};
pub use jwt::{Claims, IssuedToken, JwtError, LEEWAY_SECONDS, TokenKeys};
pub use keys::load_keys;
pub use password::{hash_password, verify_password};
