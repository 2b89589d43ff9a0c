//! Getting an invoice to its customer: `POST /admin/customers/cus_…/invoices/inv_…/send`
//! sends it again to the organisation's invoice address (asking twice before the first copy
//! left sends one), and the PDFs of the invoice and of its credit notes are downloaded under
//! the console's path ([`crate::files`]).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::invoice::{CsrfOnly, InvoiceForms, after_change};
use crate::Console;
use crate::error::PageError;
use crate::files;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::operations::{SendInvoiceCopy, send_invoice_copy};
use crate::session::Visitor;
use crate::transport::FileRequest;

/// `POST …/send`.
pub(super) async fn send(
    State(console): State<Console>,
    visitor: Visitor,
    Path(ids): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let variables = send_invoice_copy::Variables {
        input: send_invoice_copy::SendInvoiceCopyInput {
            invoice_id: ids.1.clone(),
        },
    };
    let outcome = console
        .run::<SendInvoiceCopy>(variables, Some(&visitor.session))
        .await;
    after_change(
        &console,
        &visitor,
        ids,
        outcome,
        Flash::InvoiceSent,
        |error| {
            Ok(InvoiceForms {
                send_error: FormErrors::from_refusal(error, |_| false)?.form,
                ..InvoiceForms::default()
            })
        },
    )
    .await
}

/// `GET /admin/customers/{id}/invoices/{invoice}/pdf`: the invoice's PDF.
pub(super) async fn invoice_pdf(
    State(console): State<Console>,
    visitor: Visitor,
    Path((_customer, invoice)): Path<(String, String)>,
) -> Result<Response, PageError> {
    files::serve(&console, &visitor, FileRequest::InvoicePdf(invoice)).await
}

/// `GET /admin/customers/{id}/credit-notes/{credit_note}/pdf`: a credit note's PDF.
pub(super) async fn credit_note_pdf(
    State(console): State<Console>,
    visitor: Visitor,
    Path((_customer, credit_note)): Path<(String, String)>,
) -> Result<Response, PageError> {
    files::serve(&console, &visitor, FileRequest::CreditNotePdf(credit_note)).await
}
