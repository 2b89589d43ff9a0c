//! Finalised invoices as their customer (and staff) read them: the history, newest first, and
//! one invoice with its lines. Always through the actor's tenant scope.

use std::collections::HashMap;

use billing::{Currency, Decimal, InvoiceLine, Money, Period, TaxRate};
use entity::{invoice, invoice_line};
use ids::{BillingRunId, CustomerId, InvoiceId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::InvoiceError;
use super::finalise::stored_kind_to_billing;
use crate::auth::Actor;
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use crate::services::catalog;
use crate::services::credits::{self, StoredCreditNote};
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};

/// A customer's invoices, newest first.
const INVOICES: Keyset<invoice::Entity> = Keyset {
    list: "invoices",
    columns: &[
        (invoice::Column::CreatedAt, KeyKind::Time),
        (invoice::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Descending,
    key: |i| time_key(i.created_at, i.id),
};

/// An invoice with its lines, as `billing` types, so it reads exactly like an upcoming one.
#[derive(Clone, Debug)]
pub struct StoredInvoice {
    /// The row: number, status, dates, totals in minor units.
    pub row: invoice::Model,
    /// The invoice's currency.
    pub currency: Currency,
    /// Its lines, in order.
    pub lines: Vec<InvoiceLine>,
    /// The credit notes correcting it, oldest first.
    pub credit_notes: Vec<StoredCreditNote>,
}

impl StoredInvoice {
    /// An amount of the invoice's currency from minor units.
    pub fn money(&self, minor: i64) -> Money {
        Money::from_minor(minor, self.currency)
    }
}

/// Which invoices a history page lists.
#[derive(Clone, Copy, Debug, Default)]
pub struct HistoryFilter {
    /// Only invoices in this status.
    pub status: Option<invoice::InvoiceStatus>,
    /// Only invoices issued on or after this day.
    pub issued_from: Option<chrono::NaiveDate>,
    /// Only invoices issued on or before this day.
    pub issued_to: Option<chrono::NaiveDate>,
}

/// Finalised invoices.
#[derive(Clone)]
pub struct InvoicesService {
    db: Db,
}

impl InvoicesService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The database, for the slice's write use cases.
    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    /// One page of a customer's invoices, newest first, optionally filtered; four queries
    /// whatever the page size (the invoices, their lines, their credit notes and those lines).
    pub async fn history(
        &self,
        actor: &Actor,
        customer: CustomerId,
        filter: &HistoryFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<StoredInvoice>> {
        let scope = actor.authenticated()?.scope();
        if let (Some(from), Some(to)) = (filter.issued_from, filter.issued_to)
            && to < from
        {
            return Err(ServiceError::bad_input(
                "issuedTo",
                "the last day is before the first",
            ));
        }
        let mut select = invoice::Entity::find()
            .filter(scope.condition(invoice::Column::CustomerId))
            .filter(invoice::Column::CustomerId.eq(customer));
        if let Some(status) = filter.status {
            select = select.filter(invoice::Column::Status.eq(status));
        }
        if let Some(from) = filter.issued_from {
            select = select.filter(invoice::Column::IssueDate.gte(from));
        }
        if let Some(to) = filter.issued_to {
            select = select.filter(invoice::Column::IssueDate.lte(to));
        }
        let page = fetch_page(self.db.reads(), select, &INVOICES, page).await?;
        self.with_lines(page).await
    }

    /// One page of the invoices recorded billing run `run` finalised, newest first (operator
    /// staff, support included); four queries whatever the page size.
    pub async fn of_run(
        &self,
        actor: &Actor,
        run: BillingRunId,
        page: &PageRequest,
    ) -> ServiceResult<Page<StoredInvoice>> {
        actor.authenticated()?.require_staff_reader()?;
        let select = invoice::Entity::find().filter(invoice::Column::BillingRunId.eq(run));
        let page = fetch_page(self.db.reads(), select, &INVOICES, page).await?;
        self.with_lines(page).await
    }

    /// The rows of `page` with their lines and credit notes.
    pub(super) async fn with_lines(
        &self,
        page: Page<invoice::Model>,
    ) -> ServiceResult<Page<StoredInvoice>> {
        let ids: Vec<InvoiceId> = page.edges.iter().map(|(_, i)| i.id).collect();
        let mut notes = credits::notes::notes_of_invoices(self.db.reads(), &ids).await?;
        let mut lines = self.lines_of(ids).await?;
        let edges = page
            .edges
            .into_iter()
            .map(|(cursor, row)| {
                let lines = lines.remove(&row.id).unwrap_or_default();
                let notes = notes.remove(&row.id).unwrap_or_default();
                Ok((cursor, stored(row, lines, notes)?))
            })
            .collect::<ServiceResult<Vec<_>>>()?;
        Ok(Page {
            edges,
            has_previous_page: page.has_previous_page,
            has_next_page: page.has_next_page,
        })
    }

    /// One invoice of a customer. Another tenant's answers `NOT_FOUND`, as a missing one.
    pub async fn get(
        &self,
        actor: &Actor,
        customer: CustomerId,
        id: InvoiceId,
    ) -> ServiceResult<StoredInvoice> {
        let scope = actor.authenticated()?.scope();
        let row = invoice::Entity::find_by_id(id)
            .filter(scope.condition(invoice::Column::CustomerId))
            .filter(invoice::Column::CustomerId.eq(customer))
            .one(self.db.reads())
            .await?
            .ok_or(InvoiceError::NotFound)?;
        let mut lines = self.lines_of(vec![row.id]).await?;
        let lines = lines.remove(&row.id).unwrap_or_default();
        let mut notes = credits::notes::notes_of_invoices(self.db.reads(), &[row.id]).await?;
        let notes = notes.remove(&row.id).unwrap_or_default();
        stored(row, lines, notes)
    }

    /// Invoice `id` with its lines and credit notes, whoever's it is: for the system's own
    /// work (rendering its document), never for a caller, which goes through [`Self::get`].
    pub(crate) async fn load(&self, id: InvoiceId) -> ServiceResult<StoredInvoice> {
        let row = invoice::Entity::find_by_id(id)
            .one(self.db.reads())
            .await?
            .ok_or(InvoiceError::NotFound)?;
        let lines = self.lines_of(vec![row.id]).await?.remove(&row.id);
        let notes = credits::notes::notes_of_invoices(self.db.reads(), &[row.id])
            .await?
            .remove(&row.id);
        stored(row, lines.unwrap_or_default(), notes.unwrap_or_default())
    }

    /// The lines of `invoices`, by invoice, in order.
    async fn lines_of(
        &self,
        invoices: Vec<InvoiceId>,
    ) -> ServiceResult<HashMap<InvoiceId, Vec<invoice_line::Model>>> {
        if invoices.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = invoice_line::Entity::find()
            .filter(invoice_line::Column::InvoiceId.is_in(invoices))
            .order_by_asc(invoice_line::Column::InvoiceId)
            .order_by_asc(invoice_line::Column::Position)
            .all(self.db.reads())
            .await?;
        let mut by_invoice: HashMap<InvoiceId, Vec<invoice_line::Model>> = HashMap::new();
        for row in rows {
            by_invoice.entry(row.invoice_id).or_default().push(row);
        }
        Ok(by_invoice)
    }
}

/// Rows to the `billing` view. Stored values were written from `billing` values, so one that
/// does not convert is corrupt data.
fn stored(
    row: invoice::Model,
    lines: Vec<invoice_line::Model>,
    credit_notes: Vec<StoredCreditNote>,
) -> ServiceResult<StoredInvoice> {
    let currency = catalog::rows::currency(&row.currency)?;
    let lines = lines
        .into_iter()
        .map(|line| {
            let decimal = |what: &str, text: &str| {
                text.parse::<Decimal>()
                    .map_err(|e| ServiceError::corrupt(what, e))
            };
            let service_period = match (line.period_start, line.period_end) {
                (Some(start), Some(end)) => Some(
                    Period::new(start, end).map_err(|e| ServiceError::corrupt("line period", e))?,
                ),
                _ => None,
            };
            Ok(InvoiceLine {
                kind: stored_kind_to_billing(line.kind),
                description: line.description,
                product_id: line.product_id,
                quantity: decimal("line quantity", &line.quantity)?,
                unit_amount: line
                    .unit_amount
                    .as_deref()
                    .map(|a| decimal("unit amount", a))
                    .transpose()?,
                amount: Money::from_minor(line.amount_minor, currency),
                service_period,
                tax_rate: line
                    .tax_rate
                    .as_deref()
                    .map(|r| {
                        decimal("tax rate", r).and_then(|d| {
                            TaxRate::new(d).map_err(|e| ServiceError::corrupt("tax rate", e))
                        })
                    })
                    .transpose()?,
                tax: Money::from_minor(line.tax_minor, currency),
            })
        })
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(StoredInvoice {
        row,
        currency,
        lines,
        credit_notes,
    })
}
