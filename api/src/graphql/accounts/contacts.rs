//! Contacts of an organisation by role: the type, and the mutations its owners and billing
//! admins (and operator staff) change them with. Viewers read them and get `FORBIDDEN`.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::contact;

use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::accounts::contacts::ContactInput;

/// What a contact is the person to talk to about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum ContactRole {
    /// Lines, numbers, the service itself.
    Technical,
    /// Invoices and payments.
    Accounting,
    /// Day-to-day operations.
    Operational,
    /// Anything else.
    Other,
}

impl From<contact::ContactRole> for ContactRole {
    fn from(role: contact::ContactRole) -> Self {
        match role {
            contact::ContactRole::Technical => ContactRole::Technical,
            contact::ContactRole::Accounting => ContactRole::Accounting,
            contact::ContactRole::Operational => ContactRole::Operational,
            contact::ContactRole::Other => ContactRole::Other,
        }
    }
}

impl From<ContactRole> for contact::ContactRole {
    fn from(role: ContactRole) -> Self {
        match role {
            ContactRole::Technical => contact::ContactRole::Technical,
            ContactRole::Accounting => contact::ContactRole::Accounting,
            ContactRole::Operational => contact::ContactRole::Operational,
            ContactRole::Other => contact::ContactRole::Other,
        }
    }
}

/// Someone at the organisation the operator may reach about one area.
pub struct Contact(pub contact::Model);

/// Someone at the organisation the operator may reach about one area.
#[Object]
impl Contact {
    /// Opaque id (`ctc_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// What the contact is the person to talk to about.
    async fn role(&self) -> ContactRole {
        self.0.role.into()
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// E-mail address, lower-cased.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Phone number in international form (`+33123456789`), if given.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Whether the organisation's invoices are e-mailed to this contact too.
    async fn receives_invoices(&self) -> bool {
        self.0.receives_invoices
    }
    /// When the contact was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Input of `addContact`.
#[derive(InputObject)]
pub struct AddContactInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// What the contact is the person to talk to about.
    pub role: ContactRole,
    /// Full name, 1 to 200 characters.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Phone number in international form (`+33 1 23 45 67 89`; spaces, dots, hyphens and
    /// parentheses allowed); null or blank: none.
    pub phone: Option<String>,
    /// Whether the organisation's invoices are e-mailed to this contact too.
    pub receives_invoices: bool,
}

/// The details both inputs carry, as the service takes them.
macro_rules! contact_input {
    ($input:expr) => {
        ContactInput {
            role: $input.role.into(),
            name: $input.name,
            email: $input.email,
            phone: $input.phone,
            receives_invoices: $input.receives_invoices,
        }
    };
}

/// Result of `addContact`.
#[derive(SimpleObject)]
pub struct AddContactPayload {
    /// The new contact.
    pub contact: Contact,
}

/// Input of `updateContact`: the contact's details are replaced as a whole.
#[derive(InputObject)]
pub struct UpdateContactInput {
    /// The contact (`ctc_…`).
    pub contact_id: ID,
    /// What the contact is the person to talk to about.
    pub role: ContactRole,
    /// Full name, 1 to 200 characters.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Phone number in international form (`+33 1 23 45 67 89`; spaces, dots, hyphens and
    /// parentheses allowed); null or blank: none.
    pub phone: Option<String>,
    /// Whether the organisation's invoices are e-mailed to this contact too.
    pub receives_invoices: bool,
}

/// Result of `updateContact`.
#[derive(SimpleObject)]
pub struct UpdateContactPayload {
    /// The contact as changed.
    pub contact: Contact,
}

/// Input of `removeContact`.
#[derive(InputObject)]
pub struct RemoveContactInput {
    /// The contact (`ctc_…`).
    pub contact_id: ID,
}

/// Result of `removeContact`.
#[derive(SimpleObject)]
pub struct RemoveContactPayload {
    /// The id of the removed contact.
    pub removed_contact_id: ID,
}

/// Mutations on contacts.
#[derive(Default)]
pub struct ContactsMutation;

#[Object]
impl ContactsMutation {
    /// Adds a contact to an organisation (its owners and billing admins, or operator staff);
    /// an organisation has at most 50.
    async fn add_contact(
        &self,
        ctx: &Context<'_>,
        input: AddContactInput,
    ) -> Result<AddContactPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let services = ctx.services();
        let row = services
            .contacts
            .add(
                ctx.actor(),
                ctx.request_id(),
                customer,
                contact_input!(input),
                services.clock.now(),
            )
            .await?;
        Ok(AddContactPayload {
            contact: Contact(row),
        })
    }

    /// Replaces a contact's details.
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        input: UpdateContactInput,
    ) -> Result<UpdateContactPayload> {
        let id = parse_id(&input.contact_id, "input.contactId")?;
        let services = ctx.services();
        let row = services
            .contacts
            .update(
                ctx.actor(),
                ctx.request_id(),
                id,
                contact_input!(input),
                services.clock.now(),
            )
            .await?;
        Ok(UpdateContactPayload {
            contact: Contact(row),
        })
    }

    /// Removes a contact.
    async fn remove_contact(
        &self,
        ctx: &Context<'_>,
        input: RemoveContactInput,
    ) -> Result<RemoveContactPayload> {
        let id = parse_id(&input.contact_id, "input.contactId")?;
        let row = ctx
            .services()
            .contacts
            .remove(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(RemoveContactPayload {
            removed_contact_id: row.id.into(),
        })
    }
}
