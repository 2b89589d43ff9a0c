//! Every URL of the console, built in one place: handlers redirect to a [`Route`], templates
//! link to one, and the router mounts the same [`path`] constants, so a path cannot drift
//! between the three and a query value is always encoded.

use std::fmt;

use axum::response::Redirect;

/// The path literals, shared by the router and [`Route::path`]; all under `/admin`.
pub mod path {
    /// The console's home: it leads to the customers.
    pub const HOME: &str = "/admin";
    /// The sign-in form (GET) and its submission (POST).
    pub const SIGN_IN: &str = "/admin/login";
    /// Signing out (POST).
    pub const SIGN_OUT: &str = "/admin/logout";
    /// The stylesheet.
    pub const STYLESHEET: &str = "/admin/static/console.css";
    /// The script that follows a running billing run live (the only script).
    pub const RUN_SCRIPT: &str = "/admin/static/billing-run.js";
    /// The billing runs (`?after=…`), and starting one (POST).
    pub const BILLING_RUNS: &str = "/admin/billing-runs";
    /// One billing run (`/admin/billing-runs/brun_…?after=…`, `after` paging its invoices).
    pub const BILLING_RUN: &str = "/admin/billing-runs/{id}";
    /// Finding a customer (`?q=…&after=…`).
    pub const CUSTOMERS: &str = "/admin/customers";
    /// The form that creates a customer (GET) and its submission (POST).
    pub const NEW_CUSTOMER: &str = "/admin/customers/new";
    /// Open invoices whose automatic collection failed (`?after=…`).
    pub const DUNNING: &str = "/admin/dunning";
    /// The documents waiting for review (`?after=…`).
    pub const DOCUMENTS: &str = "/admin/documents";
    /// Reviewing one (POST).
    pub const REVIEW_DOCUMENT: &str = "/admin/documents/review";
    /// Downloading one (`/admin/documents/doc_…`).
    pub const DOCUMENT: &str = "/admin/documents/{id}";
    /// One invoice of a customer, with its actions.
    pub const INVOICE: &str = "/admin/customers/{id}/invoices/{invoice}";
    /// Recording an offline payment of it (POST).
    pub const RECORD_PAYMENT: &str = "/admin/customers/{id}/invoices/{invoice}/payment";
    /// Voiding it (POST).
    pub const VOID_INVOICE: &str = "/admin/customers/{id}/invoices/{invoice}/void";
    /// Issuing a credit note against it (POST).
    pub const ISSUE_CREDIT_NOTE: &str = "/admin/customers/{id}/invoices/{invoice}/credit-note";
    /// Refunding one of its payments (POST).
    pub const REFUND_PAYMENT: &str = "/admin/customers/{id}/invoices/{invoice}/refund";
    /// Sending it again (POST).
    pub const SEND_INVOICE: &str = "/admin/customers/{id}/invoices/{invoice}/send";
    /// Its PDF.
    pub const INVOICE_PDF: &str = "/admin/customers/{id}/invoices/{invoice}/pdf";
    /// A credit note's PDF.
    pub const CREDIT_NOTE_PDF: &str = "/admin/customers/{id}/credit-notes/{invoice}/pdf";
    /// The API keys (operator admin), and the creation of one (POST).
    pub const API_KEYS: &str = "/admin/api-keys";
    /// Revoking one (POST).
    pub const REVOKE_API_KEY: &str = "/admin/api-keys/revoke";
    /// The staff users (operator admin), and adding one (POST).
    pub const STAFF: &str = "/admin/staff";
    /// Changing a staff user's role (POST).
    pub const STAFF_ROLE: &str = "/admin/staff/role";
    /// Disabling or enabling a staff user (POST).
    pub const STAFF_ACCESS: &str = "/admin/staff/access";
    /// The signed-in staff member's password, and its change (POST).
    pub const PASSWORD: &str = "/admin/password";
    /// One customer (`/admin/customers/cus_…?tab=…`).
    pub const CUSTOMER: &str = "/admin/customers/{id}";
    /// A customer's charges tab (GET) and the creation of charges, invoiced now or left
    /// unbilled (POST).
    pub const CHARGES: &str = "/admin/customers/{id}/charges";
    /// A customer's new subscription form.
    pub const NEW_SUBSCRIPTION: &str = "/admin/customers/{id}/subscriptions/new";
    /// Creating a subscription (POST).
    pub const SUBSCRIPTIONS: &str = "/admin/customers/{id}/subscriptions";
    /// Cancelling one (POST).
    pub const CANCEL_SUBSCRIPTION: &str =
        "/admin/customers/{id}/subscriptions/{subscription}/cancel";
    /// Pausing one (POST).
    pub const PAUSE_SUBSCRIPTION: &str = "/admin/customers/{id}/subscriptions/{subscription}/pause";
    /// Resuming one (POST).
    pub const RESUME_SUBSCRIPTION: &str =
        "/admin/customers/{id}/subscriptions/{subscription}/resume";
    /// Previewing the invoice of charges (POST).
    pub const PREVIEW_CHARGES: &str = "/admin/customers/{id}/charges/preview";
}

/// A tab of the customer page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tab {
    /// Subscriptions and their items.
    #[default]
    Subscriptions,
    /// Invoices and credit notes.
    Invoices,
    /// Telephone numbers and the current period's usage.
    Usage,
    /// Contacts by role.
    Contacts,
    /// Billing addresses.
    Addresses,
    /// The credit balance and its changes.
    Credits,
    /// Cards and bank accounts.
    PaymentMethods,
    /// Portal logins.
    Users,
    /// One-time addons and quick charges: the unbilled ones and the form that adds more.
    Charges,
    /// The documents the organisation uploaded to its vault.
    Documents,
    /// Every change to the organisation, filtered by kind and days.
    Audit,
}

impl Tab {
    /// The tabs, in the order the page shows them.
    pub const ALL: [Tab; 11] = [
        Tab::Subscriptions,
        Tab::Invoices,
        Tab::Credits,
        Tab::Usage,
        Tab::Contacts,
        Tab::Addresses,
        Tab::PaymentMethods,
        Tab::Users,
        Tab::Documents,
        Tab::Charges,
        Tab::Audit,
    ];

    /// Its value in the URL (`invoices`).
    pub fn param(self) -> &'static str {
        match self {
            Tab::Subscriptions => "subscriptions",
            Tab::Invoices => "invoices",
            Tab::Usage => "usage",
            Tab::Contacts => "contacts",
            Tab::Addresses => "addresses",
            Tab::Credits => "credits",
            Tab::PaymentMethods => "payment-methods",
            Tab::Users => "users",
            Tab::Charges => "charges",
            Tab::Documents => "documents",
            Tab::Audit => "audit",
        }
    }

    /// The tab's name.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Subscriptions => "Subscriptions",
            Tab::Invoices => "Invoices and credit notes",
            Tab::Usage => "Usage and numbers",
            Tab::Contacts => "Contacts",
            Tab::Addresses => "Addresses",
            Tab::Credits => "Credits",
            Tab::PaymentMethods => "Payment methods",
            Tab::Users => "Users",
            Tab::Charges => "Charges",
            Tab::Documents => "Documents",
            Tab::Audit => "Audit",
        }
    }

    /// Where the tab of customer `id` is: the charges have a page of their own (their slice's).
    pub fn route(self, id: &str) -> Route {
        match self {
            Tab::Charges => Route::Charges(id.to_owned()),
            tab => Route::Customer(id.to_owned(), tab),
        }
    }

    /// The tab a URL names; the first one for anything else.
    pub fn from_param(param: Option<&str>) -> Self {
        Self::ALL
            .into_iter()
            .find(|t| Some(t.param()) == param)
            .unwrap_or_default()
    }
}

/// A place in the console: its path and, for pages that take them, its query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/admin`.
    Home,
    /// `/admin/login`.
    SignIn,
    /// `/admin/logout`.
    SignOut,
    /// `/admin/static/console.css`.
    Stylesheet,
    /// `/admin/static/billing-run.js`.
    RunScript,
    /// `/admin/billing-runs?after=…`: the runs, from a page of them.
    BillingRuns(Option<String>),
    /// `/admin/billing-runs/brun_…?after=…`: a run, from a page of its invoices.
    BillingRun(String, Option<String>),
    /// `/admin/customers?q=…&after=…`: a search, from a page of its results.
    Customers {
        /// What was typed; empty: every customer.
        query: String,
        /// The cursor of the last customer of the previous page.
        after: Option<String>,
    },
    /// `/admin/dunning?after=…`: the dunning queue, from a page of it.
    Dunning(Option<String>),
    /// `/admin/documents?after=…`: the review queue, from a page of it.
    Documents(Option<String>),
    /// `/admin/documents/review`.
    ReviewDocument,
    /// `/admin/documents/doc_…`: the file.
    Document(String),
    /// `/admin/customers/cus_…/invoices/inv_…`.
    Invoice(String, String),
    /// `/admin/customers/cus_…/invoices/inv_…/payment`.
    RecordPayment(String, String),
    /// `/admin/customers/cus_…/invoices/inv_…/void`.
    VoidInvoice(String, String),
    /// `/admin/customers/cus_…/invoices/inv_…/credit-note`.
    IssueCreditNote(String, String),
    /// `/admin/customers/cus_…/invoices/inv_…/refund`.
    RefundPayment(String, String),
    /// `/admin/customers/cus_…/invoices/inv_…/send`.
    SendInvoice(String, String),
    /// `/admin/customers/cus_…/invoices/inv_…/pdf`.
    InvoicePdf(String, String),
    /// `/admin/customers/cus_…/credit-notes/cn_…/pdf`.
    CreditNotePdf(String, String),
    /// `/admin/api-keys`.
    ApiKeys,
    /// `/admin/api-keys/revoke`.
    RevokeApiKey,
    /// `/admin/staff?after=…`: the staff users, from a page of them.
    Staff(Option<String>),
    /// `/admin/staff/role`.
    StaffRole,
    /// `/admin/staff/access`.
    StaffAccess,
    /// `/admin/password`.
    Password,
    /// `/admin/customers/cus_…/subscriptions/new`.
    NewSubscription(String),
    /// `/admin/customers/cus_…/subscriptions`.
    Subscriptions(String),
    /// `/admin/customers/cus_…/subscriptions/sub_…/cancel`.
    CancelSubscription(String, String),
    /// `/admin/customers/cus_…/subscriptions/sub_…/pause`.
    PauseSubscription(String, String),
    /// `/admin/customers/cus_…/subscriptions/sub_…/resume`.
    ResumeSubscription(String, String),
    /// `/admin/customers/new?name=…`: the form, with a name to start from.
    NewCustomer(Option<String>),
    /// `/admin/customers/cus_…?tab=…`.
    Customer(String, Tab),
    /// `/admin/customers/cus_…/charges`: the charges tab, and where its form creates them.
    Charges(String),
    /// `/admin/customers/cus_…/charges/preview`.
    PreviewCharges(String),
}

impl Route {
    /// The customers page, unfiltered.
    pub fn customers() -> Self {
        Route::Customers {
            query: String::new(),
            after: None,
        }
    }

    /// The path, without the query.
    fn path(&self) -> String {
        let with_id = |id: &str, pattern: &str| pattern.replace("{id}", &encode(id));
        match self {
            Route::Home => path::HOME.to_owned(),
            Route::SignIn => path::SIGN_IN.to_owned(),
            Route::SignOut => path::SIGN_OUT.to_owned(),
            Route::Stylesheet => path::STYLESHEET.to_owned(),
            Route::RunScript => path::RUN_SCRIPT.to_owned(),
            Route::BillingRuns(_) => path::BILLING_RUNS.to_owned(),
            Route::BillingRun(id, _) => with_id(id, path::BILLING_RUN),
            Route::Customers { .. } => path::CUSTOMERS.to_owned(),
            Route::NewCustomer(_) => path::NEW_CUSTOMER.to_owned(),
            Route::Dunning(_) => path::DUNNING.to_owned(),
            Route::ApiKeys => path::API_KEYS.to_owned(),
            Route::RevokeApiKey => path::REVOKE_API_KEY.to_owned(),
            Route::Staff(_) => path::STAFF.to_owned(),
            Route::StaffRole => path::STAFF_ROLE.to_owned(),
            Route::StaffAccess => path::STAFF_ACCESS.to_owned(),
            Route::Password => path::PASSWORD.to_owned(),
            Route::NewSubscription(id) => with_id(id, path::NEW_SUBSCRIPTION),
            Route::Subscriptions(id) => with_id(id, path::SUBSCRIPTIONS),
            Route::CancelSubscription(id, s) => {
                with_id(id, path::CANCEL_SUBSCRIPTION).replace("{subscription}", &encode(s))
            }
            Route::PauseSubscription(id, s) => {
                with_id(id, path::PAUSE_SUBSCRIPTION).replace("{subscription}", &encode(s))
            }
            Route::ResumeSubscription(id, s) => {
                with_id(id, path::RESUME_SUBSCRIPTION).replace("{subscription}", &encode(s))
            }
            Route::Documents(_) => path::DOCUMENTS.to_owned(),
            Route::ReviewDocument => path::REVIEW_DOCUMENT.to_owned(),
            Route::Document(id) => with_id(id, path::DOCUMENT),
            Route::Invoice(id, invoice) => {
                with_id(id, path::INVOICE).replace("{invoice}", &encode(invoice))
            }
            Route::RecordPayment(id, invoice) => {
                with_id(id, path::RECORD_PAYMENT).replace("{invoice}", &encode(invoice))
            }
            Route::VoidInvoice(id, invoice) => {
                with_id(id, path::VOID_INVOICE).replace("{invoice}", &encode(invoice))
            }
            Route::IssueCreditNote(id, invoice) => {
                with_id(id, path::ISSUE_CREDIT_NOTE).replace("{invoice}", &encode(invoice))
            }
            Route::RefundPayment(id, invoice) => {
                with_id(id, path::REFUND_PAYMENT).replace("{invoice}", &encode(invoice))
            }
            Route::SendInvoice(id, invoice) => {
                with_id(id, path::SEND_INVOICE).replace("{invoice}", &encode(invoice))
            }
            Route::InvoicePdf(id, invoice) => {
                with_id(id, path::INVOICE_PDF).replace("{invoice}", &encode(invoice))
            }
            Route::CreditNotePdf(id, credit_note) => {
                with_id(id, path::CREDIT_NOTE_PDF).replace("{invoice}", &encode(credit_note))
            }
            Route::Customer(id, _) => with_id(id, path::CUSTOMER),
            Route::Charges(id) => with_id(id, path::CHARGES),
            Route::PreviewCharges(id) => with_id(id, path::PREVIEW_CHARGES),
        }
    }

    /// The query's pairs, empty values left out.
    fn query(&self) -> Vec<(&'static str, String)> {
        match self {
            Route::Customers { query, after } => {
                let mut pairs = vec![("q", query.clone())];
                pairs.extend(after.clone().map(|a| ("after", a)));
                pairs
            }
            Route::NewCustomer(name) => name.clone().map(|n| ("name", n)).into_iter().collect(),
            Route::Dunning(after)
            | Route::Documents(after)
            | Route::Staff(after)
            | Route::BillingRuns(after)
            | Route::BillingRun(_, after) => {
                after.clone().map(|a| ("after", a)).into_iter().collect()
            }
            Route::Customer(_, tab) if *tab != Tab::default() => {
                vec![("tab", tab.param().to_owned())]
            }
            _ => Vec::new(),
        }
    }

    /// The URL: path and encoded query.
    pub fn href(&self) -> String {
        self.href_with(&[])
    }

    /// The URL with `extra` pairs appended to its query (a confirmation to show).
    pub fn href_with(&self, extra: &[(&str, String)]) -> String {
        let pairs: Vec<String> = self
            .query()
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .chain(extra.iter().map(|(k, v)| (*k, v.as_str())))
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        if pairs.is_empty() {
            self.path()
        } else {
            format!("{}?{}", self.path(), pairs.join("&"))
        }
    }

    /// A 303 to this route.
    pub fn redirect(&self) -> Redirect {
        Redirect::to(&self.href())
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.href())
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_under_admin_and_encoded() {
        let search = Route::Customers {
            query: "+33 1 & co".into(),
            after: None,
        };
        assert_eq!(search.href(), "/admin/customers?q=%2B33%201%20%26%20co");
        assert_eq!(Route::customers().href(), "/admin/customers");
        assert_eq!(
            Route::Customer("cus_1".into(), Tab::Invoices).href(),
            "/admin/customers/cus_1?tab=invoices"
        );
        assert_eq!(
            Route::Customer("cus_1".into(), Tab::Subscriptions).href(),
            "/admin/customers/cus_1"
        );
        assert_eq!(
            Route::PreviewCharges("cus_1".into()).href(),
            "/admin/customers/cus_1/charges/preview"
        );
        assert_eq!(
            Route::BillingRun("brun_1".into(), Some("c/1".into())).href(),
            "/admin/billing-runs/brun_1?after=c%2F1"
        );
        for tab in Tab::ALL {
            assert_eq!(Tab::from_param(Some(tab.param())), tab);
        }
        assert_eq!(Tab::from_param(Some("nope")), Tab::Subscriptions);
    }
}
