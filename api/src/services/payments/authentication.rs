//! Authenticating a payment (3-D Secure) with the processor's own script in the customer's
//! browser (Stripe.js `handleNextAction`): the PaymentIntent's client secret, handed only to
//! those of the paying organisation who may answer, only while the attempt waits for it. The
//! outcome is then read from the processor by [`PaymentsService::confirm_authentication`].

use entity::payment_attempt::AttemptStatus;
use ids::PaymentAttemptId;

use super::processor::Sensitive;
use super::{PaymentError, PaymentsService};
use crate::auth::Actor;
use crate::error::ServiceResult;

/// What the customer's browser needs to authenticate a payment with the processor's script.
#[derive(Clone, Debug)]
pub struct BrowserAuthentication {
    /// The PaymentIntent's client secret.
    pub client_secret: Sensitive,
    /// The processor's publishable key (public by design).
    pub publishable_key: String,
}

impl PaymentsService {
    /// The client secret of an attempt waiting for authentication, for the processor's script
    /// (Stripe). `NOT_FOUND` for another tenant's attempt; `None` for viewers (who may not
    /// answer), for an attempt that no longer waits, and with the sandbox (its own page).
    pub async fn browser_authentication(
        &self,
        actor: &Actor,
        id: PaymentAttemptId,
    ) -> ServiceResult<Option<BrowserAuthentication>> {
        let attempt = self.attempt(actor, id).await?;
        if actor.authenticated()?.require_billing_write().is_err()
            || attempt.status != AttemptStatus::RequiresAction
            || !self.processor.collects_details()
        {
            return Ok(None);
        }
        let (Some(publishable_key), Some(payment)) = (
            self.settings.publishable_key.clone(),
            attempt.processor_payment.as_deref(),
        ) else {
            return Ok(None);
        };
        let secret = self
            .processor
            .authentication_secret(payment)
            .await
            .map_err(PaymentError::Processor)?;
        Ok(secret.map(|client_secret| BrowserAuthentication {
            client_secret,
            publishable_key,
        }))
    }
}
