//! Credits: a customer's credit balance and its ledger, staff top-ups and adjustments, and
//! credit notes that correct finalised invoices.
//!
//! The balance is applied automatically to each new invoice (the billing run calls
//! [`ledger::apply_to_invoice`]); license removals whose price credits unused time add to it;
//! credit notes add what they do not take off their invoice's amount due.

mod adjust;
mod error;
pub(crate) mod ledger;
pub mod notes;

use billing::Money;
use entity::credit_entry::{self, CreditEntryKind};
use entity::customer;
use ids::CustomerId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

pub use adjust::{Adjustment, AdjustmentKind};
pub use error::CreditError;
pub use notes::{CreditNoteRequest, StoredCreditNote};

use crate::auth::Actor;
use crate::db::Db;
use crate::error::ServiceResult;
use crate::services::catalog;
use crate::services::invoices::numbering::Numbering;
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};

/// A customer's ledger, newest first.
const LEDGER: Keyset<credit_entry::Entity> = Keyset {
    list: "creditLedger",
    columns: &[
        (credit_entry::Column::CreatedAt, KeyKind::Time),
        (credit_entry::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Descending,
    key: |e| time_key(e.created_at, e.id),
};

/// Credit balances, ledgers and credit notes.
#[derive(Clone)]
pub struct CreditsService {
    db: Db,
    numbering: Numbering,
}

impl CreditsService {
    /// A service over `db`; credit notes take their numbers from `numbering`.
    pub fn new(db: Db, numbering: Numbering) -> Self {
        Self { db, numbering }
    }

    /// The balance of `customer` (a row read in this request through the actor's scope).
    pub fn balance(customer: &customer::Model) -> ServiceResult<Money> {
        let currency = catalog::rows::currency(&customer.currency)?;
        Ok(Money::from_minor(customer.credit_balance_minor, currency))
    }

    /// One page of a customer's ledger, newest first, through the actor's scope.
    pub async fn ledger(
        &self,
        actor: &Actor,
        customer: CustomerId,
        kind: Option<CreditEntryKind>,
        page: &PageRequest,
    ) -> ServiceResult<Page<credit_entry::Model>> {
        let scope = actor.authenticated()?.scope();
        let mut select = credit_entry::Entity::find()
            .filter(scope.condition(credit_entry::Column::CustomerId))
            .filter(credit_entry::Column::CustomerId.eq(customer));
        if let Some(kind) = kind {
            select = select.filter(credit_entry::Column::Kind.eq(kind));
        }
        Ok(fetch_page(self.db.reads(), select, &LEDGER, page).await?)
    }
}
