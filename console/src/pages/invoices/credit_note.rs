//! `POST /admin/customers/cus_…/invoices/inv_…/credit-note`: a credit note against an open or
//! paid invoice, for everything it has left to credit or for amounts of its charge lines, with
//! the reason printed on it. `billing` computes the tax and the totals; a refusal shows the
//! invoice page again with the message beside the line at fault.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::invoice::{InvoiceForms, after_change};
use crate::Console;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::operations::{IssueCreditNote, issue_credit_note};
use crate::session::Visitor;

/// The credit note form, as posted: `reason`, `whole` and one `line-N` amount per charge line
/// (N its index among the invoice's lines; empty ones are not credited).
#[derive(Debug, Default)]
pub(super) struct CreditForm {
    csrf: String,
    /// Why, printed on the credit note.
    pub reason: String,
    /// Credit everything left.
    pub whole: bool,
    /// (line index, amount typed), in the order of the invoice's lines.
    amounts: Vec<(usize, String)>,
}

impl CreditForm {
    /// The form from its posted fields.
    fn parse(fields: Vec<(String, String)>) -> Self {
        let mut form = CreditForm::default();
        for (name, value) in fields {
            match name.as_str() {
                "csrf" => form.csrf = value,
                "reason" => form.reason = value,
                "whole" => form.whole = true,
                _ => {
                    if let Some(index) = name
                        .strip_prefix("line-")
                        .and_then(|i| i.parse::<usize>().ok())
                    {
                        form.amounts.push((index, value.trim().to_owned()));
                    }
                }
            }
        }
        form.amounts.sort_by_key(|(index, _)| *index);
        form
    }

    /// The amount typed for line `index`.
    pub fn amount(&self, index: usize) -> &str {
        self.amounts
            .iter()
            .find(|(i, _)| *i == index)
            .map_or("", |(_, amount)| amount.as_str())
    }

    /// The form's name of line `index`'s amount field, as its refusal is placed.
    pub fn field(index: usize) -> String {
        format!("line-{index}")
    }

    /// The lines to credit (those with an amount), and for each input position the line's
    /// index, to place a refusal of `input.lines.K.amount` beside its line.
    fn lines(&self) -> (Vec<issue_credit_note::CreditNoteLineInput>, Vec<usize>) {
        self.amounts
            .iter()
            .filter(|(_, amount)| !amount.is_empty())
            .map(|(index, amount)| {
                let line = issue_credit_note::CreditNoteLineInput {
                    line: i64::try_from(*index).unwrap_or(i64::MAX),
                    amount: amount.clone(),
                };
                (line, *index)
            })
            .unzip()
    }
}

/// `POST …/credit-note`.
pub(super) async fn issue(
    State(console): State<Console>,
    visitor: Visitor,
    Path(ids): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = CreditForm::parse(fields);
    visitor.verify_form(&form.csrf)?;
    let (lines, positions) = form.lines();
    let variables = issue_credit_note::Variables {
        input: issue_credit_note::IssueCreditNoteInput {
            invoice_id: ids.1.clone(),
            reason: form.reason.clone(),
            whole: form.whole,
            lines,
        },
    };
    let outcome = console
        .run::<IssueCreditNote>(variables, Some(&visitor.session))
        .await;
    after_change(
        &console,
        &visitor,
        ids,
        outcome,
        Flash::CreditNoteIssued,
        |error| {
            // `whole` has no place of its own on the page: a refusal of it goes above the form.
            let errors = FormErrors::from_refusal(error, |f| {
                f == "reason" || line_of(f, &positions).is_some()
            })?;
            let credit_errors = match errors.field() {
                Some((field, message)) => match line_of(field, &positions) {
                    Some(index) => FormErrors::on(&CreditForm::field(index), message),
                    None => errors.clone(),
                },
                None => errors.clone(),
            };
            Ok(InvoiceForms {
                credit: form,
                credit_errors,
                ..InvoiceForms::default()
            })
        },
    )
    .await
}

/// The invoice line a refusal of `lines.K.amount` (or `lines.K.line`) is about.
fn line_of(field: &str, positions: &[usize]) -> Option<usize> {
    let rest = field.strip_prefix("lines.")?;
    let (position, _) = rest.split_once('.')?;
    positions.get(position.parse::<usize>().ok()?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_amounts_become_lines_and_a_refusal_finds_its_line() {
        let form = CreditForm::parse(vec![
            ("csrf".into(), "t".into()),
            ("reason".into(), "Goodwill".into()),
            ("line-3".into(), " 5.00 ".into()),
            ("line-0".into(), "".into()),
            ("line-1".into(), "12".into()),
        ]);
        assert_eq!(form.reason, "Goodwill");
        assert!(!form.whole);
        assert_eq!(form.amount(3), "5.00");
        let (lines, positions) = form.lines();
        assert_eq!(
            lines
                .iter()
                .map(|l| (l.line, l.amount.as_str()))
                .collect::<Vec<_>>(),
            [(1, "12"), (3, "5.00")]
        );
        assert_eq!(line_of("lines.1.amount", &positions), Some(3));
        assert_eq!(line_of("lines.7.amount", &positions), None);
        assert_eq!(line_of("reason", &positions), None);
    }
}
