//! Usage: `recordUsage` (operator staff and API keys with `usage:write`), and the API keys
//! machine clients use (`createApiKey`, `revokeApiKey`, `apiKeys`; staff signed in), and the
//! organisation's detailed consumption (`Customer.consumption`).

mod consumption;
mod consumption_calls;
mod mutation;
mod query;
mod types;

pub use consumption::CustomerConsumption;
pub use mutation::UsageMutation;
pub use query::UsageQuery;
