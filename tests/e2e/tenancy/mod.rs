//! Tenancy: a customer user never sees or changes another tenant's data.
//!
//! - `sweep`: every id the schema accepts, found by walking the schema itself, tried by every
//!   role of one organisation with the other organisation's real ids;
//! - `probes`: how the sweep calls each id-taking operation. A new id argument without a probe
//!   fails the sweep, naming it;
//! - `staff_reads`: the root queries that take no id, each listed as open or staff-only (a
//!   new one unlisted fails), the staff-only ones refused to every customer role;
//! - `roles`: operator roles: support changes nothing but document reviews, and only an admin
//!   manages API keys.

mod probes;
mod roles;
mod staff_reads;
mod sweep;
