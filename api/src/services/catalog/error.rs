//! Why a catalog use case refuses: one variant per reason, each with a fixed code and field.

use crate::error::ServiceError;

/// A refused catalog request.
#[derive(Debug)]
pub enum CatalogError {
    /// No such product.
    ProductNotFound,
    /// A product code with characters other than letters, digits, `-` and `_`.
    CodeCharacters,
    /// Another product has the code.
    CodeTaken,
    /// A license product priced by another model than per unit.
    LicenseNotPerUnit,
    /// A license maximum below the minimum.
    MaximumBelowMinimum,
    /// A number too large to store, on this input field.
    TooLarge(&'static str),
    /// Another version of the product's price was created at the same moment.
    VersionRace,
    /// No such price version.
    PriceNotFound,
    /// A move from a version to itself.
    MoveToSameVersion,
    /// A move to a version of another product.
    MoveAcrossProducts,
    /// A move to a version with another currency or billing interval.
    MoveAcrossTerms,
}

impl From<CatalogError> for ServiceError {
    fn from(error: CatalogError) -> Self {
        use CatalogError::*;
        match error {
            ProductNotFound => ServiceError::NotFound { entity: "product" },
            CodeCharacters => {
                ServiceError::bad_input("input.code", "use letters, digits, '-' and '_' only")
            }
            CodeTaken => ServiceError::bad_input("input.code", "a product already has this code"),
            LicenseNotPerUnit => ServiceError::bad_input(
                "input.model",
                "licenses are priced per unit (model PER_UNIT)",
            ),
            MaximumBelowMinimum => ServiceError::bad_input(
                "input.license.maxQuantity",
                "the maximum must not be below the minimum",
            ),
            TooLarge(field) => ServiceError::bad_input(field, "too large"),
            PriceNotFound => ServiceError::NotFound { entity: "price" },
            MoveToSameVersion => ServiceError::bad_input(
                "input.toPriceId",
                "the subscriptions are already on this version",
            ),
            MoveAcrossProducts => ServiceError::bad_input(
                "input.toPriceId",
                "move subscriptions between versions of one product's price",
            ),
            MoveAcrossTerms => ServiceError::bad_input(
                "input.toPriceId",
                "this version has another currency or billing interval than the subscriptions' version",
            ),
            VersionRace => ServiceError::Conflict {
                message: "another price version of this product was just created: try again".into(),
            },
        }
    }
}
