//! Saving a method with the processor's own form (Stripe's SetupIntent and Payment Element):
//! [`PaymentsService::begin_setup`] gives the portal a client secret, the customer's browser
//! sends the card or account straight to the processor, and the method it saved is recorded
//! by [`PaymentsService::record_setup`] (the portal's return page) or by the
//! `setup_intent.succeeded` webhook, whichever comes first: it is saved once. Our server only
//! ever sees the processor's method reference, brand, last four and expiry.

use entity::payment_method::{self, MethodKind};
use ids::CustomerId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::methods::MethodToSave;
use super::processor::{SetupKind, SetupOutcome, SetupSession};
use super::{PaymentError, PaymentsService, check_scope};
use crate::auth::{Actor, AuthenticatedActor};
use crate::db::PlainWrite;
use crate::error::ServiceResult;

/// A setup begun: what the customer's browser needs to show the processor's form.
#[derive(Clone, Debug)]
pub struct BegunSetup {
    /// The setup at the processor, with its client secret.
    pub session: SetupSession,
    /// The processor's publishable key for its script (Stripe.js), from the configuration.
    pub publishable_key: String,
}

impl PaymentsService {
    /// Starts saving a method of `kind` for `customer` with the processor's form (owners,
    /// billing admins, staff): the session whose client secret the portal's form needs, and
    /// the publishable key. `PROCESSOR_FORM_UNAVAILABLE` with the sandbox, which takes details
    /// in our own form.
    pub async fn begin_setup(
        &self,
        actor: &Actor,
        customer: CustomerId,
        kind: SetupKind,
    ) -> ServiceResult<BegunSetup> {
        check_scope(actor, customer)?;
        actor.authenticated()?.require_billing_write()?;
        let publishable_key = match (
            &self.settings.publishable_key,
            self.processor.collects_details(),
        ) {
            (Some(key), true) => key.clone(),
            _ => return Err(PaymentError::NoProcessorForm.into()),
        };
        self.ensure_room_for_a_method(customer).await?;
        let processor_customer = self.processor_customer(customer).await?;
        let session = self
            .processor
            .begin_setup(&processor_customer, customer, kind)
            .await
            .map_err(PaymentError::Processor)?;
        Ok(BegunSetup {
            session,
            publishable_key,
        })
    }

    /// Records the method a setup of `customer` saved (the portal's return page), once: the
    /// `setup_intent.succeeded` webhook arriving too records nothing more. The setup is asked
    /// of the processor, never taken from the browser. `NOT_FOUND` for a setup the processor
    /// does not know, that another organisation started (our id in its metadata, and its
    /// processor customer, must be this organisation's), and for any setup with the sandbox,
    /// which has none; then `FORBIDDEN` for viewers; `SETUP_NOT_FINISHED` while the
    /// processor has not saved it.
    pub async fn record_setup(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        customer: CustomerId,
        setup: &str,
    ) -> ServiceResult<payment_method::Model> {
        check_scope(actor, customer)?;
        let user = actor.authenticated()?;
        if !self.processor.collects_details() {
            return Err(PaymentError::SetupNotFound.into());
        }
        let outcome = self
            .processor
            .finish_setup(setup)
            .await
            .map_err(|error| match error {
                // A setup the processor does not know is not found, like another tenant's.
                super::processor::ProcessorError::Refused { .. } => PaymentError::SetupNotFound,
                other => PaymentError::Processor(other),
            })?;
        // Whose it is is checked before whether it is finished: another organisation's
        // unfinished setup answers like a missing one.
        let ours = match &outcome {
            Some(outcome) => self.is_ours(customer, outcome).await?,
            None => self.setup_is_ours(customer, setup).await?,
        };
        if !ours {
            return Err(PaymentError::SetupNotFound.into());
        }
        user.require_billing_write()?;
        let outcome = outcome.ok_or(PaymentError::SetupNotFinished)?;
        let txn = self.db.begin_plain_write().await?;
        let saved = self
            .save_setup_in(&txn, Some(user), request_id, customer, outcome)
            .await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// Whether a finished setup is `customer`'s: our id in its metadata (written by us when it
    /// began) and, once the organisation has a method with this processor, the same processor
    /// customer.
    async fn is_ours(&self, customer: CustomerId, outcome: &SetupOutcome) -> ServiceResult<bool> {
        if outcome.our_customer.as_deref() != Some(customer.to_string().as_str()) {
            return Ok(false);
        }
        let known = payment_method::Entity::find()
            .filter(payment_method::Column::CustomerId.eq(customer))
            .filter(payment_method::Column::Processor.eq(self.processor.name()))
            .one(self.db.reads())
            .await?;
        Ok(known.is_none_or(|m| m.processor_customer == outcome.customer))
    }

    /// Whether an unfinished setup is `customer`'s (its metadata names it).
    async fn setup_is_ours(&self, customer: CustomerId, setup: &str) -> ServiceResult<bool> {
        Ok(self
            .processor
            .setup_owner(setup)
            .await
            .map_err(PaymentError::Processor)?
            .is_some_and(|owner| owner == customer.to_string()))
    }

    /// Saves what a finished setup attached, in the caller's transaction.
    pub(super) async fn save_setup_in(
        &self,
        txn: &PlainWrite,
        user: Option<&AuthenticatedActor>,
        request_id: Option<&str>,
        customer: CustomerId,
        outcome: SetupOutcome,
    ) -> ServiceResult<payment_method::Model> {
        self.insert_method_in(
            txn,
            user,
            request_id,
            MethodToSave {
                customer,
                kind: match outcome.kind {
                    SetupKind::Card => MethodKind::Card,
                    SetupKind::SepaDebit => MethodKind::SepaDebit,
                },
                processor_customer: outcome.customer,
                attached: outcome.method,
                holder_name: outcome.holder_name,
                make_default: false,
            },
        )
        .await
    }
}
