//! What every page shows around its content: the navigation with the current page marked, who
//! is signed in and for which organisation, and the CSRF token the sign-out form (and every
//! other form) carries. Each page's template struct has a `chrome: Chrome` field, and
//! `templates/base.html` reads only that.

use crate::route::Route;

/// The frame of a page.
#[derive(Clone, Debug)]
pub struct Chrome {
    /// The CSRF token for the page's forms (empty on pages that have none).
    pub csrf: String,
    /// The navigation entry of this page, if it is one.
    pub current: Option<Nav>,
    /// The signed-in user; `None` on the sign-in page and on error pages, which show no
    /// navigation.
    pub user: Option<SignedInUser>,
}

/// Who is signed in, as the header shows it.
#[derive(Clone, Debug)]
pub struct SignedInUser {
    /// The user's name.
    pub name: String,
    /// The organisation's name (operator staff have none).
    pub organisation: Option<String>,
}

/// An entry of the main navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// The overview.
    Overview,
    /// The licenses, their quotes and seats.
    Licenses,
    /// The upcoming charges.
    Charges,
    /// The invoice history.
    Invoices,
    /// Detailed consumption.
    Consumption,
    /// Cards and bank accounts.
    PaymentMethods,
    /// Teams and members.
    Team,
    /// Contacts by role.
    Contacts,
    /// Billing addresses.
    Addresses,
    /// The documents vault.
    Documents,
    /// The organisation's users and invitations.
    Users,
    /// The audit log.
    Audit,
    /// The account.
    Account,
}

impl Nav {
    /// The entries, in the order the navigation shows them.
    pub const ALL: [Nav; 13] = [
        Nav::Overview,
        Nav::Licenses,
        Nav::Charges,
        Nav::Invoices,
        Nav::Consumption,
        Nav::PaymentMethods,
        Nav::Team,
        Nav::Contacts,
        Nav::Addresses,
        Nav::Documents,
        Nav::Users,
        Nav::Audit,
        Nav::Account,
    ];

    /// The link's text.
    pub fn label(self) -> &'static str {
        match self {
            Nav::Overview => "Overview",
            Nav::Licenses => "Licenses",
            Nav::Charges => "Upcoming charges",
            Nav::Invoices => "Invoices",
            Nav::Consumption => "Consumption",
            Nav::PaymentMethods => "Payment methods",
            Nav::Team => "Team",
            Nav::Contacts => "Contacts",
            Nav::Addresses => "Addresses",
            Nav::Documents => "Documents",
            Nav::Users => "Users",
            Nav::Audit => "Audit log",
            Nav::Account => "Account",
        }
    }

    /// Where it leads.
    pub fn route(self) -> Route {
        match self {
            Nav::Overview => Route::Overview,
            Nav::Licenses => Route::Licenses,
            Nav::Charges => Route::Charges,
            Nav::Invoices => Route::Invoices(Default::default()),
            Nav::Consumption => Route::Consumption(Default::default()),
            Nav::PaymentMethods => Route::PaymentMethods,
            Nav::Team => Route::Team,
            Nav::Contacts => Route::Contacts,
            Nav::Addresses => Route::Addresses,
            Nav::Documents => Route::Documents,
            Nav::Users => Route::Users,
            Nav::Audit => Route::Audit(Default::default()),
            Nav::Account => Route::Account,
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
    /// The frame of a signed-in user's page, with `current` marked in the navigation.
    pub fn signed_in(csrf: &str, current: Nav, user: SignedInUser) -> Self {
        Self {
            csrf: csrf.to_owned(),
            current: Some(current),
            user: Some(user),
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

    /// The navigation's links.
    pub fn nav(&self) -> Vec<NavLink> {
        Nav::ALL
            .into_iter()
            .map(|nav| NavLink {
                href: nav.route().href(),
                label: nav.label(),
                current: self.current == Some(nav),
            })
            .collect()
    }

    /// Where the sign-out form posts.
    pub fn sign_out(&self) -> Route {
        Route::SignOut
    }

    /// The stylesheet's URL.
    pub fn stylesheet(&self) -> Route {
        Route::Stylesheet
    }

    /// The home page's URL (the brand links there).
    pub fn home(&self) -> Route {
        Route::Overview
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_page_is_marked_and_no_other() {
        let user = SignedInUser {
            name: "Ada".into(),
            organisation: Some("Acme".into()),
        };
        let chrome = Chrome::signed_in("token", Nav::Licenses, user);
        let current: Vec<_> = chrome
            .nav()
            .into_iter()
            .filter(|link| link.current)
            .map(|link| link.href)
            .collect();
        assert_eq!(current, ["/licenses"]);
    }
}
