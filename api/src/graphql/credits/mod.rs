//! Credits: the credit balance and its ledger (Ringover's "Credits"), credit notes, and the
//! staff operations that change them.

mod customer;
mod mutation;
mod types;

pub use customer::CustomerCredits;
pub use mutation::CreditsMutation;
pub use types::CreditNote;
