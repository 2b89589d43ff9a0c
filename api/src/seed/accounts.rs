//! The demo organisations' contacts and billing addresses, added through the same services
//! their users add them with (so the demo obeys the same rules). Acme has an accounting contact
//! who receives the invoices and a technical one who does not, its default billing address in
//! Paris and a second one in Madrid (abroad, so unverified); Globex an accounting contact and
//! one address in London.

use entity::contact::ContactRole;
use entity::customer;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::admin_actor;
use crate::BoxError;
use crate::services::Services;
use crate::services::accounts::addresses::write::NewAddress;
use crate::services::accounts::contacts::ContactInput;

/// A demo contact: role, name, e-mail, phone, receives invoices.
type DemoContact = (ContactRole, &'static str, &'static str, &'static str, bool);

/// A demo address: line 1, line 2, city, postal code, region, country.
type DemoAddress = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
);

/// Each demo organisation's contacts and addresses, the default address first.
const DEMO: [(&str, &[DemoContact], &[DemoAddress]); 2] = [
    (
        "Acme Telecom",
        &[
            (
                ContactRole::Accounting,
                "Claire Dubois",
                "claire.dubois@acme.example",
                "+33 1 42 68 53 00",
                true,
            ),
            (
                ContactRole::Technical,
                "Marc Lefèvre",
                "marc.lefevre@acme.example",
                "+33 6 12 34 56 78",
                false,
            ),
        ],
        &[
            ("12 Rue de la Paix", None, "Paris", "75002", None, "FR"),
            (
                "Calle de Alcalá 45",
                Some("Planta 3"),
                "Madrid",
                "28014",
                Some("Comunidad de Madrid"),
                "ES",
            ),
        ],
    ),
    (
        "Globex",
        &[(
            ContactRole::Accounting,
            "Priya Shah",
            "priya.shah@globex.example",
            "+44 20 7946 0958",
            true,
        )],
        &[(
            "1 Canada Square",
            Some("Level 39"),
            "London",
            "E14 5AB",
            None,
            "GB",
        )],
    ),
];

/// Adds the demo contacts and billing addresses.
pub(super) async fn seed_contacts_and_addresses(
    db: &DatabaseConnection,
    services: &Services,
) -> Result<(), BoxError> {
    let actor = admin_actor(db).await?;
    let error = |e| format!("{e:?}");
    let now = services.clock.now();
    for (name, contacts, addresses) in DEMO {
        let customer = customer::Entity::find()
            .filter(customer::Column::Name.eq(name))
            .one(db)
            .await?
            .ok_or("demo organisation missing")?;
        for &(role, name, email, phone, receives_invoices) in contacts {
            let contact = ContactInput {
                role,
                name: name.into(),
                email: email.into(),
                phone: Some(phone.into()),
                receives_invoices,
            };
            services
                .contacts
                .add(&actor, None, customer.id, contact, now)
                .await
                .map_err(error)?;
        }
        for &(line1, line2, city, postal_code, region, country) in addresses {
            let address = NewAddress {
                line1: line1.into(),
                line2: line2.map(Into::into),
                city: city.into(),
                postal_code: Some(postal_code.into()),
                region: region.map(Into::into),
                country: country.into(),
            };
            services
                .addresses
                .add(&actor, None, customer.id, address, now)
                .await
                .map_err(error)?;
        }
    }
    Ok(())
}
