//! Use cases, one module per area. Services own transactions, apply the actor's tenant scope to
//! every query, write audit entries, and convert rows to domain types. Resolvers and portal
//! handlers call them and do nothing else of substance.

pub mod accounts;
pub mod audit;
pub mod catalog;
mod convert;
pub mod customers;
pub mod idempotency;
pub mod licenses;
pub mod organisations;
pub mod page;
pub mod subscriptions;
pub mod tenant_state;
pub mod upcoming;

use std::sync::Arc;

use crate::auth::TokenKeys;
use crate::db::Db;

/// Every service, cheap to clone (they share one connection pool).
#[derive(Clone)]
pub struct Services {
    /// Sign-in and the current user.
    pub accounts: accounts::AccountsService,
    /// Customer organisations, their teams and members.
    pub customers: customers::CustomersService,
    /// Staff writes to organisations, teams and members.
    pub organisations: organisations::OrganisationsService,
    /// Products and prices.
    pub catalog: catalog::CatalogService,
    /// Subscriptions.
    pub subscriptions: subscriptions::SubscriptionsService,
    /// License items and seats.
    pub licenses: licenses::LicensesService,
    /// Binding license changes.
    pub license_changes: licenses::change::LicensesChanges,
    /// Seat assignment.
    pub license_seats: licenses::seats::LicenseSeats,
    /// Upcoming charges.
    pub upcoming: upcoming::UpcomingService,
    /// Business time.
    pub clock: crate::clock::Clock,
}

impl Services {
    /// Wires the services to a database and the token keys. Must be called within a Tokio
    /// runtime: quotes are stored by a background task.
    pub fn new(db: Db, keys: Arc<TokenKeys>) -> Self {
        let states = tenant_state::TenantStates::new(db.clone());
        Self {
            accounts: accounts::AccountsService::new(db.clone(), keys),
            customers: customers::CustomersService::new(db.clone()),
            organisations: organisations::OrganisationsService::new(db.clone()),
            catalog: catalog::CatalogService::new(db.clone()),
            subscriptions: subscriptions::SubscriptionsService::new(db.clone()),
            licenses: licenses::LicensesService::new(db.clone(), states.clone()),
            license_changes: licenses::change::LicensesChanges::new(db.clone(), states.clone()),
            license_seats: licenses::seats::LicenseSeats::new(db),
            upcoming: upcoming::UpcomingService::new(states),
            clock: crate::clock::Clock::system(),
        }
    }
}
