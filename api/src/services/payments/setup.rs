//! Saving a method with the processor's own form (Stripe's SetupIntent and Payment Element):
//! [`PaymentsService::begin_setup`] gives the portal a client secret, the customer's browser
//! sends the card or account straight to the processor, and the method it saved is recorded
//! by [`PaymentsService::record_setup`] (the portal's return page) or by the
//! `setup_intent.succeeded` webhook, whichever comes first: it is saved once. Our server only
//! ever sees the processor's method reference, brand, last four and expiry.

use entity::payment_method::{self, MethodKind};
use ids::CustomerId;

use super::methods::MethodToSave;
use super::processor::{SetupKind, SetupOutcome, SetupSession};
use super::{PaymentError, PaymentsService, check_scope};
use crate::auth::{Actor, AuthenticatedActor};
use crate::db::PlainWrite;
use crate::error::ServiceResult;

impl PaymentsService {
    /// Starts saving a method for `customer` with the processor's form (owners, billing
    /// admins, staff): the session whose client secret the portal's form needs.
    /// `PROCESSOR_REFUSED` with the sandbox, which takes details in our own form.
    pub async fn begin_setup(
        &self,
        actor: &Actor,
        customer: CustomerId,
    ) -> ServiceResult<SetupSession> {
        check_scope(actor, customer)?;
        actor.authenticated()?.require_billing_write()?;
        let processor_customer = self.processor_customer(customer).await?;
        Ok(self
            .processor
            .begin_setup(&processor_customer, customer)
            .await
            .map_err(PaymentError::Processor)?)
    }

    /// Records the method a setup of `customer` saved (the portal's return page), once.
    /// `NOT_FOUND` for a setup of another organisation; `SETUP_NOT_FINISHED` while the
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
        user.require_billing_write()?;
        let outcome = self
            .processor
            .finish_setup(setup)
            .await
            .map_err(|error| match error {
                // A setup the processor does not know is not found, like another tenant's.
                super::processor::ProcessorError::Refused { .. } => PaymentError::SetupNotFound,
                other => PaymentError::Processor(other),
            })?
            .ok_or(PaymentError::SetupNotFinished)?;
        if outcome.our_customer.as_deref() != Some(customer.to_string().as_str()) {
            return Err(PaymentError::SetupNotFound.into());
        }
        let txn = self.db.begin_plain_write().await?;
        let saved = self
            .save_setup_in(&txn, Some(user), request_id, customer, outcome)
            .await?;
        txn.commit().await?;
        Ok(saved)
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
