//! Why a vault use case refuses: one variant per reason, each with a fixed code and field.

use crate::error::ServiceError;

/// A refused vault request.
#[derive(Debug)]
pub enum VaultError {
    /// No such document visible to the caller.
    DocumentNotFound,
    /// No such organisation visible to the caller.
    CustomerNotFound,
    /// No such billing address in the document's organisation.
    AddressNotFound,
    /// More bytes than an upload may have.
    TooLarge {
        /// The most accepted.
        max: usize,
    },
    /// No bytes at all.
    Empty,
    /// Bytes that are not a PDF, PNG or JPEG.
    UnsupportedType,
    /// A document type that is not one of the vault's.
    UnknownKind,
    /// Staff upload for an organisation, which they must name.
    CustomerRequired,
    /// A proof of address without the address it proves.
    AddressRequired,
    /// An address given with a document that is not a proof of address.
    AddressNotExpected,
    /// The document was already reviewed.
    AlreadyReviewed,
    /// A rejection without its reason (or one too long).
    ReasonRequired {
        /// The most characters accepted.
        max: usize,
    },
}

impl From<VaultError> for ServiceError {
    fn from(error: VaultError) -> Self {
        use VaultError::*;
        match error {
            DocumentNotFound => ServiceError::NotFound { entity: "document" },
            CustomerNotFound => ServiceError::NotFound { entity: "customer" },
            AddressNotFound => ServiceError::NotFound {
                entity: "billing address",
            },
            TooLarge { max } => ServiceError::invalid(
                "file",
                "TOO_LARGE",
                format!("the file is larger than {} MiB", max / (1024 * 1024)),
            ),
            Empty => ServiceError::invalid("file", "EMPTY", "the file is empty"),
            UnsupportedType => ServiceError::invalid(
                "file",
                "UNSUPPORTED_TYPE",
                "send a PDF, PNG or JPEG file (its content, not its name, decides)",
            ),
            UnknownKind => ServiceError::bad_input(
                "type",
                "choose a document type: company_registration, contract, iban_mandate, \
                 portability_mandate, proof_of_address or other",
            ),
            CustomerRequired => {
                ServiceError::bad_input("customerId", "name the organisation the document is for")
            }
            AddressRequired => ServiceError::bad_input(
                "addressId",
                "a proof of address names the billing address it proves",
            ),
            AddressNotExpected => ServiceError::bad_input(
                "addressId",
                "only a proof of address names a billing address",
            ),
            AlreadyReviewed => ServiceError::Refused {
                reason: "DOCUMENT_REVIEWED",
                message: "this document was already reviewed".into(),
            },
            ReasonRequired { max } => ServiceError::bad_input(
                "input.reason",
                format!("say why the document is rejected (1 to {max} characters)"),
            ),
        }
    }
}
