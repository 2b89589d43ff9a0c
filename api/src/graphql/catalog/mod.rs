//! The catalog: products and versioned prices (operator staff).

mod mutation;
mod query;
mod types;

pub use mutation::CatalogMutation;
pub use query::CatalogQuery;
pub use types::{IntervalUnit, Price, Product};
