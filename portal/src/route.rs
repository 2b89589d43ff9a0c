//! Every URL of the portal, built in one place: handlers redirect to a [`Route`], templates link
//! to one, and the router mounts the same [`path`] constants, so a path cannot drift between
//! the three and a query value is always encoded.

use std::fmt;

use axum::response::Redirect;
use chrono::NaiveDate;

/// The path literals, shared by the router and [`Route::path`].
pub mod path {
    /// The overview.
    pub const OVERVIEW: &str = "/";
    /// The upcoming charges breakdown.
    pub const CHARGES: &str = "/charges";
    /// The invoice history.
    pub const INVOICES: &str = "/invoices";
    /// Detailed consumption (the API serves its exports under `/exports/`).
    pub const CONSUMPTION: &str = "/consumption";
    /// One invoice (`?id=inv_…`).
    pub const INVOICE: &str = "/invoice";
    /// Asking for a copy of an invoice by e-mail (POST).
    pub const INVOICE_COPY: &str = "/invoice/copy";
    /// Where the organisation receives its invoices by e-mail (POST). Not under `/invoices/`,
    /// where the API serves the invoices' PDFs.
    pub const INVOICE_DELIVERY: &str = "/invoice-delivery";
    /// Who is signed in.
    pub const ACCOUNT: &str = "/account";
    /// The sign-in form (GET) and its submission (POST).
    pub const SIGN_IN: &str = "/login";
    /// Signing out (POST).
    pub const SIGN_OUT: &str = "/logout";
    /// The licenses page.
    pub const LICENSES: &str = "/licenses";
    /// Quoting a license change (POST).
    pub const QUOTE: &str = "/licenses/quote";
    /// Applying a quote (POST).
    pub const APPLY_QUOTE: &str = "/licenses/apply";
    /// Assigning a seat (POST).
    pub const ASSIGN: &str = "/licenses/assign";
    /// Freeing a seat (POST).
    pub const UNASSIGN: &str = "/licenses/unassign";
    /// One license item's seats, a page at a time.
    pub const SEATS: &str = "/licenses/seats";
    /// The stylesheet.
    pub const STYLESHEET: &str = "/static/portal.css";
    /// Changing one's password (POST, from the account page).
    pub const CHANGE_PASSWORD: &str = "/account/password";
    /// The contacts page.
    pub const CONTACTS: &str = "/contacts";
    /// Adding a contact (POST).
    pub const ADD_CONTACT: &str = "/contacts/add";
    /// A contact's form (`?id=ctc_…`) and its submission.
    pub const EDIT_CONTACT: &str = "/contacts/edit";
    /// Removing a contact (POST).
    pub const REMOVE_CONTACT: &str = "/contacts/remove";
    /// The billing addresses page.
    pub const ADDRESSES: &str = "/addresses";
    /// Adding an address (POST).
    pub const ADD_ADDRESS: &str = "/addresses/add";
    /// An address's form (`?id=addr_…`) and its submission.
    pub const EDIT_ADDRESS: &str = "/addresses/edit";
    /// Making an address the default (POST).
    pub const DEFAULT_ADDRESS: &str = "/addresses/default";
    /// Removing an address (POST).
    pub const REMOVE_ADDRESS: &str = "/addresses/remove";
    /// The team and members page.
    pub const TEAM: &str = "/team";
    /// Creating a team (POST).
    pub const CREATE_TEAM: &str = "/team/teams/add";
    /// Renaming a team (POST).
    pub const RENAME_TEAM: &str = "/team/teams/rename";
    /// Deleting a team (POST).
    pub const DELETE_TEAM: &str = "/team/teams/delete";
    /// Adding a member (POST).
    pub const ADD_MEMBER: &str = "/team/members/add";
    /// A member's form (`?id=mem_…`) and its submission.
    pub const EDIT_MEMBER: &str = "/team/members/edit";
    /// Removing a member (POST).
    pub const REMOVE_MEMBER: &str = "/team/members/remove";
    /// The documents vault (`?after=…`). Not `/documents`, where the API takes uploads and
    /// serves downloads.
    pub const DOCUMENTS: &str = "/vault";
    /// Uploading a document (POST, multipart).
    pub const UPLOAD_DOCUMENT: &str = "/vault/upload";
    /// The organisation's users and invitations.
    pub const USERS: &str = "/users";
    /// Inviting someone (POST).
    pub const INVITE_USER: &str = "/users/invite";
    /// Withdrawing an invitation (POST).
    pub const REVOKE_INVITATION: &str = "/users/invitations/revoke";
    /// Changing a user's role (POST).
    pub const CHANGE_ROLE: &str = "/users/role";
    /// Removing a user (POST).
    pub const REMOVE_USER: &str = "/users/remove";
    /// An invitation's accept page (`?token=…`, signed out) and its submission.
    pub const INVITATION: &str = "/invitation";
    /// The audit log (`?kind=…&from=…&to=…&after=…`).
    pub const AUDIT: &str = "/audit";
    /// The payment methods page.
    pub const PAYMENT_METHODS: &str = "/payment-methods";
    /// Adding a card (POST).
    pub const ADD_CARD: &str = "/payment-methods/card";
    /// Adding a bank account for SEPA Direct Debit (POST).
    pub const ADD_SEPA_DEBIT: &str = "/payment-methods/sepa";
    /// Making a payment method the default (POST).
    pub const DEFAULT_PAYMENT_METHOD: &str = "/payment-methods/default";
    /// Removing a payment method (POST).
    pub const REMOVE_PAYMENT_METHOD: &str = "/payment-methods/remove";
    /// Stripe's Payment Element to add a card or an account (`?kind=card|sepa_debit`).
    pub const SETUP_PAYMENT_METHOD: &str = "/payment-methods/setup";
    /// Where Stripe returns after the Payment Element (`?setup_intent=seti_…`).
    pub const COMPLETE_SETUP: &str = "/payment-methods/setup/complete";
    /// The script that drives Stripe.js on the Stripe pages (no inline script anywhere).
    pub const STRIPE_SCRIPT: &str = "/static/stripe-payments.js";
    /// One invoice's payments and "pay now" (`?id=inv_…`).
    pub const INVOICE_PAYMENTS: &str = "/invoice/payments";
    /// Paying an invoice (POST).
    pub const PAY_INVOICE: &str = "/invoice/pay";
    /// A payment's authentication page (`?attempt=patt_…`) and its answer (POST).
    pub const AUTHENTICATE_PAYMENT: &str = "/payments/authenticate";
}

/// A place in the portal: its path and, for pages that take them, its query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`.
    Overview,
    /// `/charges`.
    Charges,
    /// `/invoices?status=…&from=…&to=…&after=…`: the history, filtered, from a page.
    Invoices(InvoiceList),
    /// `/invoice?id=inv_…`.
    Invoice(String),
    /// `/consumption?from=…&to=…&team=…&member=…&item=…&number=…&after=…`: a selection of
    /// usage, from a page of its records.
    Consumption(ConsumptionList),
    /// `/invoice/copy`.
    InvoiceCopy,
    /// `/invoice-delivery`.
    InvoiceDelivery,
    /// `/account`.
    Account,
    /// `/login`.
    SignIn,
    /// `/logout`.
    SignOut,
    /// `/licenses`.
    Licenses,
    /// `/licenses/quote`.
    Quote,
    /// `/licenses/apply`.
    ApplyQuote,
    /// `/licenses/assign`.
    Assign,
    /// `/licenses/unassign`.
    Unassign,
    /// `/licenses/seats?item=…&after=…&from=…`.
    Seats(SeatPage),
    /// `/static/portal.css`.
    Stylesheet,
    /// `/account/password`.
    ChangePassword,
    /// `/contacts`.
    Contacts,
    /// `/contacts/add`.
    AddContact,
    /// `/contacts/edit?id=ctc_…`.
    EditContact(String),
    /// `/contacts/remove`.
    RemoveContact,
    /// `/addresses`.
    Addresses,
    /// `/addresses/add`.
    AddAddress,
    /// `/addresses/edit?id=addr_…`.
    EditAddress(String),
    /// `/addresses/default`.
    DefaultAddress,
    /// `/addresses/remove`.
    RemoveAddress,
    /// `/team`.
    Team,
    /// `/team/teams/add`.
    CreateTeam,
    /// `/team/teams/rename`.
    RenameTeam,
    /// `/team/teams/delete`.
    DeleteTeam,
    /// `/team/members/add`.
    AddMember,
    /// `/team/members/edit?id=mem_…`.
    EditMember(String),
    /// `/team/members/remove`.
    RemoveMember,
    /// `/vault`.
    Documents,
    /// `/vault?after=…`: older documents.
    DocumentsAfter(String),
    /// `/vault/upload`.
    UploadDocument,
    /// `/users`.
    Users,
    /// `/users/invite`.
    InviteUser,
    /// `/users/invitations/revoke`.
    RevokeInvitation,
    /// `/users/role`.
    ChangeRole,
    /// `/users/remove`.
    RemoveUser,
    /// `/invitation` (the form posts there; the link carries `?token=…`).
    Invitation,
    /// `/audit?kind=…&from=…&to=…&after=…`: the audit log, filtered, from a page.
    Audit(AuditList),
    /// `/payment-methods`.
    PaymentMethods,
    /// `/payment-methods/card`.
    AddCard,
    /// `/payment-methods/sepa`.
    AddSepaDebit,
    /// `/payment-methods/default`.
    DefaultPaymentMethod,
    /// `/payment-methods/remove`.
    RemovePaymentMethod,
    /// `/payment-methods/setup?kind=…`.
    SetupPaymentMethod(SetupMethod),
    /// `/payment-methods/setup/complete` (Stripe adds `?setup_intent=…`).
    CompleteSetup,
    /// `/static/stripe-payments.js`.
    StripeScript,
    /// `/invoice/payments?id=inv_…`.
    InvoicePayments(String),
    /// `/invoice/pay`.
    PayInvoice,
    /// `/payments/authenticate?attempt=patt_…`.
    AuthenticatePayment(String),
    /// `/payments/authenticate` (the answer's form).
    ConfirmAuthentication,
}

/// What the Payment Element page adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupMethod {
    /// A card.
    Card,
    /// A SEPA Direct Debit account.
    SepaDebit,
}

impl SetupMethod {
    /// Its `kind` query value.
    pub fn param(self) -> &'static str {
        match self {
            SetupMethod::Card => "card",
            SetupMethod::SepaDebit => "sepa_debit",
        }
    }

    /// The kind a `kind` query value names.
    pub fn from_param(value: &str) -> Option<Self> {
        [SetupMethod::Card, SetupMethod::SepaDebit]
            .into_iter()
            .find(|kind| kind.param() == value)
    }
}

/// Which audit entries the audit log page lists (kind, from, to) and the page it starts after:
/// what its filter form submits and its page links carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditList {
    /// Only entries of this kind (its URL value, `money`).
    pub kind: Option<String>,
    /// Only entries from this day.
    pub from: Option<NaiveDate>,
    /// Only entries up to this day.
    pub to: Option<NaiveDate>,
    /// The cursor the page starts after; `None` for the newest entries.
    pub after: Option<String>,
}

impl AuditList {
    /// The same filter's first page.
    pub fn first_page(&self) -> Self {
        Self {
            after: None,
            ..self.clone()
        }
    }

    /// The same filter's page after `cursor`.
    pub fn after(&self, cursor: String) -> Self {
        Self {
            after: Some(cursor).filter(|c| !c.is_empty()),
            ..self.clone()
        }
    }
}

/// Highest seat number a page may start at: far above any item's seats, far below overflow.
const MAX_SEAT_NUMBER: usize = 1_000_000;

/// One page of a license item's seats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatPage {
    /// The license item (`si_…`).
    pub item: String,
    /// The cursor the page starts after; `None` for the first page.
    pub after: Option<String>,
    /// The number of the page's first seat (1 on the first page), for display only.
    pub from: usize,
}

impl SeatPage {
    /// The first page of `item`'s seats.
    pub fn first(item: String) -> Self {
        Self {
            item,
            after: None,
            from: 1,
        }
    }

    /// The page a link or a form names: an empty cursor is the first page, and a seat number
    /// that is missing or out of range is 1 (it is only ever displayed).
    pub fn new(item: String, after: Option<String>, from: Option<usize>) -> Self {
        Self {
            item,
            after: after.filter(|a| !a.is_empty()),
            from: from
                .filter(|n| (1..=MAX_SEAT_NUMBER).contains(n))
                .unwrap_or(1),
        }
    }
}

/// A status the invoice history can be filtered by (finalised invoices only: no draft).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvoiceStatusFilter {
    /// Finalised, not yet paid.
    Open,
    /// Paid.
    Paid,
    /// Voided.
    Void,
    /// Written off.
    Uncollectible,
}

impl InvoiceStatusFilter {
    /// Every status, in the order the filter's menu lists them.
    pub const ALL: [InvoiceStatusFilter; 4] = [
        InvoiceStatusFilter::Open,
        InvoiceStatusFilter::Paid,
        InvoiceStatusFilter::Void,
        InvoiceStatusFilter::Uncollectible,
    ];

    /// Its value in the URL (`open`).
    pub fn param(self) -> &'static str {
        match self {
            InvoiceStatusFilter::Open => "open",
            InvoiceStatusFilter::Paid => "paid",
            InvoiceStatusFilter::Void => "void",
            InvoiceStatusFilter::Uncollectible => "uncollectible",
        }
    }

    /// Its name for people (`Open`).
    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatusFilter::Open => "Open",
            InvoiceStatusFilter::Paid => "Paid",
            InvoiceStatusFilter::Void => "Void",
            InvoiceStatusFilter::Uncollectible => "Uncollectible",
        }
    }

    /// The status a URL names, if it names one.
    pub fn from_param(param: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.param() == param)
    }
}

/// Which invoices the history lists (status, issued from, issued to) and the page it starts
/// after: what its filter form submits and what its page links carry, so a filter survives
/// paging.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvoiceList {
    /// Only invoices in this status.
    pub status: Option<InvoiceStatusFilter>,
    /// Only invoices issued on or after this day.
    pub from: Option<NaiveDate>,
    /// Only invoices issued on or before this day.
    pub to: Option<NaiveDate>,
    /// The cursor the page starts after; `None` for the newest invoices.
    pub after: Option<String>,
}

impl InvoiceList {
    /// The same filter's first page.
    pub fn first_page(&self) -> Self {
        Self {
            after: None,
            ..self.clone()
        }
    }

    /// The same filter's page after `cursor`.
    pub fn after(&self, cursor: String) -> Self {
        Self {
            after: Some(cursor).filter(|c| !c.is_empty()),
            ..self.clone()
        }
    }

    /// Whether any filter is set (not counting the page).
    pub fn is_filtered(&self) -> bool {
        self.status.is_some() || self.from.is_some() || self.to.is_some()
    }
}

/// Which usage the consumption page shows (its filter form's fields) and the page of records
/// it starts after, so a filter survives paging and is bookmarkable.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumptionList {
    /// First day; `None`: the current billing period's.
    pub from: Option<NaiveDate>,
    /// Last day; `None`: the current billing period's.
    pub to: Option<NaiveDate>,
    /// A team (`team_…`).
    pub team: Option<String>,
    /// A member (`mem_…`).
    pub member: Option<String>,
    /// A metered item (`si_…`).
    pub item: Option<String>,
    /// A telephone number.
    pub number: Option<String>,
    /// `usage` or `calls`; both when `None`.
    pub kind: Option<String>,
    /// The cursor the records start after.
    pub after: Option<String>,
    /// The cursor the calls start after.
    pub calls_after: Option<String>,
}

impl ConsumptionList {
    /// The same selection's page of records after `cursor` (the calls' page kept).
    pub fn after(&self, cursor: String) -> Self {
        Self {
            after: Some(cursor).filter(|c| !c.is_empty()),
            ..self.clone()
        }
    }

    /// The same selection's page of calls after `cursor` (the records' page kept).
    pub fn calls_after(&self, cursor: String) -> Self {
        Self {
            calls_after: Some(cursor).filter(|c| !c.is_empty()),
            ..self.clone()
        }
    }

    /// Whether any filter is set (not counting the page).
    pub fn is_filtered(&self) -> bool {
        self.from.is_some()
            || self.to.is_some()
            || self.team.is_some()
            || self.member.is_some()
            || self.item.is_some()
            || self.number.is_some()
            || self.kind.is_some()
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(from) = self.from {
            query.push(("from", from.to_string()));
        }
        if let Some(to) = self.to {
            query.push(("to", to.to_string()));
        }
        for (name, value) in [
            ("team", &self.team),
            ("member", &self.member),
            ("item", &self.item),
            ("number", &self.number),
            ("type", &self.kind),
            ("after", &self.after),
            ("calls_after", &self.calls_after),
        ] {
            if let Some(value) = value {
                query.push((name, value.clone()));
            }
        }
        query
    }
}

impl Route {
    /// The path, without a query.
    pub fn path(&self) -> &'static str {
        match self {
            Route::Overview => path::OVERVIEW,
            Route::Charges => path::CHARGES,
            Route::Invoices(_) => path::INVOICES,
            Route::Consumption(_) => path::CONSUMPTION,
            Route::Invoice(_) => path::INVOICE,
            Route::InvoiceCopy => path::INVOICE_COPY,
            Route::InvoiceDelivery => path::INVOICE_DELIVERY,
            Route::Account => path::ACCOUNT,
            Route::SignIn => path::SIGN_IN,
            Route::SignOut => path::SIGN_OUT,
            Route::Licenses => path::LICENSES,
            Route::Quote => path::QUOTE,
            Route::ApplyQuote => path::APPLY_QUOTE,
            Route::Assign => path::ASSIGN,
            Route::Unassign => path::UNASSIGN,
            Route::Seats(_) => path::SEATS,
            Route::Stylesheet => path::STYLESHEET,
            Route::ChangePassword => path::CHANGE_PASSWORD,
            Route::Contacts => path::CONTACTS,
            Route::AddContact => path::ADD_CONTACT,
            Route::EditContact(_) => path::EDIT_CONTACT,
            Route::RemoveContact => path::REMOVE_CONTACT,
            Route::Addresses => path::ADDRESSES,
            Route::AddAddress => path::ADD_ADDRESS,
            Route::EditAddress(_) => path::EDIT_ADDRESS,
            Route::DefaultAddress => path::DEFAULT_ADDRESS,
            Route::RemoveAddress => path::REMOVE_ADDRESS,
            Route::Team => path::TEAM,
            Route::CreateTeam => path::CREATE_TEAM,
            Route::RenameTeam => path::RENAME_TEAM,
            Route::DeleteTeam => path::DELETE_TEAM,
            Route::AddMember => path::ADD_MEMBER,
            Route::EditMember(_) => path::EDIT_MEMBER,
            Route::RemoveMember => path::REMOVE_MEMBER,
            Route::Documents | Route::DocumentsAfter(_) => path::DOCUMENTS,
            Route::UploadDocument => path::UPLOAD_DOCUMENT,
            Route::Users => path::USERS,
            Route::InviteUser => path::INVITE_USER,
            Route::RevokeInvitation => path::REVOKE_INVITATION,
            Route::ChangeRole => path::CHANGE_ROLE,
            Route::RemoveUser => path::REMOVE_USER,
            Route::Invitation => path::INVITATION,
            Route::Audit(_) => path::AUDIT,
            Route::PaymentMethods => path::PAYMENT_METHODS,
            Route::AddCard => path::ADD_CARD,
            Route::AddSepaDebit => path::ADD_SEPA_DEBIT,
            Route::DefaultPaymentMethod => path::DEFAULT_PAYMENT_METHOD,
            Route::RemovePaymentMethod => path::REMOVE_PAYMENT_METHOD,
            Route::SetupPaymentMethod(_) => path::SETUP_PAYMENT_METHOD,
            Route::CompleteSetup => path::COMPLETE_SETUP,
            Route::StripeScript => path::STRIPE_SCRIPT,
            Route::InvoicePayments(_) => path::INVOICE_PAYMENTS,
            Route::PayInvoice => path::PAY_INVOICE,
            Route::AuthenticatePayment(_) | Route::ConfirmAuthentication => {
                path::AUTHENTICATE_PAYMENT
            }
        }
    }

    /// The query parameters, in a stable order.
    fn query(&self) -> Vec<(&'static str, String)> {
        match self {
            Route::Seats(page) => {
                let mut query = vec![("item", page.item.clone())];
                if let Some(after) = &page.after {
                    query.push(("after", after.clone()));
                }
                if page.from != 1 {
                    query.push(("from", page.from.to_string()));
                }
                query
            }
            Route::Invoices(list) => {
                let mut query = Vec::new();
                if let Some(status) = list.status {
                    query.push(("status", status.param().to_owned()));
                }
                if let Some(from) = list.from {
                    query.push(("from", from.to_string()));
                }
                if let Some(to) = list.to {
                    query.push(("to", to.to_string()));
                }
                if let Some(after) = &list.after {
                    query.push(("after", after.clone()));
                }
                query
            }
            Route::Audit(list) => {
                let mut query = Vec::new();
                if let Some(kind) = &list.kind {
                    query.push(("kind", kind.clone()));
                }
                if let Some(from) = list.from {
                    query.push(("from", from.to_string()));
                }
                if let Some(to) = list.to {
                    query.push(("to", to.to_string()));
                }
                if let Some(after) = &list.after {
                    query.push(("after", after.clone()));
                }
                query
            }
            Route::Consumption(list) => list.query(),
            Route::DocumentsAfter(after) => vec![("after", after.clone())],
            Route::AuthenticatePayment(attempt) => vec![("attempt", attempt.clone())],
            Route::SetupPaymentMethod(kind) => vec![("kind", kind.param().to_owned())],
            Route::Invoice(id)
            | Route::InvoicePayments(id)
            | Route::EditContact(id)
            | Route::EditAddress(id)
            | Route::EditMember(id) => vec![("id", id.clone())],
            _ => Vec::new(),
        }
    }

    /// The URL to link to.
    pub fn href(&self) -> String {
        self.href_with(&[])
    }

    /// The URL with `extra` query parameters after the route's own (a flash message).
    pub(crate) fn href_with(&self, extra: &[(&str, String)]) -> String {
        let mut href = self.path().to_owned();
        let own = self.query();
        let pairs = own
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .chain(extra.iter().map(|(name, value)| (*name, value.as_str())));
        for (index, (name, value)) in pairs.enumerate() {
            href.push(if index == 0 { '?' } else { '&' });
            href.push_str(name);
            href.push('=');
            href.push_str(&query_value(value));
        }
        href
    }

    /// A 303 to this route: after a POST, so a reload never repeats the change.
    pub fn redirect(&self) -> Redirect {
        Redirect::to(&self.href())
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.href())
    }
}

/// Percent-encodes a query-string value: everything but unreserved characters (RFC 3986).
fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(query_value("si_01ab-_.~"), "si_01ab-_.~");
        assert_eq!(query_value("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn seat_numbers_out_of_range_start_at_one() {
        let from = |n| SeatPage::new("si_1".into(), None, n).from;
        assert_eq!(from(Some(101)), 101);
        assert_eq!(from(None), 1);
        assert_eq!(from(Some(0)), 1);
        assert_eq!(from(Some(usize::MAX)), 1);
    }

    #[test]
    fn the_first_page_of_seats_has_only_the_item() {
        assert_eq!(
            Route::Seats(SeatPage::new("si_1".into(), Some(String::new()), None)).href(),
            "/licenses/seats?item=si_1"
        );
    }

    #[test]
    fn a_later_page_of_seats_names_its_cursor_and_first_number() {
        let page = SeatPage::new("si_1".into(), Some("a b".into()), Some(101));
        assert_eq!(
            Route::Seats(page).href_with(&[("seat", "freed".into())]),
            "/licenses/seats?item=si_1&after=a%20b&from=101&seat=freed"
        );
    }

    #[test]
    fn the_invoice_history_carries_its_filter_into_every_page() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 5, d);
        let list = InvoiceList {
            status: Some(InvoiceStatusFilter::Paid),
            from: day(1),
            to: day(31),
            after: None,
        };
        assert_eq!(
            Route::Invoices(list.clone()).href(),
            "/invoices?status=paid&from=2026-05-01&to=2026-05-31"
        );
        assert_eq!(
            Route::Invoices(list.after("c 1".into())).href(),
            "/invoices?status=paid&from=2026-05-01&to=2026-05-31&after=c%201"
        );
        assert_eq!(
            Route::Invoices(list.after("c".into()).first_page()),
            Route::Invoices(list)
        );
        assert_eq!(Route::Invoices(InvoiceList::default()).href(), "/invoices");
        assert_eq!(
            InvoiceStatusFilter::ALL.map(|s| InvoiceStatusFilter::from_param(s.param())),
            InvoiceStatusFilter::ALL.map(Some)
        );
        assert_eq!(InvoiceStatusFilter::from_param("draft"), None);
    }

    #[test]
    fn the_audit_log_carries_its_filter_into_every_page() {
        let list = AuditList {
            kind: Some("money".into()),
            from: NaiveDate::from_ymd_opt(2026, 5, 1),
            to: None,
            after: None,
        };
        assert_eq!(
            Route::Audit(list.after("c 1".into())).href(),
            "/audit?kind=money&from=2026-05-01&after=c%201"
        );
        assert_eq!(
            Route::Audit(list.after("c".into()).first_page()),
            Route::Audit(list)
        );
        assert_eq!(Route::Audit(AuditList::default()).href(), "/audit");
    }

    #[test]
    fn a_route_without_a_query_is_its_path() {
        assert_eq!(Route::Licenses.to_string(), "/licenses");
        assert_eq!(
            Route::Licenses.href_with(&[("updated", "12".into())]),
            "/licenses?updated=12"
        );
    }
}
