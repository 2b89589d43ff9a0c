//! Every URL of the console, built in one place: handlers redirect to a [`Route`], templates
//! link to one, and the router mounts the same [`path`] constants, so a path cannot drift
//! between the three and a query value is always encoded.

use std::fmt;

use axum::response::Redirect;

/// The path literals, shared by the router and [`Route::path`]; all under `/admin`.
pub mod path;

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
    /// Tax, payment terms, PO number and notes: a page of its own, with its form.
    Settings,
}

impl Tab {
    /// The tabs, in the order the page shows them.
    pub const ALL: [Tab; 12] = [
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
        Tab::Settings,
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
            Tab::Settings => "settings",
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
            Tab::Credits => "Credits and coupons",
            Tab::PaymentMethods => "Payment methods",
            Tab::Users => "Users",
            Tab::Charges => "Charges",
            Tab::Documents => "Documents",
            Tab::Audit => "Audit",
            Tab::Settings => "Settings",
        }
    }

    /// Where the tab of customer `id` is: the charges have a page of their own (their slice's).
    pub fn route(self, id: &str) -> Route {
        match self {
            Tab::Charges => Route::Charges(id.to_owned()),
            Tab::Settings => Route::CustomerSettings(id.to_owned()),
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
    /// `/admin/audit`: the whole audit log.
    Audit,
    /// `/admin/dunning/retry`: where the dunning page charges an invoice again.
    RetryPayment,
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
    /// `/admin/customers/cus_…/subscriptions/sub_…?done=…`: changing it.
    Subscription(String, String),
    /// `/admin/customers/cus_…/subscriptions/sub_…/items`.
    SubscriptionItems(String, String),
    /// `/admin/customers/cus_…/subscriptions/sub_…/items/change`.
    SubscriptionItem(String, String),
    /// `/admin/customers/cus_…/subscriptions/sub_…/details`.
    SubscriptionDetails(String, String),
    /// `/admin/customers/cus_…/subscriptions/sub_…/seats/quote`.
    SeatsQuote(String, String),
    /// `/admin/customers/cus_…/subscriptions/sub_…/seats/apply`.
    SeatsApply(String, String),
    /// `/admin/customers/cus_…/subscriptions/sub_…/cancel`.
    CancelSubscription(String, String),
    /// `/admin/customers/cus_…/subscriptions/sub_…/automatic-payment`.
    SubscriptionAutomaticPayment(String, String),
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
    /// `/admin/customers/cus_…/settings`.
    CustomerSettings(String),
    /// `/admin/customers/cus_…/profile`: where the settings tab saves who the customer is.
    CustomerProfile(String),
    /// `/admin/customers/cus_…/tags`: where the settings tab's tags form saves them.
    CustomerTags(String),
    /// `/admin/customers/cus_…/credits`: where the credits tab adjusts the balance.
    CreditAdjustment(String),
    /// `/admin/customers/cus_…/coupons`: where the credits tab applies a coupon.
    ApplyCoupon(String),
    /// `/admin/customers/cus_…/coupons/remove`.
    RemoveCoupon(String),
    /// `/admin/customers/cus_…/numbers/new`: the form to add a telephone number.
    NewNumber(String),
    /// `/admin/customers/cus_…/numbers`: where that form adds it.
    Numbers(String),
    /// `/admin/customers/cus_…/numbers/num_…/release`.
    ReleaseNumber(String, String),
    /// `/admin/customers/cus_…/charges/remove`.
    RemoveCharge(String),
    /// `/admin/customers/cus_…/charges/preview`.
    PreviewCharges(String),
    /// `/admin/catalog?after=…`: the products, from a page of them.
    Products(Option<String>),
    /// `/admin/catalog/products/prod_…`.
    Product(String),
    /// `/admin/catalog/products/prod_…/prices`.
    ProductPrices(String),
    /// `/admin/catalog/products/prod_…/move`.
    MoveSubscriptions(String),
    /// `/admin/catalog/tariffs`.
    Tariffs,
    /// `/admin/catalog/tariffs/trf_…`.
    Tariff(String),
    /// `/admin/catalog/tariffs/trf_…/versions`.
    TariffVersions(String),
    /// `/admin/catalog/coupons?after=…`.
    Coupons(Option<String>),
    /// `/admin/catalog/coupons/archive`.
    ArchiveCoupon,
    /// `/admin/catalog/tax-rates?after=…`.
    TaxRates(Option<String>),
    /// `/admin/catalog/tax-rates/archive`.
    ArchiveTaxRate,
    /// `/admin/usage`.
    Usage,
    /// `/admin/usage/rerate`.
    RerateCalls,
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
    pub fn path(&self) -> String {
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
            Route::RetryPayment => path::RETRY_PAYMENT.to_owned(),
            Route::Audit => path::AUDIT.to_owned(),
            Route::ApiKeys => path::API_KEYS.to_owned(),
            Route::RevokeApiKey => path::REVOKE_API_KEY.to_owned(),
            Route::Staff(_) => path::STAFF.to_owned(),
            Route::StaffRole => path::STAFF_ROLE.to_owned(),
            Route::StaffAccess => path::STAFF_ACCESS.to_owned(),
            Route::Password => path::PASSWORD.to_owned(),
            Route::NewSubscription(id) => with_id(id, path::NEW_SUBSCRIPTION),
            Route::Subscriptions(id) => with_id(id, path::SUBSCRIPTIONS),
            Route::Subscription(id, s) => {
                with_id(id, path::SUBSCRIPTION).replace("{subscription}", &encode(s))
            }
            Route::SubscriptionItems(id, s) => {
                with_id(id, path::SUBSCRIPTION_ITEMS).replace("{subscription}", &encode(s))
            }
            Route::SubscriptionItem(id, s) => {
                with_id(id, path::SUBSCRIPTION_ITEM).replace("{subscription}", &encode(s))
            }
            Route::SubscriptionDetails(id, s) => {
                with_id(id, path::SUBSCRIPTION_DETAILS).replace("{subscription}", &encode(s))
            }
            Route::SeatsQuote(id, s) => {
                with_id(id, path::SEATS_QUOTE).replace("{subscription}", &encode(s))
            }
            Route::SeatsApply(id, s) => {
                with_id(id, path::SEATS_APPLY).replace("{subscription}", &encode(s))
            }
            Route::CancelSubscription(id, s) => {
                with_id(id, path::CANCEL_SUBSCRIPTION).replace("{subscription}", &encode(s))
            }
            Route::SubscriptionAutomaticPayment(id, s) => {
                with_id(id, path::SUBSCRIPTION_AUTOMATIC_PAYMENT)
                    .replace("{subscription}", &encode(s))
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
            Route::RemoveCharge(id) => with_id(id, path::REMOVE_CHARGE),
            Route::CustomerSettings(id) => with_id(id, path::CUSTOMER_SETTINGS),
            Route::CustomerTags(id) => with_id(id, path::CUSTOMER_TAGS),
            Route::CustomerProfile(id) => with_id(id, path::CUSTOMER_PROFILE),
            Route::CreditAdjustment(id) => with_id(id, path::CREDIT_ADJUSTMENT),
            Route::ApplyCoupon(id) => with_id(id, path::APPLY_COUPON),
            Route::RemoveCoupon(id) => with_id(id, path::REMOVE_COUPON),
            Route::NewNumber(id) => with_id(id, path::NEW_NUMBER),
            Route::Numbers(id) => with_id(id, path::NUMBERS),
            Route::ReleaseNumber(id, number) => {
                with_id(id, path::RELEASE_NUMBER).replace("{number}", &encode(number))
            }
            Route::Products(_) => path::PRODUCTS.to_owned(),
            Route::Product(id) => with_id(id, path::PRODUCT),
            Route::ProductPrices(id) => with_id(id, path::PRODUCT_PRICES),
            Route::MoveSubscriptions(id) => with_id(id, path::MOVE_SUBSCRIPTIONS),
            Route::Tariffs => path::TARIFFS.to_owned(),
            Route::Tariff(id) => with_id(id, path::TARIFF),
            Route::TariffVersions(id) => with_id(id, path::TARIFF_VERSIONS),
            Route::Coupons(_) => path::COUPONS.to_owned(),
            Route::ArchiveCoupon => path::ARCHIVE_COUPON.to_owned(),
            Route::TaxRates(_) => path::TAX_RATES.to_owned(),
            Route::ArchiveTaxRate => path::ARCHIVE_TAX_RATE.to_owned(),
            Route::Usage => path::USAGE.to_owned(),
            Route::RerateCalls => path::RERATE_CALLS.to_owned(),
        }
    }

    /// The query's pairs, empty values left out.
    pub fn query(&self) -> Vec<(&'static str, String)> {
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
            | Route::BillingRun(_, after)
            | Route::Products(after)
            | Route::Coupons(after)
            | Route::TaxRates(after) => after.clone().map(|a| ("after", a)).into_iter().collect(),
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
