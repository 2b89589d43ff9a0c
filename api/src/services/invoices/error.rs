//! Why an invoices use case refuses: one variant per reason, each with a fixed code and field.

use crate::error::ServiceError;

/// A refused invoices request.
#[derive(Debug)]
pub enum InvoiceError {
    /// No such invoice in the caller's organisation.
    NotFound,
    /// Only an open invoice can be settled; this one is already in the given status.
    NotOpen(entity::invoice::InvoiceStatus),
}

impl From<InvoiceError> for ServiceError {
    fn from(error: InvoiceError) -> Self {
        match error {
            InvoiceError::NotFound => ServiceError::NotFound { entity: "invoice" },
            InvoiceError::NotOpen(status) => ServiceError::Conflict {
                message: format!(
                    "only an open invoice can be settled; this one is {}",
                    sea_orm::ActiveEnum::to_value(&status)
                ),
            },
        }
    }
}
