//! Typed execution of the console's operations. How a GraphQL error becomes what a page shows
//! is the `web` crate's ([`web::api::ApiError`]), shared with the portal.

use graphql_client::GraphQLQuery;

use crate::Console;

/// Why an operation did not give data.
pub use web::api::ApiError as ConsoleError;

impl Console {
    /// Runs operation `Q` with `variables` as the holder of `session`.
    pub(crate) async fn run<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
        session: Option<&str>,
    ) -> Result<Q::ResponseData, ConsoleError> {
        let request = web::api::request::<Q>(variables)?;
        web::api::decode::<Q>(self.transport.execute(request, session).await)
    }
}
