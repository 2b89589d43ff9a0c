//! Billing addresses: several per organisation, exactly one the default, which every invoice
//! copies at finalisation ([`snapshot`]). Validated per country by the pure [`rules`];
//! changed in [`write`].
//!
//! The default address is part of the cached tenant state (the billing run and the other
//! finalising paths read it with the customer, [`defaults_of`]), so every write here is a
//! tenant write, which bumps the revision.
//!
//! **Verification.** An address in another country than the organisation's is `UNVERIFIED`
//! until operator staff accept a proof-of-address document for it (the vault's review does
//! it, or `verify` for a proof received otherwise); one in the organisation's own country
//! needs none. Computed when read
//! ([`verification`]), so a change of the organisation's country is reflected at once; a change
//! of the address itself clears a verification.

pub mod countries;
pub mod postal;
mod regions;
pub mod rules;
pub mod write;

use std::collections::HashMap;

use entity::billing_address;
use ids::CustomerId;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::auth::Actor;
use crate::db::Db;
use crate::error::ServiceResult;
use rules::ValidAddress;

/// Most billing addresses an organisation may have: the list is read whole, never paged.
pub const MAX_ADDRESSES: usize = 20;

/// Whether an address is known to be the organisation's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verification {
    /// In the organisation's own country (or it has none on record): nothing to verify.
    NotRequired,
    /// Abroad, not verified yet.
    Unverified,
    /// Verified by operator staff.
    Verified,
}

/// The verification status of `address` of an organisation in `home_country`.
pub fn verification(address: &billing_address::Model, home_country: Option<&str>) -> Verification {
    if address.verified_at.is_some() {
        Verification::Verified
    } else if home_country.is_none_or(|home| home == address.country) {
        Verification::NotRequired
    } else {
        Verification::Unverified
    }
}

/// A stored address as the rules' type (it was validated when written).
pub fn valid(address: &billing_address::Model) -> ValidAddress {
    ValidAddress {
        line1: address.line1.clone(),
        line2: address.line2.clone(),
        city: address.city.clone(),
        postal_code: address.postal_code.clone(),
        region: address.region.clone(),
        country: address.country.clone(),
    }
}

/// The address as an invoice keeps it in its billing snapshot (`billing_address`): the parts,
/// and the lines as printed ([`rules::display_lines`]), so the invoice shows the address it was
/// issued to whatever happens to the address later.
pub fn snapshot(address: &billing_address::Model) -> Value {
    json!({
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "postal_code": address.postal_code,
        "region": address.region,
        "country": address.country,
        "lines": rules::display_lines(&valid(address)),
    })
}

/// The default billing address of `customer`, if it has one.
pub async fn default_of<C: ConnectionTrait>(
    db: &C,
    customer: CustomerId,
) -> Result<Option<billing_address::Model>, DbErr> {
    Ok(defaults_of(db, &[customer]).await?.remove(&customer))
}

/// The default billing addresses of `customers`, in one query whatever their number (the
/// billing run reads a batch of customers at once); customers without one are absent.
pub async fn defaults_of<C: ConnectionTrait>(
    db: &C,
    customers: &[CustomerId],
) -> Result<HashMap<CustomerId, billing_address::Model>, DbErr> {
    if customers.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(billing_address::Entity::find()
        .filter(billing_address::Column::CustomerId.is_in(customers.iter().copied()))
        .filter(billing_address::Column::IsDefault.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.customer_id, a))
        .collect())
}

/// Billing addresses: reads, and the writes in [`write`].
#[derive(Clone)]
pub struct AddressesService {
    db: Db,
}

impl AddressesService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The billing addresses of `customer`, the default first, then oldest first.
    pub async fn list(
        &self,
        actor: &Actor,
        customer: CustomerId,
    ) -> ServiceResult<Vec<billing_address::Model>> {
        let scope = actor.authenticated()?.scope();
        Ok(billing_address::Entity::find()
            .filter(scope.condition(billing_address::Column::CustomerId))
            .filter(billing_address::Column::CustomerId.eq(customer))
            .order_by_desc(billing_address::Column::IsDefault)
            .order_by_asc(billing_address::Column::CreatedAt)
            .order_by_asc(billing_address::Column::Id)
            .all(self.db.reads())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use ids::{BillingAddressId, UserId};

    use super::*;

    fn address(country: &str, verified: bool) -> billing_address::Model {
        billing_address::Model {
            id: BillingAddressId::new(),
            customer_id: CustomerId::new(),
            line1: "12 Rue de la Paix".into(),
            line2: None,
            city: "Paris".into(),
            postal_code: Some("75002".into()),
            region: None,
            country: country.into(),
            is_default: true,
            verified_at: verified.then(Utc::now),
            verified_by: verified.then(UserId::new),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn only_an_address_abroad_needs_verifying() {
        assert_eq!(
            verification(&address("FR", false), Some("FR")),
            Verification::NotRequired
        );
        assert_eq!(
            verification(&address("ES", false), Some("FR")),
            Verification::Unverified
        );
        assert_eq!(
            verification(&address("ES", true), Some("FR")),
            Verification::Verified
        );
        assert_eq!(
            verification(&address("ES", false), None),
            Verification::NotRequired
        );
    }

    #[test]
    fn the_snapshot_has_the_parts_and_the_printed_lines() {
        let snapshot = snapshot(&address("FR", false));
        assert_eq!(snapshot["postal_code"], "75002");
        assert_eq!(snapshot["line2"], Value::Null);
        assert_eq!(
            snapshot["lines"],
            json!(["12 Rue de la Paix", "75002 Paris", "France"])
        );
    }
}
