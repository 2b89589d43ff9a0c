//! Why a credits use case refuses: one variant per reason, each with a fixed code and field.

use crate::error::ServiceError;

/// A refused credits request.
#[derive(Debug)]
pub enum CreditError {
    /// No such customer in the caller's scope.
    CustomerNotFound,
    /// No such invoice in the caller's scope.
    InvoiceNotFound,
    /// No such credit note in the caller's scope.
    CreditNoteNotFound,
    /// The change would take the balance below zero; it holds this much (minor units as text).
    Insufficient {
        /// The field at fault.
        field: &'static str,
        /// The balance, for the message.
        balance: String,
    },
    /// Only a finalised invoice that is open or paid can be credited.
    NotCreditable(entity::invoice::InvoiceStatus),
    /// An amount that is not a decimal in the customer's currency's minor units.
    BadAmount {
        /// The field at fault.
        field: String,
        /// Why.
        reason: String,
    },
}

impl From<CreditError> for ServiceError {
    fn from(error: CreditError) -> Self {
        match error {
            CreditError::CustomerNotFound => ServiceError::NotFound { entity: "customer" },
            CreditError::InvoiceNotFound => ServiceError::NotFound { entity: "invoice" },
            CreditError::CreditNoteNotFound => ServiceError::NotFound {
                entity: "credit note",
            },
            CreditError::Insufficient { field, balance } => ServiceError::bad_input(
                field,
                format!("the credit balance cannot go below zero; it holds {balance}"),
            ),
            CreditError::NotCreditable(status) => ServiceError::Conflict {
                message: format!(
                    "only an open or paid invoice can be credited; this one is {}",
                    sea_orm::ActiveEnum::to_value(&status)
                ),
            },
            CreditError::BadAmount { field, reason } => ServiceError::bad_input(&field, reason),
        }
    }
}
