//! Staff change credit balances and issue credit notes.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};

use super::types::{CreditEntry, CreditNote};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::credits::{Adjustment, AdjustmentKind, CreditNoteRequest};

/// A manual change of a credit balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum CreditAdjustmentKind {
    /// Adds credit (a prepayment, a goodwill gesture): the amount must be positive.
    TopUp,
    /// Corrects the balance either way; never below zero.
    Adjustment,
}

/// Input of `adjustCreditBalance`.
#[derive(InputObject)]
pub struct AdjustCreditBalanceInput {
    /// The customer (`cus_…`).
    pub customer_id: ID,
    /// Top-up or adjustment.
    pub kind: CreditAdjustmentKind,
    /// Signed exact decimal in the customer's currency, e.g. `25.00` or `-5`.
    pub amount: String,
    /// Why, shown in the customer's ledger.
    pub description: String,
    /// Optional: the same key with the same change returns the first entry instead of
    /// changing the balance again (1 to 100 printable characters).
    pub idempotency_key: Option<String>,
}

/// Result of `adjustCreditBalance`.
#[derive(SimpleObject)]
pub struct AdjustCreditBalancePayload {
    /// The ledger entry written; its `balanceAfter` is the new balance.
    pub entry: CreditEntry,
}

/// An amount of one invoice line to credit.
#[derive(InputObject)]
pub struct CreditNoteLineInput {
    /// Index of the line in `Invoice.lines`, from 0 (a charge line).
    pub line: i32,
    /// Amount before tax to credit, exact decimal in the invoice's currency.
    pub amount: String,
}

/// Input of `issueCreditNote`: either `whole` or `lines`.
#[derive(InputObject)]
pub struct IssueCreditNoteInput {
    /// The invoice (`inv_…`), open or paid.
    pub invoice_id: ID,
    /// Why, printed on the credit note.
    pub reason: String,
    /// Credit everything the invoice has left to credit.
    #[graphql(default)]
    pub whole: bool,
    /// Or these amounts of these lines.
    #[graphql(default)]
    pub lines: Vec<CreditNoteLineInput>,
}

/// Result of `issueCreditNote`.
#[derive(SimpleObject)]
pub struct IssueCreditNotePayload {
    /// The credit note.
    pub credit_note: CreditNote,
}

/// Credit mutations (operator staff).
#[derive(Default)]
pub struct CreditsMutation;

#[Object]
impl CreditsMutation {
    /// Tops up or adjusts a customer's credit balance (operator staff). The balance never goes
    /// below zero: such an adjustment answers `BAD_USER_INPUT` on `input.amount`.
    async fn adjust_credit_balance(
        &self,
        ctx: &Context<'_>,
        input: AdjustCreditBalanceInput,
    ) -> Result<AdjustCreditBalancePayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let entry = ctx
            .services()
            .credits
            .adjust(
                ctx.actor(),
                ctx.request_id(),
                Adjustment {
                    customer,
                    kind: match input.kind {
                        CreditAdjustmentKind::TopUp => AdjustmentKind::TopUp,
                        CreditAdjustmentKind::Adjustment => AdjustmentKind::Adjustment,
                    },
                    amount: input.amount,
                    description: input.description,
                    idempotency_key: input.idempotency_key,
                },
            )
            .await?;
        Ok(AdjustCreditBalancePayload {
            entry: CreditEntry(entry),
        })
    }

    /// Issues a credit note on an open or paid invoice (operator staff): the whole invoice or
    /// amounts of some lines. It takes its total off what the invoice still asks for first
    /// (settling it when nothing is left), then adds the rest to the credit balance.
    /// `CONFLICT` for a void or uncollectible invoice.
    async fn issue_credit_note(
        &self,
        ctx: &Context<'_>,
        input: IssueCreditNoteInput,
    ) -> Result<IssueCreditNotePayload> {
        let invoice = parse_id(&input.invoice_id, "input.invoiceId")?;
        let request = match (input.whole, input.lines.is_empty()) {
            (true, true) => CreditNoteRequest::Whole,
            (false, false) => CreditNoteRequest::Lines(
                input
                    .lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let line = usize::try_from(l.line).map_err(|_| {
                            crate::error::ServiceError::bad_input(
                                format!("input.lines.{i}.line"),
                                "a line index is 0 or more",
                            )
                        })?;
                        Ok((line, l.amount))
                    })
                    .collect::<Result<Vec<_>, crate::error::ServiceError>>()?,
            ),
            _ => {
                return Err(crate::error::ServiceError::bad_input(
                    "input.lines",
                    "give either `whole: true` or the lines to credit, not both",
                )
                .into());
            }
        };
        let note = ctx
            .services()
            .credits
            .issue_credit_note(
                ctx.actor(),
                ctx.request_id(),
                invoice,
                request,
                &input.reason,
            )
            .await?;
        Ok(IssueCreditNotePayload {
            credit_note: CreditNote(note),
        })
    }
}
