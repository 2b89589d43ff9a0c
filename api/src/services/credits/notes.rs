//! Credit notes: staff correct a finalised invoice, in part (amounts of named lines) or whole.
//!
//! `billing::credit_note` computes every amount. The note is numbered in its own gapless
//! sequence (`CN-<year>-000001`) in the transaction that writes it; its total first reduces what
//! the invoice still asks for (an open invoice fully credited is settled), and the rest goes to
//! the customer's credit balance (refunds to a card come with payments).

use std::collections::HashMap;

use billing::{CreditRequest, CreditableLine, Currency, Decimal, Money, credit_note};
use chrono::{Datelike, Utc};
use entity::credit_entry::CreditEntryKind;
use entity::invoice::{self, InvoiceStatus};
use entity::{credit_note as note, credit_note_line, customer, invoice_line};
use ids::{CreditNoteId, CreditNoteLineId, CustomerId, InvoiceId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::ledger::{BalanceChange, change_balance};
use super::{CreditError, CreditsService};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::catalog;
use crate::services::input::RequiredText;
use crate::services::invoices::finalise::stored_kind_to_billing;
use crate::services::invoices::numbering::DocumentKind;
use crate::services::invoices::owed::owed_minor;
use crate::services::mail::outbox::{self, NewMessage};
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};

/// A customer's credit notes, newest first.
const NOTES: Keyset<note::Entity> = Keyset {
    list: "creditNotes",
    columns: &[
        (note::Column::CreatedAt, KeyKind::Time),
        (note::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Descending,
    key: |n| time_key(n.created_at, n.id),
};

/// What staff ask to credit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreditNoteRequest {
    /// Everything the invoice has left to credit.
    Whole,
    /// Amounts before tax (decimal text) of lines given by their index in the invoice's lines.
    Lines(Vec<(usize, String)>),
}

/// A credit note with its lines.
#[derive(Clone, Debug)]
pub struct StoredCreditNote {
    /// The row: number, totals in minor units.
    pub row: note::Model,
    /// Its currency.
    pub currency: Currency,
    /// Its lines, in order.
    pub lines: Vec<credit_note_line::Model>,
}

impl StoredCreditNote {
    /// An amount of the note's currency from minor units.
    pub fn money(&self, minor: i64) -> Money {
        Money::from_minor(minor, self.currency)
    }
}

impl CreditsService {
    /// Issues a credit note on an open or paid invoice (operator staff). `NOT_FOUND` for an
    /// unknown invoice, `CONFLICT` for a draft, void or uncollectible one (or, reason
    /// `PAYMENT_IN_FLIGHT`, one with an unfinished payment attempt), `BAD_USER_INPUT` naming
    /// the line when it asks for more than is left.
    pub async fn issue_credit_note(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        invoice_id: InvoiceId,
        request: CreditNoteRequest,
        reason: &str,
    ) -> ServiceResult<StoredCreditNote> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let reason = RequiredText::parse("input.reason", reason, 500)?.into_inner();
        let txn = self.db.begin_tenant_write().await?;
        // Lock the invoice first: two credit notes on one invoice queue here, and the second
        // sees what the first credited.
        let locked = invoice::Entity::update_many()
            .col_expr(invoice::Column::Status, Expr::col(invoice::Column::Status))
            .filter(invoice::Column::Id.eq(invoice_id))
            .exec(&txn)
            .await?;
        if locked.rows_affected == 0 {
            return Err(CreditError::InvoiceNotFound.into());
        }
        // A payment attempt still unfinished would collect what this note takes off.
        crate::services::payments::attempts::refuse_if_in_flight(&txn, invoice_id).await?;
        let row = invoice::Entity::find_by_id(invoice_id)
            .one(&txn)
            .await?
            .ok_or(CreditError::InvoiceNotFound)?;
        let outstanding_minor = match row.status {
            InvoiceStatus::Open => owed_minor(&row)?,
            InvoiceStatus::Paid => 0,
            other => return Err(CreditError::NotCreditable(other).into()),
        };
        let currency = catalog::rows::currency(&row.currency)?;
        let money = |minor| Money::from_minor(minor, currency);
        let lines = invoice_line::Entity::find()
            .filter(invoice_line::Column::InvoiceId.eq(invoice_id))
            .order_by_asc(invoice_line::Column::Position)
            .all(&txn)
            .await?;
        let earlier = credited_so_far(&txn, invoice_id).await?;
        let creditable = lines
            .iter()
            .map(|l| {
                let (amount, tax) = earlier.lines.get(&l.id).copied().unwrap_or((0, 0));
                Ok(CreditableLine {
                    kind: stored_kind_to_billing(l.kind),
                    amount: money(l.amount_minor),
                    tax: money(l.tax_minor),
                    tax_rate: l
                        .tax_rate
                        .as_deref()
                        .map(|r| {
                            r.parse::<Decimal>()
                                .ok()
                                .and_then(|d| billing::TaxRate::new(d).ok())
                                .ok_or_else(|| ServiceError::corrupt("tax rate", r))
                        })
                        .transpose()?,
                    credited_amount: money(amount),
                    credited_tax: money(tax),
                })
            })
            .collect::<ServiceResult<Vec<_>>>()?;
        let request = match request {
            CreditNoteRequest::Whole => CreditRequest::Whole,
            CreditNoteRequest::Lines(asked) => CreditRequest::Lines(
                asked
                    .iter()
                    .enumerate()
                    .map(|(i, (line, amount))| Ok((*line, parse_amount(i, amount, currency)?)))
                    .collect::<ServiceResult<Vec<_>>>()?,
            ),
        };
        let amounts = credit_note(
            currency,
            &creditable,
            &request,
            money(row.total_minor),
            money(earlier.total),
            money(outstanding_minor),
        )
        .map_err(|e| {
            let field = match &e {
                billing::Error::CreditExceedsLine { line, .. }
                | billing::Error::NotCreditable { line, .. } => {
                    format!("input.lines.{line}")
                }
                _ => "input".to_owned(),
            };
            ServiceError::from_billing(e, &field)
        })?;

        let now = Utc::now();
        let issue_date = now.date_naive();
        let number = self
            .numbering
            .take_next(&txn, DocumentKind::CreditNote, issue_date.year())
            .await?
            .to_string();
        let minor = |m: Money| {
            m.to_minor()
                .map_err(|e| ServiceError::internal(format!("credit note amount: {e}")))
        };
        let id = CreditNoteId::new();
        let stored_row = note::Model {
            id,
            customer_id: row.customer_id,
            invoice_id,
            number: number.clone(),
            currency: currency.code().to_owned(),
            reason,
            subtotal_minor: minor(amounts.subtotal)?,
            tax_minor: minor(amounts.tax)?,
            total_minor: minor(amounts.total)?,
            applied_to_invoice_minor: minor(amounts.applied_to_invoice)?,
            credited_to_balance_minor: minor(amounts.credited_to_balance)?,
            created_by: Some(staff.user_id),
            issue_date,
            created_at: now,
            pdf_sha256: None,
        };
        note::Entity::insert(note::ActiveModel::from(stored_row.clone()))
            .exec_without_returning(&txn)
            .await?;
        let note_lines = amounts
            .lines
            .iter()
            .enumerate()
            .map(|(position, credited)| {
                let line = &lines[credited.index];
                Ok(credit_note_line::Model {
                    id: CreditNoteLineId::new(),
                    credit_note_id: id,
                    customer_id: row.customer_id,
                    invoice_line_id: line.id,
                    position: i32::try_from(position).map_err(ServiceError::internal)?,
                    description: line.description.clone(),
                    amount_minor: minor(credited.amount)?,
                    tax_minor: minor(credited.tax)?,
                    tax_rate: line.tax_rate.clone(),
                })
            })
            .collect::<ServiceResult<Vec<_>>>()?;
        credit_note_line::Entity::insert_many(
            note_lines
                .iter()
                .cloned()
                .map(credit_note_line::ActiveModel::from),
        )
        .exec_without_returning(&txn)
        .await?;

        if !amounts.applied_to_invoice.is_zero() {
            // The note takes what it applies off the amount due; payments already received
            // stay received, so what is still owed is `outstanding_after`.
            let mut update = invoice::Entity::update_many()
                .col_expr(
                    invoice::Column::AmountDueMinor,
                    Expr::col(invoice::Column::AmountDueMinor)
                        .sub(minor(amounts.applied_to_invoice)?),
                )
                .filter(invoice::Column::Id.eq(invoice_id));
            if amounts.outstanding_after.is_zero() {
                // Nothing left to pay: the credit note settled it.
                update = update.col_expr(invoice::Column::Status, Expr::value(InvoiceStatus::Paid));
            }
            update.exec(&txn).await?;
        }
        if !amounts.credited_to_balance.is_zero() {
            change_balance(
                &txn,
                BalanceChange {
                    customer: row.customer_id,
                    delta: amounts.credited_to_balance,
                    kind: CreditEntryKind::CreditNote,
                    description: format!(
                        "Credit note {number} for invoice {}",
                        row.number.as_deref().unwrap_or("")
                    ),
                    invoice: Some(invoice_id),
                    credit_note: Some(id),
                    quote: None,
                    by: Some(staff.user_id),
                    field: "input",
                },
                now,
            )
            .await?;
        }
        // The credit note's e-mail is queued with it.
        let customer = customer::Entity::find_by_id(row.customer_id)
            .one(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "customer" })?;
        let contacts =
            crate::services::accounts::contacts::invoice_recipients(&txn, customer.id).await?;
        let messages = outbox::recipients(&customer, &contacts)
            .into_iter()
            .map(|to| NewMessage::credit_note(&customer, id, &to))
            .collect();
        outbox::enqueue(&txn, messages, now).await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "credit_note.issue",
                subject_type: "invoice",
                subject_id: invoice_id.to_string(),
                before: Some(
                    json!({ "amount_due": money(row.amount_due_minor).amount().to_string(),
                            "amount_paid": money(row.amount_paid_minor).amount().to_string() }),
                ),
                after: Some(json!({
                    "credit_note": id.to_string(),
                    "number": number,
                    "total": amounts.total.amount().to_string(),
                    "applied_to_invoice": amounts.applied_to_invoice.amount().to_string(),
                    "credited_to_balance": amounts.credited_to_balance.amount().to_string(),
                })),
            },
        )
        .await?;
        txn.commit(row.customer_id).await?;
        Ok(StoredCreditNote {
            row: stored_row,
            currency,
            lines: note_lines,
        })
    }

    /// One page of a customer's credit notes, newest first, through the actor's scope.
    pub async fn notes(
        &self,
        actor: &Actor,
        customer: CustomerId,
        page: &PageRequest,
    ) -> ServiceResult<Page<StoredCreditNote>> {
        let scope = actor.authenticated()?.scope();
        let select = note::Entity::find()
            .filter(scope.condition(note::Column::CustomerId))
            .filter(note::Column::CustomerId.eq(customer));
        let page = fetch_page(self.db.reads(), select, &NOTES, page).await?;
        let (cursors, rows): (Vec<_>, Vec<_>) = page.edges.into_iter().unzip();
        let notes = with_lines(self.db.reads(), rows).await?;
        Ok(Page {
            edges: cursors.into_iter().zip(notes).collect(),
            has_previous_page: page.has_previous_page,
            has_next_page: page.has_next_page,
        })
    }

    /// One credit note of a customer. Another tenant's answers `NOT_FOUND`, as a missing one.
    pub async fn note(
        &self,
        actor: &Actor,
        customer: CustomerId,
        id: CreditNoteId,
    ) -> ServiceResult<StoredCreditNote> {
        let scope = actor.authenticated()?.scope();
        let row = note::Entity::find_by_id(id)
            .filter(scope.condition(note::Column::CustomerId))
            .filter(note::Column::CustomerId.eq(customer))
            .one(self.db.reads())
            .await?
            .ok_or(CreditError::CreditNoteNotFound)?;
        Ok(with_lines(self.db.reads(), vec![row]).await?.remove(0))
    }
}

/// The credit notes of `invoices` (already read through the caller's tenant scope), oldest
/// first, by invoice: two queries whatever the number of invoices, so an invoice history page
/// shows its credit notes without a query per invoice.
pub(crate) async fn notes_of_invoices<C: ConnectionTrait>(
    db: &C,
    invoices: &[InvoiceId],
) -> ServiceResult<HashMap<InvoiceId, Vec<StoredCreditNote>>> {
    if invoices.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = note::Entity::find()
        .filter(note::Column::InvoiceId.is_in(invoices.iter().copied()))
        .order_by_asc(note::Column::Id)
        .all(db)
        .await?;
    let mut by_invoice: HashMap<InvoiceId, Vec<StoredCreditNote>> = HashMap::new();
    for note in with_lines(db, rows).await? {
        by_invoice
            .entry(note.row.invoice_id)
            .or_default()
            .push(note);
    }
    Ok(by_invoice)
}

/// Reads the lines of `rows` in one query and pairs them up, keeping the rows' order.
pub(crate) async fn with_lines<C: ConnectionTrait>(
    db: &C,
    rows: Vec<note::Model>,
) -> ServiceResult<Vec<StoredCreditNote>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let lines = credit_note_line::Entity::find()
        .filter(credit_note_line::Column::CreditNoteId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(credit_note_line::Column::CreditNoteId)
        .order_by_asc(credit_note_line::Column::Position)
        .all(db)
        .await?;
    let mut by_note: HashMap<CreditNoteId, Vec<credit_note_line::Model>> = HashMap::new();
    for line in lines {
        by_note.entry(line.credit_note_id).or_default().push(line);
    }
    rows.into_iter()
        .map(|row| {
            Ok(StoredCreditNote {
                currency: catalog::rows::currency(&row.currency)?,
                lines: by_note.remove(&row.id).unwrap_or_default(),
                row,
            })
        })
        .collect()
}

/// What earlier credit notes of an invoice credited: per invoice line (amount, tax) and in all.
struct Credited {
    lines: HashMap<ids::InvoiceLineId, (i64, i64)>,
    total: i64,
}

async fn credited_so_far<C: ConnectionTrait>(
    db: &C,
    invoice: InvoiceId,
) -> ServiceResult<Credited> {
    let notes = note::Entity::find()
        .filter(note::Column::InvoiceId.eq(invoice))
        .all(db)
        .await?;
    let total = notes.iter().map(|n| n.total_minor).sum();
    let mut lines: HashMap<ids::InvoiceLineId, (i64, i64)> = HashMap::new();
    if !notes.is_empty() {
        for line in credit_note_line::Entity::find()
            .filter(credit_note_line::Column::CreditNoteId.is_in(notes.iter().map(|n| n.id)))
            .all(db)
            .await?
        {
            let entry = lines.entry(line.invoice_line_id).or_default();
            entry.0 += line.amount_minor;
            entry.1 += line.tax_minor;
        }
    }
    Ok(Credited { lines, total })
}

/// An amount of the `index`-th requested line: a decimal in the currency's minor units.
fn parse_amount(index: usize, text: &str, currency: Currency) -> ServiceResult<Money> {
    let field = format!("input.lines.{index}.amount");
    let value: Decimal = text.trim().parse().map_err(|_| CreditError::BadAmount {
        field: field.clone(),
        reason: format!("{text:?} is not a decimal amount"),
    })?;
    Ok(
        Money::new(value, currency).map_err(|e| CreditError::BadAmount {
            field,
            reason: e.to_string(),
        })?,
    )
}
