//! Billfold's end-to-end suite: one test binary. Every `e2e_test!` runs on SQLite and on
//! PostgreSQL (when `TEST_DATABASE_URL` names a server, as in CI).

mod auth;
mod browser;
mod http;
mod licenses;
mod organisations;
mod portal;
mod restart;
mod schema;
mod tenancy;
