//! Work `billfold serve` does in the background. Every job coordinates through the database,
//! not through memory, so any number of instances may run it at once.

pub mod billing;
pub mod mail;
pub mod payments;
