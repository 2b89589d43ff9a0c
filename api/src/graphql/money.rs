//! Money in the schema: exact decimal text, never a float.

use async_graphql::Object;

/// An amount of money: exact decimal text in the currency's minor units.
#[derive(Clone, Copy, Debug)]
pub struct Money(pub billing::Money);

#[Object]
impl Money {
    /// Exact amount as decimal text with the currency's minor units, e.g. `61.87` (never a
    /// float: parse it as a decimal).
    async fn amount(&self) -> String {
        self.0.amount().to_string()
    }

    /// ISO 4217 currency code.
    async fn currency(&self) -> &'static str {
        self.0.currency().code()
    }

    /// For display, e.g. `€61.87`.
    async fn formatted(&self) -> String {
        self.0.to_string()
    }
}

/// Parses a typed id argument, or answers `BAD_USER_INPUT` on `field`.
pub(crate) fn parse_id<T: std::str::FromStr<Err = ids::MalformedId>>(
    id: &async_graphql::ID,
    field: &str,
) -> Result<T, crate::error::ServiceError> {
    id.parse::<T>()
        .map_err(|e| crate::error::ServiceError::bad_input(field, e.to_string()))
}
