//! Usage: `recordUsage` (operator staff and API keys with `usage:write`), and the API keys
//! machine clients use (`createApiKey`, `revokeApiKey`, `apiKeys`; staff signed in).

mod mutation;
mod query;
mod types;

pub use mutation::UsageMutation;
pub use query::UsageQuery;
