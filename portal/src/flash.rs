//! Confirmations shown once after a change ("Done: you now have 12 licenses."), carried in the
//! query string of the redirect that follows the POST.
//!
//! The query string rather than a cookie: the redirect stays stateless, works without
//! JavaScript, and a flash cannot land on another tab's page. The price is that reloading the
//! page shows the confirmation again, which is harmless for a confirmation. This module is the
//! only one that knows the parameter names (`updated`, `seat`, `done`), both ways.
//!
//! A flash carries no personal data (an e-mail address would sit in the browser's history): a
//! page that names an address reads it again, as it is now.

use std::convert::Infallible;

use axum::extract::{OptionalFromRequestParts, Query};
use axum::http::request::Parts;
use axum::response::Redirect;
use serde::Deserialize;

use crate::route::Route;

/// A confirmation to show on the page a change redirects to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flash {
    /// A license change was applied: the item now has this many seats.
    LicensesUpdated(u32),
    /// A seat was given to a member.
    SeatAssigned,
    /// A seat was freed.
    SeatFreed,
    /// A change to the organisation's contacts, addresses, teams or members, or the user's
    /// password, was saved.
    Saved(Saved),
}

/// What was saved, for [`Flash::Saved`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    /// A contact was added.
    ContactAdded,
    /// A contact was changed.
    ContactUpdated,
    /// A contact was removed.
    ContactRemoved,
    /// A billing address was added.
    AddressAdded,
    /// A billing address was changed.
    AddressUpdated,
    /// Another address is the default.
    DefaultAddressChanged,
    /// A billing address was removed.
    AddressRemoved,
    /// A team was created.
    TeamCreated,
    /// A team was renamed.
    TeamRenamed,
    /// A team was deleted.
    TeamDeleted,
    /// A member was added.
    MemberAdded,
    /// A member was changed.
    MemberUpdated,
    /// A member was removed.
    MemberRemoved,
    /// The password was changed.
    PasswordChanged,
    /// A copy of an invoice was asked for (it goes to the signed-in user's own address).
    InvoiceCopyRequested,
    /// Where the organisation receives its invoices by e-mail was saved.
    InvoiceDeliveryChanged,
    /// A document was uploaded for review.
    DocumentUploaded,
    /// An invitation was sent.
    InvitationSent,
    /// An invitation was withdrawn.
    InvitationRevoked,
    /// A user's role was changed.
    RoleChanged,
    /// A user was removed.
    UserRemoved,
    /// An invitation was accepted: the new user is signed in.
    Welcome,
    /// A payment method was added.
    PaymentMethodAdded,
    /// Another payment method is the default.
    DefaultPaymentMethodChanged,
    /// A payment method was removed.
    PaymentMethodRemoved,
    /// An invoice was paid.
    InvoicePaid,
    /// A direct debit of an invoice was accepted; it settles later.
    PaymentProcessing,
    /// A payment of an invoice is being processed (a repeated submit): its outcome is not
    /// known yet.
    PaymentPending,
}

impl Saved {
    /// Every kind, for reading one back from a URL.
    const ALL: [Saved; 28] = [
        Saved::ContactAdded,
        Saved::ContactUpdated,
        Saved::ContactRemoved,
        Saved::AddressAdded,
        Saved::AddressUpdated,
        Saved::DefaultAddressChanged,
        Saved::AddressRemoved,
        Saved::TeamCreated,
        Saved::TeamRenamed,
        Saved::TeamDeleted,
        Saved::MemberAdded,
        Saved::MemberUpdated,
        Saved::MemberRemoved,
        Saved::PasswordChanged,
        Saved::InvoiceCopyRequested,
        Saved::InvoiceDeliveryChanged,
        Saved::DocumentUploaded,
        Saved::InvitationSent,
        Saved::InvitationRevoked,
        Saved::RoleChanged,
        Saved::UserRemoved,
        Saved::Welcome,
        Saved::PaymentMethodAdded,
        Saved::DefaultPaymentMethodChanged,
        Saved::PaymentMethodRemoved,
        Saved::InvoicePaid,
        Saved::PaymentProcessing,
        Saved::PaymentPending,
    ];

    /// Its value in the URL (`contact-added`).
    fn param(self) -> &'static str {
        match self {
            Saved::ContactAdded => "contact-added",
            Saved::ContactUpdated => "contact-updated",
            Saved::ContactRemoved => "contact-removed",
            Saved::AddressAdded => "address-added",
            Saved::AddressUpdated => "address-updated",
            Saved::DefaultAddressChanged => "default-address",
            Saved::AddressRemoved => "address-removed",
            Saved::TeamCreated => "team-created",
            Saved::TeamRenamed => "team-renamed",
            Saved::TeamDeleted => "team-deleted",
            Saved::MemberAdded => "member-added",
            Saved::MemberUpdated => "member-updated",
            Saved::MemberRemoved => "member-removed",
            Saved::PasswordChanged => "password-changed",
            Saved::InvoiceCopyRequested => "invoice-copy",
            Saved::InvoiceDeliveryChanged => "invoice-delivery",
            Saved::DocumentUploaded => "document-uploaded",
            Saved::InvitationSent => "invitation-sent",
            Saved::InvitationRevoked => "invitation-revoked",
            Saved::RoleChanged => "role-changed",
            Saved::UserRemoved => "user-removed",
            Saved::Welcome => "welcome",
            Saved::PaymentMethodAdded => "payment-method-added",
            Saved::DefaultPaymentMethodChanged => "default-payment-method",
            Saved::PaymentMethodRemoved => "payment-method-removed",
            Saved::InvoicePaid => "invoice-paid",
            Saved::PaymentProcessing => "payment-processing",
            Saved::PaymentPending => "payment-pending",
        }
    }

    /// The sentence the page shows.
    fn message(self) -> &'static str {
        match self {
            Saved::ContactAdded => "The contact is added.",
            Saved::ContactUpdated => "The contact is saved.",
            Saved::ContactRemoved => "The contact is removed.",
            Saved::AddressAdded => "The address is added.",
            Saved::AddressUpdated => "The address is saved.",
            Saved::DefaultAddressChanged => {
                "The default billing address is changed: your next invoices go there."
            }
            Saved::AddressRemoved => "The address is removed.",
            Saved::TeamCreated => "The team is created.",
            Saved::TeamRenamed => "The team is renamed.",
            Saved::TeamDeleted => "The team is deleted.",
            Saved::MemberAdded => "The member is added.",
            Saved::MemberUpdated => "The member is saved.",
            Saved::MemberRemoved => "The member is removed.",
            Saved::PasswordChanged => {
                "Your password is changed. Your other sessions are signed out."
            }
            Saved::InvoiceCopyRequested => "A copy is on its way to your e-mail address.",
            Saved::InvoiceDeliveryChanged => "Where your invoices go is saved.",
            Saved::DocumentUploaded => {
                "The document is uploaded: we will review it and tell you here."
            }
            Saved::InvitationSent => "The invitation is sent: its link works for 7 days.",
            Saved::InvitationRevoked => "The invitation is withdrawn: its link no longer works.",
            Saved::RoleChanged => "The role is changed: that user signs in again to use it.",
            Saved::UserRemoved => "The user is removed and signed out.",
            Saved::Welcome => "Welcome! Your account is ready.",
            Saved::PaymentMethodAdded => "The payment method is added.",
            Saved::DefaultPaymentMethodChanged => {
                "The default payment method is changed: your next invoices are charged to it."
            }
            Saved::PaymentMethodRemoved => "The payment method is removed.",
            Saved::InvoicePaid => "Thank you: the invoice is paid. A receipt is on its way.",
            Saved::PaymentProcessing => {
                "Thank you: the direct debit is on its way. The invoice is paid once your bank confirms it."
            }
            Saved::PaymentPending => {
                "Your payment is being processed. Reload this page in a moment to see its outcome."
            }
        }
    }
}

impl Flash {
    /// The sentence the page shows.
    pub fn message(self) -> String {
        match self {
            Flash::LicensesUpdated(quantity) => format!("Done: you now have {quantity} licenses."),
            Flash::SeatAssigned => "The license is assigned.".to_owned(),
            Flash::SeatFreed => "The license is free again.".to_owned(),
            Flash::Saved(saved) => saved.message().to_owned(),
        }
    }

    /// A 303 to `route` that shows this confirmation there.
    pub fn redirect(self, route: &Route) -> Redirect {
        Redirect::to(&self.href(route))
    }

    /// The URL of `route` with this confirmation.
    fn href(self, route: &Route) -> String {
        let pair = match self {
            Flash::LicensesUpdated(quantity) => ("updated", quantity.to_string()),
            Flash::SeatAssigned => ("seat", "assigned".to_owned()),
            Flash::SeatFreed => ("seat", "freed".to_owned()),
            Flash::Saved(saved) => ("done", saved.param().to_owned()),
        };
        route.href_with(&[pair])
    }

    /// The confirmation a query string carries, if any; anything unrecognised is no flash.
    fn from_query(query: FlashQuery) -> Option<Self> {
        if let Some(quantity) = query.updated.and_then(|n| n.parse().ok()) {
            return Some(Flash::LicensesUpdated(quantity));
        }
        if let Some(done) = query.done.as_deref() {
            return Saved::ALL
                .into_iter()
                .find(|s| s.param() == done)
                .map(Flash::Saved);
        }
        match query.seat.as_deref() {
            Some("assigned") => Some(Flash::SeatAssigned),
            Some("freed") => Some(Flash::SeatFreed),
            _ => None,
        }
    }
}

/// The query parameters a flash may use (every other parameter is the page's own).
#[derive(Deserialize, Default)]
struct FlashQuery {
    updated: Option<String>,
    seat: Option<String>,
    done: Option<String>,
}

/// `Option<Flash>` as a handler argument: the confirmation in the request's query, if any.
impl<S: Send + Sync> OptionalFromRequestParts<S> for Flash {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        let query = Query::<FlashQuery>::try_from_uri(&parts.uri)
            .map(|Query(query)| query)
            .unwrap_or_default();
        Ok(Flash::from_query(query))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::SeatPage;

    fn read_back(href: &str) -> Option<Flash> {
        let uri = href.parse().expect("a URI");
        let query = Query::<FlashQuery>::try_from_uri(&uri).expect("a query");
        Flash::from_query(query.0)
    }

    #[test]
    fn a_flash_survives_its_redirect() {
        let seats = Route::Seats(SeatPage::new("si_1".into(), Some("c".into()), Some(101)));
        for (flash, route) in [
            (Flash::LicensesUpdated(12), Route::Licenses),
            (Flash::SeatAssigned, Route::Licenses),
            (Flash::SeatFreed, seats),
            (Flash::Saved(Saved::ContactAdded), Route::Contacts),
            (Flash::Saved(Saved::PasswordChanged), Route::Account),
        ] {
            assert_eq!(read_back(&flash.href(&route)), Some(flash));
        }
        assert_eq!(
            Flash::LicensesUpdated(12).href(&Route::Licenses),
            "/licenses?updated=12"
        );
        assert_eq!(
            Flash::Saved(Saved::InvoiceCopyRequested).href(&Route::Invoice("inv_1".into())),
            "/invoice?id=inv_1&done=invoice-copy"
        );
    }

    #[test]
    fn every_saved_change_survives_its_redirect_under_its_own_name() {
        let mut params: Vec<&str> = Saved::ALL.iter().map(|s| s.param()).collect();
        params.sort_unstable();
        params.dedup();
        assert_eq!(params.len(), Saved::ALL.len(), "each has its own value");
        for saved in Saved::ALL {
            let flash = Flash::Saved(saved);
            assert_eq!(read_back(&flash.href(&Route::Team)), Some(flash));
        }
    }

    #[test]
    fn an_unknown_or_malformed_flash_is_none() {
        assert_eq!(read_back("/licenses?seat=exploded"), None);
        assert_eq!(read_back("/licenses?updated=many"), None);
        assert_eq!(read_back("/licenses"), None);
        assert_eq!(read_back("/contacts?done=exploded"), None);
    }
}
