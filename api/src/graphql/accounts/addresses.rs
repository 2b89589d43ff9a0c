//! Billing addresses: the types (an organisation's addresses, and the address an invoice was
//! issued to), and the mutations its owners and billing admins (and operator staff) change them
//! with; operator staff verify addresses abroad. Viewers read them and get `FORBIDDEN`.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::billing_address;
use serde::Deserialize;

use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::accounts::addresses::countries::country_name;
use crate::services::accounts::addresses::write::NewAddress;
use crate::services::accounts::addresses::{self, Verification};

/// Whether an address is known to be the organisation's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum AddressVerification {
    /// In the organisation's own country: nothing to verify.
    NotRequired,
    /// In another country, not verified yet: such an address needs verifying (a proof of
    /// address) before numbers of that country can be acquired with it.
    Unverified,
    /// Verified by the operator.
    Verified,
}

impl From<Verification> for AddressVerification {
    fn from(status: Verification) -> Self {
        match status {
            Verification::NotRequired => AddressVerification::NotRequired,
            Verification::Unverified => AddressVerification::Unverified,
            Verification::Verified => AddressVerification::Verified,
        }
    }
}

/// A billing address of an organisation.
pub struct BillingAddress {
    row: billing_address::Model,
    verification: Verification,
}

impl BillingAddress {
    /// An address with its verification status ([`addresses::verification`]).
    pub fn new(row: billing_address::Model, verification: Verification) -> Self {
        Self { row, verification }
    }
}

/// A billing address of an organisation.
#[Object]
impl BillingAddress {
    /// Opaque id (`addr_…`).
    async fn id(&self) -> ID {
        self.row.id.into()
    }
    /// Street and number.
    async fn line1(&self) -> &str {
        &self.row.line1
    }
    /// Building, floor, c/o…, if any.
    async fn line2(&self) -> Option<&str> {
        self.row.line2.as_deref()
    }
    /// City or town.
    async fn city(&self) -> &str {
        &self.row.city
    }
    /// Postal code as the country writes it (`75002`, `SW1A 1AA`), if any.
    async fn postal_code(&self) -> Option<&str> {
        self.row.postal_code.as_deref()
    }
    /// State or province code (US, Canada) or free-text region, if any.
    async fn region(&self) -> Option<&str> {
        self.row.region.as_deref()
    }
    /// ISO 3166-1 alpha-2 country code.
    async fn country(&self) -> &str {
        &self.row.country
    }
    /// The country's short English name.
    async fn country_name(&self) -> &str {
        country_name(&self.row.country).unwrap_or(&self.row.country)
    }
    /// The address as printed on invoices, one line per element, the country last.
    async fn lines(&self) -> Vec<String> {
        addresses::rules::display_lines(&addresses::valid(&self.row))
    }
    /// Whether this is the default billing address, the one invoices are issued to.
    async fn is_default(&self) -> bool {
        self.row.is_default
    }
    /// Whether the address is known to be the organisation's.
    async fn verification(&self) -> AddressVerification {
        self.verification.into()
    }
    /// When the operator verified it.
    async fn verified_at(&self) -> Option<DateTime<Utc>> {
        self.row.verified_at
    }
    /// When it was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
}

/// The address an invoice was issued to, as it was when the invoice was finalised.
#[derive(SimpleObject, Deserialize)]
pub struct PostalAddress {
    /// Street and number.
    pub line1: String,
    /// Building, floor, c/o…, if any.
    pub line2: Option<String>,
    /// City or town.
    pub city: String,
    /// Postal code, if any.
    pub postal_code: Option<String>,
    /// State, province or region, if any.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// The address as printed, one line per element, the country last.
    pub lines: Vec<String>,
}

impl PostalAddress {
    /// The `billing_address` an invoice's billing snapshot holds, if it holds one.
    pub fn from_snapshot(snapshot: &serde_json::Value) -> Option<Self> {
        let address = snapshot.get("billing_address")?;
        match serde_json::from_value(address.clone()) {
            Ok(address) => Some(address),
            Err(error) => {
                tracing::error!(%error, "an invoice's billing address snapshot does not parse");
                None
            }
        }
    }
}

/// The parts of an address, as `addBillingAddress` and `updateBillingAddress` take them.
macro_rules! address_input {
    ($(#[$doc:meta])* $name:ident { $(#[$id_doc:meta])* $id:ident }) => {
        $(#[$doc])*
        #[derive(InputObject)]
        pub struct $name {
            $(#[$id_doc])*
            pub $id: ID,
            /// Street and number, 1 to 200 characters.
            pub line1: String,
            /// Building, floor, c/o…; null or blank: none.
            pub line2: Option<String>,
            /// City or town, 1 to 100 characters.
            pub city: String,
            /// Postal code in the country's format; required where the country has postal
            /// codes (Ireland's Eircodes are optional).
            pub postal_code: Option<String>,
            /// The state (US) or province (Canada), code or name: required there; none in the
            /// United Kingdom; optional free text elsewhere.
            pub region: Option<String>,
            /// ISO 3166-1 alpha-2 country code (`FR`).
            pub country: String,
        }

        impl $name {
            fn address(self) -> NewAddress {
                NewAddress {
                    line1: self.line1,
                    line2: self.line2,
                    city: self.city,
                    postal_code: self.postal_code,
                    region: self.region,
                    country: self.country,
                }
            }
        }
    };
}

address_input!(
    /// Input of `addBillingAddress`.
    AddBillingAddressInput {
        /// The organisation (`cus_…`).
        customer_id
    }
);

address_input!(
    /// Input of `updateBillingAddress`: the address's parts are replaced as a whole.
    UpdateBillingAddressInput {
        /// The address (`addr_…`).
        address_id
    }
);

/// Result of `addBillingAddress`, `updateBillingAddress`, `setDefaultBillingAddress` and
/// `verifyAddress`.
#[derive(SimpleObject)]
pub struct BillingAddressPayload {
    /// The address as it is now.
    pub address: BillingAddress,
}

/// Input of `setDefaultBillingAddress`.
#[derive(InputObject)]
pub struct SetDefaultBillingAddressInput {
    /// The address (`addr_…`).
    pub address_id: ID,
}

/// Input of `verifyAddress`.
#[derive(InputObject)]
pub struct VerifyAddressInput {
    /// The address (`addr_…`).
    pub address_id: ID,
}

/// Input of `removeBillingAddress`.
#[derive(InputObject)]
pub struct RemoveBillingAddressInput {
    /// The address (`addr_…`).
    pub address_id: ID,
    /// When removing the default address while others remain: the one that becomes the
    /// default instead (required then, refused otherwise).
    pub new_default_address_id: Option<ID>,
}

/// Result of `removeBillingAddress`.
#[derive(SimpleObject)]
pub struct RemoveBillingAddressPayload {
    /// The id of the removed address.
    pub removed_address_id: ID,
}

/// Mutations on billing addresses.
#[derive(Default)]
pub struct AddressesMutation;

#[Object]
impl AddressesMutation {
    /// Adds a billing address to an organisation (its owners and billing admins, or operator
    /// staff), checked against its country's rules; the first one becomes the default. An
    /// organisation has at most 20.
    async fn add_billing_address(
        &self,
        ctx: &Context<'_>,
        input: AddBillingAddressInput,
    ) -> Result<BillingAddressPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let services = ctx.services();
        let (row, status) = services
            .addresses
            .add(
                ctx.actor(),
                ctx.request_id(),
                customer,
                input.address(),
                services.clock.now(),
            )
            .await?;
        Ok(BillingAddressPayload {
            address: BillingAddress::new(row, status),
        })
    }

    /// Replaces an address's parts; a changed address loses its verification.
    async fn update_billing_address(
        &self,
        ctx: &Context<'_>,
        input: UpdateBillingAddressInput,
    ) -> Result<BillingAddressPayload> {
        let id = parse_id(&input.address_id, "input.addressId")?;
        let services = ctx.services();
        let (row, status) = services
            .addresses
            .update(
                ctx.actor(),
                ctx.request_id(),
                id,
                input.address(),
                services.clock.now(),
            )
            .await?;
        Ok(BillingAddressPayload {
            address: BillingAddress::new(row, status),
        })
    }

    /// Makes an address the organisation's default, the one its next invoices are issued to.
    async fn set_default_billing_address(
        &self,
        ctx: &Context<'_>,
        input: SetDefaultBillingAddressInput,
    ) -> Result<BillingAddressPayload> {
        let id = parse_id(&input.address_id, "input.addressId")?;
        let services = ctx.services();
        let (row, status) = services
            .addresses
            .set_default(ctx.actor(), ctx.request_id(), id, services.clock.now())
            .await?;
        Ok(BillingAddressPayload {
            address: BillingAddress::new(row, status),
        })
    }

    /// Removes an address. The default one, while others remain, only with
    /// `newDefaultAddressId` (`CONFLICT`, `DEFAULT_ADDRESS`, without it).
    async fn remove_billing_address(
        &self,
        ctx: &Context<'_>,
        input: RemoveBillingAddressInput,
    ) -> Result<RemoveBillingAddressPayload> {
        let id = parse_id(&input.address_id, "input.addressId")?;
        let next = input
            .new_default_address_id
            .as_ref()
            .map(|n| parse_id(n, "input.newDefaultAddressId"))
            .transpose()?;
        let services = ctx.services();
        let row = services
            .addresses
            .remove(
                ctx.actor(),
                ctx.request_id(),
                id,
                next,
                services.clock.now(),
            )
            .await?;
        Ok(RemoveBillingAddressPayload {
            removed_address_id: row.id.into(),
        })
    }

    /// Marks an address verified (operator staff): what an address in another country than
    /// the organisation's needs.
    async fn verify_address(
        &self,
        ctx: &Context<'_>,
        input: VerifyAddressInput,
    ) -> Result<BillingAddressPayload> {
        let id = parse_id(&input.address_id, "input.addressId")?;
        let services = ctx.services();
        let (row, status) = services
            .addresses
            .verify(ctx.actor(), ctx.request_id(), id, services.clock.now())
            .await?;
        Ok(BillingAddressPayload {
            address: BillingAddress::new(row, status),
        })
    }
}
