//! SeaORM entities for Billfold, one module per table.
//!
//! Entities describe rows and nothing else: no GraphQL derives and no business rules. Services in
//! the `api` crate load them, convert them to `billing` types where money is involved, and write
//! them back. Amounts (when they come) are integer minor units; exact rates are text.

pub mod audit_log;
pub mod customer;
pub mod idempotency_key;
pub mod member;
pub mod team;
pub mod user;

pub mod prelude {
    //! The entity types under short names, for `use entity::prelude::*`.
    pub use super::audit_log::Entity as AuditLog;
    pub use super::customer::Entity as Customer;
    pub use super::idempotency_key::Entity as IdempotencyKey;
    pub use super::member::Entity as Member;
    pub use super::team::Entity as Team;
    pub use super::user::Entity as User;
}
