//! The invoices slice: one invoice of a customer with its lines, payments, credit notes and
//! e-mails, and the changes staff make to it: record a payment received outside the processor
//! (a bank transfer), void it, issue a credit note, refund a payment, send it again; and its
//! PDFs. The API decides who may (support may not change money). And billing runs: the list,
//! starting one, and a run's page that follows it live.

mod credit_note;
mod delivery;
mod invoice;
mod refund;
mod run;
mod runs;
mod settle;

use axum::Router;
use axum::routing::{get, post};

use crate::Console;
use crate::route::path;

/// The invoices slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::INVOICE, get(invoice::show))
        .route(path::RECORD_PAYMENT, post(settle::record_payment))
        .route(path::VOID_INVOICE, post(settle::void))
        .route(path::BILLING_RUNS, get(runs::show).post(runs::start))
        .route(path::BILLING_RUN, get(run::show))
        .route(path::RUN_SCRIPT, get(run::script))
        .route(path::ISSUE_CREDIT_NOTE, post(credit_note::issue))
        .route(path::REFUND_PAYMENT, post(refund::refund))
        .route(path::SEND_INVOICE, post(delivery::send))
        .route(path::INVOICE_PDF, get(delivery::invoice_pdf))
        .route(path::CREDIT_NOTE_PDF, get(delivery::credit_note_pdf))
}
