//! Staff mutations on organisations and their portal logins.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::types::User;
use crate::auth::Role;
use crate::graphql::context::ContextExt;
use crate::graphql::customer::Customer;
use crate::graphql::money::parse_id;
use crate::services::accounts::organisations::{NewCustomer, NewUser};

/// Input of `createUser`.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// Sign-in e-mail address (unique).
    pub email: String,
    /// Display name.
    pub name: String,
    /// OWNER, BILLING_ADMIN or VIEWER.
    pub role: Role,
    /// Initial password (at least 12 characters); share it with the user out of band.
    pub password: String,
}

/// Result of `createUser`.
#[derive(SimpleObject)]
pub struct CreateUserPayload {
    /// The new login.
    pub user: User,
}

/// Input of `createCustomer`.
#[derive(InputObject)]
pub struct CreateCustomerInput {
    /// Display name.
    pub name: String,
    /// Legal company name.
    pub company: Option<String>,
    /// Billing e-mail address.
    pub email: String,
    /// ISO 4217 currency the customer is billed in.
    pub currency: String,
    /// IANA time zone billing days are counted in (e.g. `Europe/Paris`).
    pub time_zone: String,
    /// Legacy: a tax rate of the customer's own in percent, exact decimal text, used only
    /// while it has no country; give it a country with `updateCustomerBillingSettings` to
    /// use the tax rates by country and region. Omit for a customer that is not taxed.
    pub tax_rate: Option<String>,
    /// The customer's id in another system of yours (the telecom platform's account number,
    /// a CRM id), up to 100 characters; staff find the customer by it. Unique when given.
    pub external_reference: Option<String>,
}

/// Result of `createCustomer`.
#[derive(SimpleObject)]
pub struct CreateCustomerPayload {
    /// The new organisation.
    pub customer: Customer,
}

/// Staff mutations on organisations.
#[derive(Default)]
pub struct OrganisationsMutation;

#[Object]
impl OrganisationsMutation {
    /// Creates a customer organisation (operator staff).
    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomerInput,
    ) -> Result<CreateCustomerPayload> {
        let services = ctx.services();
        let customer = services
            .organisations
            .create_customer(
                ctx.actor(),
                ctx.request_id(),
                NewCustomer {
                    name: input.name,
                    company: input.company,
                    email: input.email,
                    currency: input.currency,
                    time_zone: input.time_zone,
                    tax_rate: input.tax_rate,
                    external_reference: input.external_reference,
                },
                services.clock.now(),
            )
            .await?;
        Ok(CreateCustomerPayload {
            customer: Customer::from_row(customer),
        })
    }

    /// Creates a portal login for an organisation (operator staff).
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> Result<CreateUserPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let services = ctx.services();
        let user = services
            .organisations
            .create_user(
                ctx.actor(),
                ctx.request_id(),
                NewUser {
                    customer,
                    email: input.email,
                    name: input.name,
                    role: input.role,
                    password: input.password,
                },
                services.clock.now(),
            )
            .await?;
        Ok(CreateUserPayload { user: User(user) })
    }
}
