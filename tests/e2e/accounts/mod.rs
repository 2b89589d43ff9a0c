//! Accounts: sign-in and tokens, organisations with their teams, members and users, reading
//! one's own organisation, and the portal's sign-in journey; what an organisation's own users
//! change: contacts, billing addresses (and the address every invoice keeps), teams and
//! members, their password, and the portal pages for each.

mod addresses;
mod audit;
mod auth;
mod contacts;
mod ops;
mod organisations;
mod pages;
mod pagination;
mod password;
mod people;
mod portal;
mod snapshot;
mod tenancy;
