//! One-time charges and non-recurring addons (operator staff only): a quick charge of an
//! amount, or a `one_off` product with a (fractional) quantity and an optional unit price,
//! each with a description, an optional service period and taxable or not.
//!
//! Several charges are either invoiced at once (one invoice built by `billing::build_invoice`,
//! numbered and finalised in one transaction, [`create`]), or left as unbilled charges for the
//! next invoice of a subscription, which upcoming charges show and the billing run takes. A
//! charge on the customer rather than a subscription goes on the next invoice of the
//! customer's oldest active subscription; with none, "add to unbilled charges" is refused.
//! [`ChargesService::preview`] answers, through the same code, the invoice "invoice now" would
//! create, and writes nothing. An invoice made now may take a one-time coupon ([`coupon`]).

pub mod coupon;
pub mod create;
pub mod error;
pub mod input;
pub mod rows;
pub mod unbilled;

use crate::db::Db;
use crate::services::invoices::numbering::Numbering;
use crate::services::tenant_state::TenantStates;

pub use create::{ChargesPreview, CreateCharges, CreatedCharges, Timing, UnpaidInvoices};
pub use input::{ChargeEntry, ChargesEntry};
pub use unbilled::ChargeView;

/// One-time charges and addons.
#[derive(Clone)]
pub struct ChargesService {
    db: Db,
    states: TenantStates,
    numbering: Numbering,
}

impl ChargesService {
    /// A service over `db`, reading tenant states through `states`; invoices made now take
    /// their numbers from `numbering`.
    pub fn new(db: Db, states: TenantStates, numbering: Numbering) -> Self {
        Self {
            db,
            states,
            numbering,
        }
    }
}
