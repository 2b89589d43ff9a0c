//! Billfold's end-to-end suite: one test binary, one folder per slice (the same names as
//! `api/src/services/`), plus `platform` (HTTP, restarts, the schema), `ws` (a graphql-transport-ws client) and `tenancy` (the sweep
//! over every id the schema takes). Every `e2e_test!` runs on SQLite and on PostgreSQL.

mod accounts;
mod console;
mod documents;
mod invoices;
mod licenses;
mod mail;
mod numbers;
mod payments;
mod platform;
mod tenancy;
mod usage;
mod vault;
mod ws;
