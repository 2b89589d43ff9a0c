//! The invoices slice: one invoice of a customer with its lines and what is still owed, and
//! the changes staff make to it: record a payment received outside the processor (a bank
//! transfer), or void it. The API decides who may (support may not change money). And billing
//! runs: the list, starting one, and a run's page that follows it live.

mod invoice;
mod run;
mod runs;

use axum::Router;
use axum::routing::{get, post};

use crate::Console;
use crate::route::path;

/// The invoices slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::INVOICE, get(invoice::show))
        .route(path::RECORD_PAYMENT, post(invoice::record_payment))
        .route(path::VOID_INVOICE, post(invoice::void))
        .route(path::BILLING_RUNS, get(runs::show).post(runs::start))
        .route(path::BILLING_RUN, get(run::show))
        .route(path::RUN_SCRIPT, get(run::script))
}
