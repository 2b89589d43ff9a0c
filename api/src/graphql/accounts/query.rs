//! Queries of the accounts slice: the signed-in user, customer organisations (and staff's
//! search of them), and the countries an address may be in.

use async_graphql::{Context, Object, Result, SimpleObject};

use async_graphql::ID;
use async_graphql::connection::Connection;

use super::types::User;
use super::viewer::ViewerAccount;
use crate::graphql::context::ContextExt;
use crate::graphql::customer::Customer;
use crate::graphql::errors::malformed_id;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::graphql::viewer::Viewer;
use crate::services::accounts::addresses::countries::COUNTRIES;
use crate::services::accounts::search::CustomerSearch;
use crate::services::accounts::session::SignedIn;
use ids::CustomerId;

/// A country an address may be in.
#[derive(SimpleObject)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`FR`).
    code: &'static str,
    /// Short English name (`France`).
    name: &'static str,
}

/// Queries about the signed-in user and the organisations they may see.
#[derive(Default)]
pub struct AccountsQuery;

#[Object]
impl AccountsQuery {
    /// The signed-in user and, for a customer user, their organisation.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Viewer> {
        let (user, organisation) = ctx
            .services()
            .accounts
            .viewer(ctx.actor(), ctx.data_opt::<SignedIn>())
            .await?;
        Ok(Viewer::new(ViewerAccount {
            user: User(user),
            organisation: organisation.map(Customer::from_row),
        }))
    }

    /// The countries an address may be in (ISO 3166-1 alpha-2), by English name: what an
    /// address form offers.
    async fn countries(&self) -> Vec<Country> {
        let mut countries: Vec<Country> = COUNTRIES
            .iter()
            .map(|&(code, name)| Country { code, name })
            .collect();
        countries.sort_by(|a, b| a.name.cmp(b.name));
        countries
    }

    /// Customer organisations: every one for operator staff, their own for a customer user.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many customers (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last customer of the previous page.")] after: Option<
            String,
        >,
    ) -> Result<Connection<String, Customer>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx.services().customers.list(ctx.actor(), request).await?;
        Ok(connection(page, Customer::from_row))
    }

    /// Customers whose name, company, external reference, tags or e-mail (or one of their contacts'
    /// e-mails) contains `query` in any case, or that hold a telephone number containing its digits however it
    /// is written (`+33 1 42 68 53 00`, `01 42 68 53 00`), oldest first; an empty query finds
    /// every customer (operator staff, support included).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn search_customers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to find (at most 200 characters); empty: every customer.")]
        query: String,
        #[graphql(desc = "How many customers (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last customer of the previous page.")] after: Option<
            String,
        >,
    ) -> Result<Connection<String, Customer>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let search = CustomerSearch::parse(&query)?;
        let page = ctx
            .services()
            .customers
            .search(ctx.actor(), &search, request)
            .await?;
        Ok(connection(page, Customer::from_row))
    }

    /// One customer organisation. Another tenant's id answers `NOT_FOUND`.
    async fn customer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer's id (`cus_…`).")] id: ID,
    ) -> Result<Customer> {
        let id: CustomerId = id.parse().map_err(|e| malformed_id("id", e))?;
        let customer = ctx.services().customers.get(ctx.actor(), id).await?;
        Ok(Customer::from_row(customer))
    }
}
