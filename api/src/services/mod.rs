//! Use cases, one module per area. Services own transactions, apply the actor's tenant scope to
//! every query, write audit entries, and convert rows to domain types. Resolvers and portal
//! handlers call them and do nothing else of substance.

pub mod accounts;
pub mod audit;
pub mod customers;
pub mod page;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::TokenKeys;

/// Every service, cheap to clone (they share one connection pool).
#[derive(Clone)]
pub struct Services {
    /// Sign-in and the current user.
    pub accounts: accounts::AccountsService,
    /// Customer organisations, their teams and members.
    pub customers: customers::CustomersService,
}

impl Services {
    /// Wires the services to a database and the token keys.
    pub fn new(db: DatabaseConnection, keys: Arc<TokenKeys>) -> Self {
        Self {
            accounts: accounts::AccountsService::new(db.clone(), keys),
            customers: customers::CustomersService::new(db),
        }
    }
}
