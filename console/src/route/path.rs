//! The path literals, shared by the router and [`super::Route`]'s paths; all under `/admin`.

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
/// Open invoices still owed (`?show=past_due|failed&after=…`).
pub const DUNNING: &str = "/admin/dunning";
/// Charging one of them again now (POST).
pub const RETRY_PAYMENT: &str = "/admin/dunning/retry";
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
/// The whole audit log (`?kind=…&from=…&to=…&after=…`).
pub const AUDIT: &str = "/admin/audit";
/// The signed-in staff member's password, and its change (POST).
pub const PASSWORD: &str = "/admin/password";
/// One customer (`/admin/customers/cus_…?tab=…`).
pub const CUSTOMER: &str = "/admin/customers/{id}";
/// A customer's billing settings tab (GET) and saving them (POST).
pub const CUSTOMER_SETTINGS: &str = "/admin/customers/{id}/settings";
/// A customer's name, company, e-mail, time zone and currency (the settings tab's first
/// form, POST).
pub const CUSTOMER_PROFILE: &str = "/admin/customers/{id}/profile";
/// A customer's tags (the settings tab's last form).
pub const CUSTOMER_TAGS: &str = "/admin/customers/{id}/tags";
/// Topping up or adjusting a customer's credit balance (POST, from the credits tab).
pub const CREDIT_ADJUSTMENT: &str = "/admin/customers/{id}/credits";
/// Applying a coupon to a customer or one of its subscriptions (POST).
pub const APPLY_COUPON: &str = "/admin/customers/{id}/coupons";
/// Removing a coupon applied to a customer (POST).
pub const REMOVE_COUPON: &str = "/admin/customers/{id}/coupons/remove";
/// The form to add a telephone number to a customer.
pub const NEW_NUMBER: &str = "/admin/customers/{id}/numbers/new";
/// Where that form adds it (POST).
pub const NUMBERS: &str = "/admin/customers/{id}/numbers";
/// Releasing one of a customer's numbers (POST).
pub const RELEASE_NUMBER: &str = "/admin/customers/{id}/numbers/{number}/release";
/// A customer's charges tab (GET) and the creation of charges, invoiced now or left
/// unbilled (POST).
pub const CHARGES: &str = "/admin/customers/{id}/charges";
/// A customer's new subscription form.
pub const NEW_SUBSCRIPTION: &str = "/admin/customers/{id}/subscriptions/new";
/// Creating a subscription (POST).
pub const SUBSCRIPTIONS: &str = "/admin/customers/{id}/subscriptions";
/// Changing one: its lines and invoice details.
pub const SUBSCRIPTION: &str = "/admin/customers/{id}/subscriptions/{subscription}";
/// Adding a line to it (POST).
pub const SUBSCRIPTION_ITEMS: &str = "/admin/customers/{id}/subscriptions/{subscription}/items";
/// Changing or removing one of its lines (POST).
pub const SUBSCRIPTION_ITEM: &str =
    "/admin/customers/{id}/subscriptions/{subscription}/items/change";
/// Its PO number and invoice notes (POST).
pub const SUBSCRIPTION_DETAILS: &str = "/admin/customers/{id}/subscriptions/{subscription}/details";
/// Quoting a change of a license line's seats (POST): the quote to apply.
pub const SEATS_QUOTE: &str = "/admin/customers/{id}/subscriptions/{subscription}/seats/quote";
/// Applying that quote (POST).
pub const SEATS_APPLY: &str = "/admin/customers/{id}/subscriptions/{subscription}/seats/apply";
/// Cancelling one (POST).
pub const CANCEL_SUBSCRIPTION: &str = "/admin/customers/{id}/subscriptions/{subscription}/cancel";
/// Turning one's automatic payment on or off (POST).
pub const SUBSCRIPTION_AUTOMATIC_PAYMENT: &str =
    "/admin/customers/{id}/subscriptions/{subscription}/automatic-payment";
/// Pausing one (POST).
pub const PAUSE_SUBSCRIPTION: &str = "/admin/customers/{id}/subscriptions/{subscription}/pause";
/// Resuming one (POST).
pub const RESUME_SUBSCRIPTION: &str = "/admin/customers/{id}/subscriptions/{subscription}/resume";
/// Removing a charge still waiting for the next invoice (POST).
pub const REMOVE_CHARGE: &str = "/admin/customers/{id}/charges/remove";
/// Previewing the invoice of charges (POST).
pub const PREVIEW_CHARGES: &str = "/admin/customers/{id}/charges/preview";
/// The catalog's products (`?after=…`), and creating one (POST).
pub const PRODUCTS: &str = "/admin/catalog";
/// One product with its price versions.
pub const PRODUCT: &str = "/admin/catalog/products/{id}";
/// Creating the next version of its price (POST).
pub const PRODUCT_PRICES: &str = "/admin/catalog/products/{id}/prices";
/// Moving subscriptions from one of its versions to another (POST).
pub const MOVE_SUBSCRIPTIONS: &str = "/admin/catalog/products/{id}/move";
/// The tariffs, and creating one (POST).
pub const TARIFFS: &str = "/admin/catalog/tariffs";
/// One tariff with its versions.
pub const TARIFF: &str = "/admin/catalog/tariffs/{id}";
/// Creating its next version (POST).
pub const TARIFF_VERSIONS: &str = "/admin/catalog/tariffs/{id}/versions";
/// The coupons (`?after=…`), and creating one (POST).
pub const COUPONS: &str = "/admin/catalog/coupons";
/// Archiving one (POST).
pub const ARCHIVE_COUPON: &str = "/admin/catalog/coupons/archive";
/// The tax rates (`?after=…`), and creating one (POST).
pub const TAX_RATES: &str = "/admin/catalog/tax-rates";
/// Archiving one (POST).
pub const ARCHIVE_TAX_RATE: &str = "/admin/catalog/tax-rates/archive";
/// Importing usage or calls from a CSV file (GET, and POST: a multipart upload), and the
/// calls no tariff prefix matched.
pub const USAGE: &str = "/admin/usage";
/// Re-rating the unrated calls of a tariff's numbers (POST).
pub const RERATE_CALLS: &str = "/admin/usage/rerate";
