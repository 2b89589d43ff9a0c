//! The payments slice: the organisation's payment methods (cards and SEPA Direct Debit
//! accounts: add, make default, remove), an invoice's payments with "Pay now", and the page
//! where a card's bank asks the customer to authenticate a payment (the sandbox's two
//! buttons; Stripe.js with Stripe). With Stripe, cards and accounts are added with Stripe's
//! Payment Element (`setup`): those two Stripe pages need JavaScript, every other form works
//! without it.

mod authenticate;
mod invoice;
mod methods;
mod setup;

use axum::Router;
use axum::routing::{get, post};

use crate::Portal;
use crate::route::path;

/// The payments slice's routes.
pub(super) fn routes() -> Router<Portal> {
    Router::new()
        .route(path::PAYMENT_METHODS, get(methods::show))
        .route(path::ADD_CARD, post(methods::add_card))
        .route(path::ADD_SEPA_DEBIT, post(methods::add_sepa_debit))
        .route(path::DEFAULT_PAYMENT_METHOD, post(methods::set_default))
        .route(path::REMOVE_PAYMENT_METHOD, post(methods::remove))
        .route(path::SETUP_PAYMENT_METHOD, get(setup::show))
        .route(path::COMPLETE_SETUP, get(setup::complete))
        .route(path::INVOICE_PAYMENTS, get(invoice::show))
        .route(path::PAY_INVOICE, post(invoice::pay))
        .route(
            path::AUTHENTICATE_PAYMENT,
            get(authenticate::show).post(authenticate::answer),
        )
}
