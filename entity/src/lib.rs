//! SeaORM entities for Billfold, one module per table.
//!
//! Entities describe rows and nothing else: no GraphQL derives and no business rules. Services in
//! the `api` crate load them, convert them to `billing` types where money is involved, and write
//! them back. Amounts (when they come) are integer minor units; exact rates are text.

pub mod api_key;
pub mod audit_log;
pub mod billing_address;
pub mod billing_run;
pub mod call_record;
pub mod contact;
pub mod coupon;
pub mod coupon_redemption;
pub mod credit_entry;
pub mod credit_note;
pub mod credit_note_line;
pub mod customer;
pub mod document;
pub mod document_requirement;
pub mod idempotency_key;
pub mod invitation;
pub mod invoice;
pub mod invoice_collection;
pub mod invoice_line;
pub mod license;
pub mod member;
pub mod number_sequence;
pub mod one_off_charge;
pub mod outbox_message;
pub mod payment;
pub mod payment_attempt;
pub mod payment_method;
pub mod phone_number;
pub mod price;
pub mod product;
pub mod quote;
pub mod refund;
pub mod sandbox_payment;
pub mod sandbox_payment_method;
pub mod sandbox_refund;
pub mod stripe_event;
pub mod subscription;
pub mod subscription_item;
pub mod tariff;
pub mod tariff_version;
pub mod tax_rate;
pub mod team;
pub mod unbilled_charge;
pub mod usage_day;
pub mod usage_record;
pub mod user;

pub mod prelude {
    //! The entity types under short names, for `use entity::prelude::*`.
    pub use super::audit_log::Entity as AuditLog;
    pub use super::customer::Entity as Customer;
    pub use super::idempotency_key::Entity as IdempotencyKey;
    pub use super::license::Entity as License;
    pub use super::member::Entity as Member;
    pub use super::price::Entity as Price;
    pub use super::product::Entity as Product;
    pub use super::quote::Entity as Quote;
    pub use super::subscription::Entity as Subscription;
    pub use super::subscription_item::Entity as SubscriptionItem;
    pub use super::team::Entity as Team;
    pub use super::unbilled_charge::Entity as UnbilledCharge;
    pub use super::user::Entity as User;
}
