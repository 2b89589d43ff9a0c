//! What every page shows around its content: the navigation with the current page marked, who
//! is signed in with which staff role, and the CSRF token the sign-out form (and every other
//! form) carries. Each page's template struct has a `chrome: Chrome` field, and
//! `templates/base.html` reads only that.

use crate::operations::Role;
use crate::route::Route;

/// The frame of a page.
#[derive(Clone, Debug)]
pub struct Chrome {
    /// The CSRF token for the page's forms (empty on pages that have none).
    pub csrf: String,
    /// The navigation entry of this page, if it is one.
    pub current: Option<Nav>,
    /// The signed-in staff member; `None` on the sign-in page and on error pages, which show
    /// no navigation.
    pub user: Option<StaffMember>,
}

/// Who is signed in, as the header shows it.
#[derive(Clone, Debug)]
pub struct StaffMember {
    /// The staff member's name.
    pub name: String,
    /// Their role.
    pub role: Role,
}

/// An entry of the main navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// Finding a customer, and the customer pages.
    Customers,
    /// Creating a customer.
    NewCustomer,
    /// Invoices whose collection failed.
    Dunning,
    /// Billing runs: starting one, watching it, reading its results.
    BillingRuns,
    /// The catalog: products and prices, coupons, tax rates.
    Catalog,
    /// Usage and call imports, and the calls no tariff rated.
    Usage,
    /// Documents waiting for review.
    Documents,
    /// The whole audit log.
    Audit,
    /// API keys (operator admin).
    ApiKeys,
    /// Staff users (operator admin).
    Staff,
    /// The signed-in staff member's password (linked from their name, not a main entry).
    Password,
}

impl Nav {
    /// The entries, in the order the navigation shows them.
    pub const ALL: [Nav; 10] = [
        Nav::Customers,
        Nav::NewCustomer,
        Nav::BillingRuns,
        Nav::Catalog,
        Nav::Usage,
        Nav::Documents,
        Nav::Dunning,
        Nav::Audit,
        Nav::ApiKeys,
        Nav::Staff,
    ];

    /// Whether the navigation offers it to `role`. Only a convenience: the API refuses what a
    /// role may not do whatever the page offers, and a hand-typed URL gets that refusal.
    pub fn offered_to(self, role: Role) -> bool {
        match self {
            Nav::ApiKeys | Nav::Staff => role == Role::ADMIN,
            Nav::NewCustomer => matches!(role, Role::ADMIN | Role::STAFF),
            Nav::Customers
            | Nav::Dunning
            | Nav::Documents
            | Nav::BillingRuns
            | Nav::Catalog
            | Nav::Usage
            | Nav::Audit => true,
            Nav::Password => false,
        }
    }

    /// The link's text.
    pub fn label(self) -> &'static str {
        match self {
            Nav::Customers => "Customers",
            Nav::NewCustomer => "New customer",
            Nav::Dunning => "Dunning",
            Nav::BillingRuns => "Billing runs",
            Nav::Catalog => "Catalog",
            Nav::Usage => "Usage",
            Nav::Documents => "Documents to review",
            Nav::ApiKeys => "API keys",
            Nav::Staff => "Staff",
            Nav::Audit => "Audit",
            Nav::Password => "Your password",
        }
    }

    /// Where it leads.
    pub fn route(self) -> Route {
        match self {
            Nav::Customers => Route::customers(),
            Nav::NewCustomer => Route::NewCustomer(None),
            Nav::Dunning => Route::Dunning(None),
            Nav::BillingRuns => Route::BillingRuns(None),
            Nav::Catalog => Route::Products(None),
            Nav::Usage => Route::Usage,
            Nav::Documents => Route::Documents(None),
            Nav::ApiKeys => Route::ApiKeys,
            Nav::Staff => Route::Staff(None),
            Nav::Audit => Route::Audit,
            Nav::Password => Route::Password,
        }
    }
}

/// One link of the navigation, ready for the template.
pub struct NavLink {
    /// The URL.
    pub href: String,
    /// The text.
    pub label: &'static str,
    /// Whether it is the page being shown (`aria-current="page"`).
    pub current: bool,
}

impl Chrome {
    /// The frame of a staff member's page, with `current` marked in the navigation.
    pub fn signed_in(csrf: &str, current: Nav, name: String, role: Role) -> Self {
        Self {
            csrf: csrf.to_owned(),
            current: Some(current),
            user: Some(StaffMember { name, role }),
        }
    }

    /// The frame of a page for someone not signed in (the sign-in page): no navigation.
    pub fn signed_out(csrf: &str) -> Self {
        Self {
            csrf: csrf.to_owned(),
            current: None,
            user: None,
        }
    }

    /// The frame of an error page: no navigation and no form, so no token either.
    pub fn bare() -> Self {
        Self::signed_out("")
    }

    /// The navigation's links the signed-in staff member's role is offered.
    pub fn nav(&self) -> Vec<NavLink> {
        let Some(user) = &self.user else {
            return Vec::new();
        };
        Nav::ALL
            .into_iter()
            .filter(|nav| nav.offered_to(user.role))
            .map(|nav| NavLink {
                href: nav.route().href(),
                label: nav.label(),
                current: self.current == Some(nav),
            })
            .collect()
    }

    /// The signed-in staff member's password page (their name links there).
    pub fn password(&self) -> Route {
        Route::Password
    }

    /// Whether this is that page.
    pub fn on_password_page(&self) -> bool {
        self.current == Some(Nav::Password)
    }

    /// Whether the signed-in member may change things (admin and billing staff): pages leave
    /// out the forms support would only see refused, and say it reads only. Only a
    /// convenience, like [`Nav::offered_to`]: the API refuses support's changes whatever
    /// the page offers.
    pub fn may_change(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::ADMIN | Role::STAFF))
    }

    /// Where the sign-out form posts.
    pub fn sign_out(&self) -> Route {
        Route::SignOut
    }

    /// The stylesheet's URL.
    pub fn stylesheet(&self) -> Route {
        Route::Stylesheet
    }

    /// The console's home (the brand links there).
    pub fn home(&self) -> Route {
        Route::Home
    }

    /// The search box in the header: where it goes.
    pub fn search(&self) -> Route {
        Route::customers()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_page_is_marked_and_no_other() {
        let chrome = Chrome::signed_in("t", Nav::NewCustomer, "Ada".into(), Role::ADMIN);
        let current: Vec<_> = chrome
            .nav()
            .into_iter()
            .filter(|link| link.current)
            .map(|link| link.href)
            .collect();
        assert_eq!(current, ["/admin/customers/new"]);
        assert_eq!(chrome.user.map(|u| u.role.label()), Some("Administrator"));
    }

    #[test]
    fn each_role_is_offered_what_it_may_do() {
        let labels = |role| {
            Chrome::signed_in("t", Nav::Customers, "Ada".into(), role)
                .nav()
                .into_iter()
                .map(|link| link.label)
                .collect::<Vec<_>>()
        };
        assert!(labels(Role::ADMIN).contains(&"Staff"));
        assert!(labels(Role::ADMIN).contains(&"API keys"));
        assert!(!labels(Role::STAFF).contains(&"Staff"));
        assert!(!labels(Role::STAFF).contains(&"API keys"));
        assert!(labels(Role::STAFF).contains(&"New customer"));
        assert_eq!(
            labels(Role::SUPPORT),
            [
                "Customers",
                "Billing runs",
                "Catalog",
                "Usage",
                "Documents to review",
                "Dunning",
                "Audit"
            ]
        );
    }

    #[test]
    fn only_admin_and_billing_staff_may_change() {
        let may = |role| Chrome::signed_in("t", Nav::Customers, "Ada".into(), role).may_change();
        assert!(may(Role::ADMIN));
        assert!(may(Role::STAFF));
        assert!(!may(Role::SUPPORT));
        assert!(!Chrome::signed_out("t").may_change());
    }
}
