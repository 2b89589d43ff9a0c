//! What every slice stands on: the GraphQL-over-HTTP handler and its limits, restarts, and the
//! schema contract.

mod http;
mod restart;
mod schema;
