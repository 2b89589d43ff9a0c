//! Accounts: sign-in and tokens, organisations with their teams, members and users, reading
//! one's own organisation, and the portal's sign-in journey.

mod audit;
mod auth;
mod organisations;
mod pagination;
mod portal;
mod tenancy;
