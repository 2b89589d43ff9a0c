//! Use cases, one folder per slice (the same names in `graphql/`, the portal's `pages/` and
//! `tests/e2e/`). Services own transactions, apply the actor's tenant scope to every query,
//! write audit entries, and convert rows to domain types. Resolvers and portal handlers call
//! them and do nothing else of substance.
//!
//! Shared by every slice, one place each: [`audit`], [`idempotency`], [`input`] (inputs parsed
//! into types valid once built), [`page`] (keyset pagination) and [`tenant_state`] (the
//! revision-checked cache of a tenant's state). A slice uses another slice only through its
//! public functions (e.g. `catalog::rows` to read a price row as `billing` prices it).

// Slices.
pub mod accounts;
pub mod catalog;
pub mod charges;
pub mod coupons;
pub mod credits;
pub mod documents;
pub mod invoices;
pub mod licenses;
pub mod mail;
pub mod numbers;
pub mod payments;
pub mod subscriptions;
pub mod tax;
pub mod usage;
pub mod vault;

// Shared.
pub mod audit;
pub mod csv_file;
pub mod idempotency;
pub mod input;
pub mod like;
pub mod page;
pub mod tenant_state;

use std::sync::Arc;

use crate::auth::TokenKeys;
use crate::db::Db;

/// Every service, cheap to clone (they share one connection pool).
#[derive(Clone)]
pub struct Services {
    /// Sign-in and the current user.
    pub accounts: accounts::session::AccountsService,
    /// Customer organisations, their teams and members.
    pub customers: accounts::CustomersService,
    /// Staff writes to organisations and their logins.
    pub organisations: accounts::organisations::OrganisationsService,
    /// Teams of organisations.
    pub teams: accounts::teams::TeamsService,
    /// Members of organisations.
    pub members: accounts::members::MembersService,
    /// Contacts of organisations.
    pub contacts: accounts::contacts::ContactsService,
    /// Billing addresses of organisations.
    pub addresses: accounts::addresses::AddressesService,
    /// Invitations to become an organisation's portal user.
    pub invitations: accounts::invitations::InvitationsService,
    /// Owners' changes to their organisation's users (roles, removals).
    pub users: accounts::users::UsersService,
    /// Administrators' changes to the operator's staff users.
    pub staff: accounts::staff::StaffService,
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
    pub upcoming: invoices::UpcomingService,
    /// Billing runs.
    pub billing_runs: invoices::BillingRuns,
    /// Finalised invoices.
    pub invoices: invoices::InvoicesService,
    /// Credit balances, their ledgers, and credit notes.
    pub credits: credits::CreditsService,
    /// One-time charges and addons.
    pub charges: charges::ChargesService,
    /// Coupons: catalog, application, what customers read.
    pub coupons: coupons::CouponsService,
    /// Tax rates by country and region.
    pub tax_rates: tax::TaxRatesService,
    /// Customers' billing settings (country, region, tax id, exemption, payment terms).
    pub billing_settings: tax::BillingSettingsService,
    /// Business time.
    pub clock: crate::clock::Clock,
    /// The configured number prefixes every finalising service shares.
    pub numbering: invoices::numbering::Numbering,
    /// Invoice and credit note PDFs, rendered once and stored.
    pub documents: documents::DocumentsService,
    /// The mail outbox and its worker.
    pub mail: mail::MailService,
    /// The documents vault: uploads, reviews, downloads.
    pub vault: vault::VaultService,
    /// Payment methods, attempts, collection and refunds, through the configured processor.
    pub payments: payments::PaymentsService,
    /// Usage ingestion (every path: GraphQL, ChargeOver's endpoint, CSV).
    pub usage: usage::UsageService,
    /// API keys of machine clients.
    pub api_keys: usage::ApiKeys,
    /// Detailed consumption: selections, totals, records and exports.
    pub consumption: usage::consumption::ConsumptionService,
    /// Tariffs, telephone numbers and their calls.
    pub numbers: numbers::NumbersService,
}

impl Services {
    /// Wires the services to a database, the token keys and the configuration (billing
    /// settings, the operator, document storage, mail). Must be called within a Tokio runtime:
    /// quotes are stored by a background task.
    pub fn new(
        db: Db,
        keys: Arc<TokenKeys>,
        config: &crate::config::Config,
    ) -> Result<Self, crate::BoxError> {
        let billing = &config.billing;
        let storage = crate::storage::Storage::from_config(config)?;
        let sessions = accounts::session::AccountsService::new(db.clone(), keys);
        let issuer = Arc::new(documents::Issuer::from_config(&config.operator)?);
        let documents =
            documents::DocumentsService::new(db.clone(), storage.clone(), Arc::clone(&issuer));
        let mail = mail::MailService::new(
            db.clone(),
            documents.clone(),
            mail::MailSettings::from_config(config)?,
            crate::clock::Clock::system(),
        );
        let states = tenant_state::TenantStates::new(db.clone());
        let clock = crate::clock::Clock::system();
        let processor: Arc<dyn payments::processor::PaymentProcessor> =
            match config.payments.processor {
                crate::config::ProcessorKind::Sandbox => Arc::new(
                    payments::sandbox::SandboxProcessor::new(db.clone(), clock.clone()),
                ),
                crate::config::ProcessorKind::Stripe => Arc::new(
                    payments::stripe::StripeProcessor::new(&config.payments.stripe)?,
                ),
            };
        let payments = payments::PaymentsService::new(
            db.clone(),
            processor,
            clock.clone(),
            payments::PaymentSettings::from_config(&config.payments),
        );
        let numbering = invoices::numbering::Numbering::from_config(billing);
        Ok(Self {
            payments,
            usage: usage::UsageService::new(db.clone(), clock.clone()),
            api_keys: usage::ApiKeys::new(db.clone(), clock.clone()),
            consumption: usage::consumption::ConsumptionService::new(
                db.clone(),
                states.clone(),
                issuer,
            ),
            numbers: numbers::NumbersService::new(db.clone(), clock.clone()),
            documents,
            mail,
            vault: vault::VaultService::new(db.clone(), storage),
            accounts: sessions.clone(),
            invitations: accounts::invitations::InvitationsService::new(db.clone(), sessions),
            users: accounts::users::UsersService::new(db.clone()),
            staff: accounts::staff::StaffService::new(db.clone()),
            customers: accounts::CustomersService::new(db.clone()),
            organisations: accounts::organisations::OrganisationsService::new(db.clone()),
            teams: accounts::teams::TeamsService::new(db.clone()),
            members: accounts::members::MembersService::new(db.clone()),
            contacts: accounts::contacts::ContactsService::new(db.clone()),
            addresses: accounts::addresses::AddressesService::new(db.clone()),
            catalog: catalog::CatalogService::new(db.clone()),
            subscriptions: subscriptions::SubscriptionsService::new(db.clone(), numbering),
            licenses: licenses::LicensesService::new(db.clone(), states.clone()),
            license_changes: licenses::change::LicensesChanges::new(
                db.clone(),
                states.clone(),
                licenses::change::AdditionRules {
                    refuse_when_overdue: billing.refuse_additions_when_overdue,
                },
                numbering,
            ),
            license_seats: licenses::seats::LicenseSeats::new(db.clone()),
            charges: charges::ChargesService::new(db.clone(), states.clone(), numbering),
            coupons: coupons::CouponsService::new(db.clone(), states.clone()),
            tax_rates: tax::TaxRatesService::new(db.clone()),
            billing_settings: tax::BillingSettingsService::new(db.clone()),
            upcoming: invoices::UpcomingService::new(db.clone(), states),
            billing_runs: invoices::BillingRuns::new(db.clone(), numbering),
            credits: credits::CreditsService::new(db.clone(), numbering),
            invoices: invoices::InvoicesService::new(db),
            clock,
            numbering,
        })
    }
}
