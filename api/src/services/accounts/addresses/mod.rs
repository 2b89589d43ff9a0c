//! Billing addresses: validated per country by the pure [`rules`].

pub mod countries;
pub mod postal;
mod regions;
pub mod rules;
