//! Demo data for `cargo run` and the end-to-end tests: an operator admin and two customer
//! organisations, each with an owner, a billing admin and a viewer, teams and members,
//! contacts and billing addresses ([`accounts`]), and a license subscription with some seats
//! assigned ([`licenses`]); for `cargo run`, months of call minutes by member and team
//! ([`usage`]), the invoice history that bills them ([`history`]) and documents in Acme's vault
//! ([`vault`]).

mod accounts;
pub mod history;
mod licenses;
mod numbers;
mod payments;
pub mod usage;
mod vault;

use chrono::Utc;
use entity::customer::CustomerStatus;
use entity::user::UserRole;
use entity::{customer, member, tax_rate, team, user};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::BoxError;
use crate::auth::{Actor, AuthenticatedActor, Role, hash_password};
use crate::db::{Db, UniqueLookup};
use crate::services::Services;
use ids::{CustomerId, MemberId, TaxRateId, TeamId, UserId};

/// The password of every demo login. Demo data only: never use it for anything real.
pub const DEMO_PASSWORD: &str = "billfold-demo";

/// E-mail of the demo operator administrator.
pub const DEMO_ADMIN_EMAIL: &str = "admin@billfold.example";
/// The demo operator's billing staff login (role `staff`: money, no staff management).
pub const DEMO_BILLING_STAFF_EMAIL: &str = "billing@billfold.example";
/// The demo operator's support login (role `support`: reads and document review).
pub const DEMO_SUPPORT_EMAIL: &str = "support@billfold.example";

/// A demo organisation and its logins.
pub struct DemoOrganisation {
    /// Display name.
    pub name: &'static str,
    /// Legal name.
    pub company: &'static str,
    /// ISO 4217 currency.
    pub currency: &'static str,
    /// IANA time zone.
    pub time_zone: &'static str,
    /// ISO 3166-1 alpha-2 country: its tax rate applies.
    pub country: &'static str,
    /// Tax rate of that country, percent, and its name on invoices.
    pub tax_rate: (&'static str, &'static str),
    /// Domain of its e-mail addresses.
    pub domain: &'static str,
    /// Teams and, for each, its members.
    pub teams: &'static [(&'static str, &'static [&'static str])],
    /// The license product it subscribes to: name, code, monthly price per seat.
    pub license: (&'static str, &'static str, &'static str),
    /// Seats subscribed, and how many of them are assigned to members.
    pub seats: (u32, u32),
}

impl DemoOrganisation {
    /// The e-mail of this organisation's login with `role`.
    pub fn login(&self, role: UserRole) -> String {
        let local = match role {
            UserRole::Owner => "owner",
            UserRole::BillingAdmin => "billing",
            UserRole::Viewer => "viewer",
            UserRole::Admin | UserRole::Staff | UserRole::Support => "staff",
        };
        format!("{local}@{}", self.domain)
    }
}

/// The demo organisations, in creation order.
pub const DEMO_ORGANISATIONS: [DemoOrganisation; 2] = [
    DemoOrganisation {
        name: "Acme Telecom",
        company: "Acme Telecom SAS",
        currency: "EUR",
        time_zone: "Europe/Paris",
        country: "FR",
        tax_rate: ("20", "VAT FR"),
        domain: "acme.example",
        teams: &[
            ("Sales", &["Alice Martin", "Bruno Petit", "Chloé Durand"]),
            ("Support", &["David Leroy", "Emma Moreau"]),
            ("Engineering", &["Farid Benali", "Gaëlle Roux"]),
        ],
        license: ("ADVANCED", "advanced-eur", "64"),
        seats: (10, 4),
    },
    DemoOrganisation {
        name: "Globex",
        company: "Globex Corporation Ltd",
        currency: "GBP",
        time_zone: "Europe/London",
        country: "GB",
        tax_rate: ("20", "VAT GB"),
        domain: "globex.example",
        teams: &[
            ("Operations", &["Hank Scorpio", "Ivy Chen"]),
            ("Finance", &["Jack Turner", "Kira Patel"]),
        ],
        license: ("ESSENTIAL", "essential-gbp", "25"),
        seats: (5, 2),
    },
];

const CUSTOMER_ROLES: [(UserRole, &str); 3] = [
    (UserRole::Owner, "Owner"),
    (UserRole::BillingAdmin, "Billing admin"),
    (UserRole::Viewer, "Viewer"),
];

/// Seeds the demo data when the database has no users yet; returns whether it did. With
/// `invoice_history`, the subscriptions start [`history::HISTORY_MONTHS`] months back and every
/// period since is billed (older invoices paid, the latest open, a credit note, a coupon on
/// Globex's next invoices); without it they start this month and nothing is billed yet, with no
/// coupon (what the tests build on).
pub async fn seed_demo_if_empty(
    db: &Db,
    services: &Services,
    invoice_history: bool,
) -> Result<bool, BoxError> {
    if user::Entity::find().count(db.writes()).await? > 0 {
        return Ok(false);
    }
    seed_people(db).await?;
    accounts::seed_contacts_and_addresses(db.reads(), services).await?;
    let now = services.clock.now();
    if invoice_history {
        let start = history::history_start(now)?;
        licenses::seed_licenses(db.reads(), services, start, true).await?;
        usage::seed_usage(db.reads(), services, start, now).await?;
        numbers::seed_numbers(db.reads(), services, start, now).await?;
        history::seed_invoice_history(db.reads(), services, now.date_naive()).await?;
        vault::seed_documents(db.reads(), services).await?;
        payments::seed_payment_methods(db.reads(), services).await?;
    } else {
        licenses::seed_licenses(db.reads(), services, now, false).await?;
    }
    tracing::info!(invoice_history, "seeded demo data");
    Ok(true)
}

/// The demo operator admin, as the actor the seed acts as.
async fn admin_actor(db: &sea_orm::DatabaseConnection) -> Result<Actor, BoxError> {
    let admin = user::Entity::find()
        .filter(user::Column::Email.eq(DEMO_ADMIN_EMAIL))
        .one_by_key(db)
        .await?
        .ok_or("demo admin missing")?;
    Ok(Actor::User(AuthenticatedActor {
        user_id: admin.id,
        role: Role::from(UserRole::Admin),
        tenant: None,
    }))
}

/// Inserts the demo people and organisations in one transaction.
async fn seed_people(db: &Db) -> Result<(), BoxError> {
    // One hash for every demo login: they share the demo password, and hashing once keeps the
    // first start (and every test database) fast.
    let password_hash = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD))
        .await?
        .map_err(|e| format!("cannot hash the demo password: {e}"))?;
    let now = Utc::now();
    let txn = db.begin_plain_write().await?;

    for (email, name, role) in [
        (DEMO_ADMIN_EMAIL, "Operator Admin", UserRole::Admin),
        (
            DEMO_BILLING_STAFF_EMAIL,
            "Operator Billing",
            UserRole::Staff,
        ),
        (DEMO_SUPPORT_EMAIL, "Operator Support", UserRole::Support),
    ] {
        user::Entity::insert(user::ActiveModel {
            id: Set(UserId::new()),
            email: Set(email.into()),
            name: Set(name.into()),
            password_hash: Set(password_hash.clone()),
            role: Set(role),
            customer_id: Set(None),
            disabled: Set(false),
            created_at: Set(now),
            session_version: Set(0),
        })
        .exec_without_returning(&txn)
        .await?;
    }

    for org in &DEMO_ORGANISATIONS {
        let customer_id = CustomerId::new();
        customer::Entity::insert(customer::ActiveModel {
            id: Set(customer_id),
            name: Set(org.name.into()),
            company: Set(Some(org.company.into())),
            email: Set(format!("accounts@{}", org.domain)),
            currency: Set(org.currency.into()),
            time_zone: Set(org.time_zone.into()),
            status: Set(CustomerStatus::Active),
            // The rate comes from the country's tax rate, inserted below.
            tax_rate: Set(None),
            invoice_email: Set(None),
            email_invoices: Set(true),
            external_reference: Set(None),
            tags: Set("[]".into()),
            billing_interval_unit: Set(entity::price::IntervalUnit::Month),
            billing_interval_count: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            revision: Set(0),
            credit_balance_minor: Set(0),
            country: Set(Some(org.country.into())),
            region: Set(None),
            tax_id: Set(None),
            tax_exempt: Set(false),
            payment_terms_days: Set(0),
            po_number: Set(None),
            invoice_notes: Set(None),
        })
        .exec_without_returning(&txn)
        .await?;
        let (rate, tax_name) = org.tax_rate;
        tax_rate::Entity::insert(tax_rate::ActiveModel {
            id: Set(TaxRateId::new()),
            country: Set(org.country.into()),
            region: Set(None),
            name: Set(tax_name.into()),
            rate: Set(rate.into()),
            active: Set(true),
            created_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;

        for (role, title) in CUSTOMER_ROLES {
            user::Entity::insert(user::ActiveModel {
                id: Set(UserId::new()),
                email: Set(org.login(role)),
                name: Set(format!("{} {title}", org.name)),
                password_hash: Set(password_hash.clone()),
                role: Set(role),
                customer_id: Set(Some(customer_id)),
                disabled: Set(false),
                created_at: Set(now),
                session_version: Set(0),
            })
            .exec_without_returning(&txn)
            .await?;
        }

        for (team_name, members) in org.teams {
            let team_id = TeamId::new();
            team::Entity::insert(team::ActiveModel {
                id: Set(team_id),
                customer_id: Set(customer_id),
                name: Set((*team_name).into()),
                created_at: Set(now),
            })
            .exec_without_returning(&txn)
            .await?;
            for name in *members {
                let email = format!(
                    "{}@{}",
                    name.split_whitespace()
                        .next()
                        .unwrap_or(name)
                        .to_lowercase(),
                    org.domain
                );
                member::Entity::insert(member::ActiveModel {
                    id: Set(MemberId::new()),
                    customer_id: Set(customer_id),
                    team_id: Set(Some(team_id)),
                    name: Set((*name).into()),
                    email: Set(Some(email)),
                    created_at: Set(now),
                })
                .exec_without_returning(&txn)
                .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(())
}

/// The demo logins, for the start-up banner.
pub fn demo_logins() -> Vec<(String, &'static str)> {
    let mut logins = vec![(DEMO_ADMIN_EMAIL.to_owned(), "operator admin")];
    for org in &DEMO_ORGANISATIONS {
        for (role, _) in CUSTOMER_ROLES {
            let label = match role {
                UserRole::Owner => "owner",
                UserRole::BillingAdmin => "billing admin",
                _ => "viewer",
            };
            logins.push((org.login(role), label));
        }
    }
    logins
}
