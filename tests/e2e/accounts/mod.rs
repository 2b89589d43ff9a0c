//! Accounts: sign-in and tokens, organisations with their teams, members and users, reading
//! one's own organisation, and the portal's sign-in journey; what an organisation's own users
//! change: contacts, billing addresses (and the address every invoice keeps), teams and
//! members, their password, and the portal pages for each; owners invite users (the e-mailed
//! link, once, for 7 days), change their roles and remove them.

mod addresses;
mod audit;
mod auth;
mod browser;
mod contacts;
mod currency_race;
mod customer_profile;
mod invitations;
mod ops;
mod organisations;
mod pages;
mod pagination;
mod password;
mod people;
mod people_pages;
mod portal;
mod snapshot;
mod staff;
mod tenancy;
mod users;
