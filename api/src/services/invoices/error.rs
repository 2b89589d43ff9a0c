//! Why an invoices use case refuses: one variant per reason, each with a fixed code and field.

use crate::error::ServiceError;

/// A refused invoices request.
#[derive(Debug)]
pub enum InvoiceError {
    /// No such invoice in the caller's organisation.
    NotFound,
}

impl From<InvoiceError> for ServiceError {
    fn from(error: InvoiceError) -> Self {
        match error {
            InvoiceError::NotFound => ServiceError::NotFound { entity: "invoice" },
        }
    }
}
