//! Staff mutations on organisations and their portal logins.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use super::billing_cycle::BillingCycleInput;
use super::types::User;
use crate::auth::Role;
use crate::graphql::context::ContextExt;
use crate::graphql::customer::Customer;
use crate::graphql::money::parse_id;
use crate::services::accounts::addresses::write::NewAddress;
use crate::services::accounts::organisations::{NewCustomer, NewUser};
use crate::services::accounts::profile::ProfileChange;

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
    /// Days from an invoice's issue date to its due date, 0 (due on receipt, the default) to
    /// 365.
    pub payment_terms_days: Option<i32>,
    /// The interval the customer's new subscriptions bill at unless another is chosen;
    /// monthly when left out.
    pub billing_cycle: Option<BillingCycleInput>,
    /// Your labels for the customer (`vip`, `wholesale`…), at most 20 of up to 40 characters
    /// each, without `"`, `\` or `,`; the same tag in another case is kept once; staff find the
    /// customer by them, the customer never sees them.
    pub tags: Option<Vec<String>>,
    /// Its first billing address (the default), written with it: an address its country's
    /// rules refuse writes no customer either (`BAD_USER_INPUT` on
    /// `input.billingAddress.<field>`). Its country (and its state or province in the US and
    /// Canada) also picks the customer's tax rate, as `updateCustomerBillingSettings` would.
    pub billing_address: Option<NewBillingAddressInput>,
}

/// A customer's first billing address, given with `createCustomer` (the fields of
/// `addBillingAddress`, without the customer).
#[derive(InputObject)]
pub struct NewBillingAddressInput {
    /// Street and number, 1 to 200 characters.
    pub line1: String,
    /// Building, floor, c/o…; null or blank: none.
    pub line2: Option<String>,
    /// City or town, 1 to 100 characters.
    pub city: String,
    /// Postal code in the country's format; required where the country has postal codes.
    pub postal_code: Option<String>,
    /// The state (US) or province (Canada), code or name: required there.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code (`FR`).
    pub country: String,
}

impl From<NewBillingAddressInput> for NewAddress {
    fn from(input: NewBillingAddressInput) -> Self {
        Self {
            line1: input.line1,
            line2: input.line2,
            city: input.city,
            postal_code: input.postal_code,
            region: input.region,
            country: input.country,
        }
    }
}

/// Input of `setCustomerTags`.
#[derive(InputObject)]
pub struct SetCustomerTagsInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// Every tag it has from now on (the rules of `createCustomer`'s `tags`); an empty list
    /// removes them all.
    pub tags: Vec<String>,
}

/// Result of `setCustomerTags`.
#[derive(SimpleObject)]
pub struct SetCustomerTagsPayload {
    /// The organisation with its new tags.
    pub customer: Customer,
}

/// Input of `updateCustomer`: a field left out stays as it is.
#[derive(InputObject)]
pub struct UpdateCustomerInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// Its name, 1 to 200 characters.
    pub name: Option<String>,
    /// Its company, at most 200 characters; null or blank clears it.
    pub company: MaybeUndefined<String>,
    /// The address its invoices and receipts are sent to.
    pub email: Option<String>,
    /// IANA time zone, e.g. `Europe/Paris`: its calendar days (due days, periods, usage
    /// days). Changes only while nothing is billed, as the currency: else `CONFLICT` with
    /// `extensions.reason` `TIME_ZONE_IN_USE`.
    pub time_zone: Option<String>,
    /// ISO 4217 code. Changes only while nothing is priced in the current one (no
    /// subscription, invoice, unbilled charge, credit entry or applied coupon): else
    /// `CONFLICT` with `extensions.reason` `CURRENCY_IN_USE`.
    pub currency: Option<String>,
}

/// Result of `updateCustomer`.
#[derive(SimpleObject)]
pub struct UpdateCustomerPayload {
    /// The organisation as changed.
    pub customer: Customer,
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
        let billing_cycle = input
            .billing_cycle
            .as_ref()
            .map(|cycle| cycle.parse("input.billingCycle"))
            .transpose()?;
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
                    payment_terms_days: input.payment_terms_days,
                    billing_cycle,
                    tags: input.tags.unwrap_or_default(),
                    billing_address: input.billing_address.map(NewAddress::from),
                },
                services.clock.now(),
            )
            .await?;
        Ok(CreateCustomerPayload {
            customer: Customer::from_row(customer),
        })
    }

    /// Changes an organisation's name, company, e-mail, time zone or currency (operator staff
    /// who change things, not support); audited. Every value is checked before anything is
    /// written, a refusal naming its field.
    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        input: UpdateCustomerInput,
    ) -> Result<UpdateCustomerPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let services = ctx.services();
        let row = services
            .organisations
            .update_profile(
                ctx.actor(),
                ctx.request_id(),
                customer,
                ProfileChange {
                    name: input.name,
                    company: match input.company {
                        MaybeUndefined::Undefined => None,
                        MaybeUndefined::Null => Some(None),
                        MaybeUndefined::Value(company) => Some(Some(company)),
                    },
                    email: input.email,
                    time_zone: input.time_zone,
                    currency: input.currency,
                },
                services.clock.now(),
            )
            .await?;
        Ok(UpdateCustomerPayload {
            customer: Customer::from_row(row),
        })
    }

    /// Replaces an organisation's tags (operator staff who change things, not support).
    async fn set_customer_tags(
        &self,
        ctx: &Context<'_>,
        input: SetCustomerTagsInput,
    ) -> Result<SetCustomerTagsPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let services = ctx.services();
        let row = services
            .organisations
            .set_tags(
                ctx.actor(),
                ctx.request_id(),
                customer,
                &input.tags,
                services.clock.now(),
            )
            .await?;
        Ok(SetCustomerTagsPayload {
            customer: Customer::from_row(row),
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
