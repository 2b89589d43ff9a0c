//! The mail slice's fields of `Customer`: where its invoices are e-mailed.

use std::sync::Arc;

use async_graphql::Object;
use entity::customer;

/// Where the organisation receives its invoices and credit notes.
pub struct CustomerMail(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerMail {
    /// The address invoices and credit notes are e-mailed to: the one chosen for invoices,
    /// else the organisation's own.
    async fn invoice_email(&self) -> &str {
        self.0.invoice_email.as_deref().unwrap_or(&self.0.email)
    }
    /// Whether invoices and credit notes are e-mailed when they are issued.
    async fn email_invoices(&self) -> bool {
        self.0.email_invoices
    }
}
