//! The Stripe processor (`payments.processor = "stripe"`), through async-stripe 1.0 on
//! hyper 1 with rustls and ring.
//!
//! - Customers are Stripe Customers carrying our customer's id in their metadata.
//! - Methods are saved with a SetupIntent (`usage=off_session`) that the portal finishes with
//!   Stripe's Payment Element: the card or IBAN goes from the browser to Stripe, never through
//!   our server, which only ever sees the PaymentMethod id, brand, last four and expiry.
//!   Typing card details into our own form is refused ([`PaymentProcessor::attach_card`]).
//! - Charges are PaymentIntents confirmed at once (`confirm=true`, `off_session=true` for
//!   automatic collection) with the attempt's key sent as Stripe's `Idempotency-Key`: a retry
//!   after a lost answer gets the same PaymentIntent, not a second charge. The key is also
//!   kept in the PaymentIntent's metadata (`billfold_key`), which is how
//!   [`PaymentProcessor::find_by_key`] finds it: through Stripe's Search API. Search lags
//!   writes by up to a minute, and `find_by_key` is only asked about an attempt whose lease
//!   ran out (two minutes by default) after its charge was sent, so a charge made under the
//!   key is searchable by then. (Listing the customer's PaymentIntents would be consistent at
//!   once, but the trait finds a payment by its key alone, and keeping the PaymentIntent id is
//!   impossible exactly when it is needed: when the answer carrying it was lost.)
//! - Refunds carry the refund's own key the same way, and are looked up before they are sent:
//!   Stripe forgets an `Idempotency-Key` after 24 hours, so a refund resumed later would
//!   otherwise be made twice. The PaymentIntent's refunds are listed (consistent at once) and
//!   matched on the key in their metadata; only when none carries it is the refund created.
//!   The same list shows the refunds made in Stripe's dashboard (`charge.refunded`).
//! - Mandates (`mandate.updated`) are read again from Stripe before anything is applied.
//! - Processing SEPA debits settle by webhook (`/webhooks/stripe`) or when the collection job
//!   retrieves them; [`PaymentProcessor::tick`] has nothing to do.

pub mod map;
pub mod signature;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_client_core::{RequestBuilder, StripeMethod};
use stripe_core::customer::CreateCustomer;
use stripe_core::payment_intent::{
    CancelPaymentIntent, CancelPaymentIntentCancellationReason, CreatePaymentIntent,
    CreatePaymentIntentAutomaticPaymentMethods,
    CreatePaymentIntentAutomaticPaymentMethodsAllowRedirects, CreatePaymentIntentOffSession,
    RetrievePaymentIntent, SearchPaymentIntent,
};
use stripe_core::refund::{CreateRefund, ListRefund};
use stripe_core::setup_intent::{CreateSetupIntent, CreateSetupIntentUsage, RetrieveSetupIntent};
use stripe_payment::payment_method::{DetachPaymentMethod, RetrievePaymentMethod};
use stripe_shared::{
    MandateStatus, PaymentIntentStatus, PaymentMethod, SetupIntentAllowedPaymentMethodTypes,
    SetupIntentStatus,
};

use super::processor::{
    AttachedMethod, CardDetails, ChargeOutcome, ChargeRequest, ListedRefund, ListedRefundState,
    MandateState, PaymentProcessor, ProcessorError, RefundOutcome, Sensitive, SepaDetails,
    SetupKind, SetupOutcome, SetupSession,
};
use crate::config::StripeSettings;

/// The metadata key carrying an attempt's (or refund's) idempotency key.
pub const KEY_METADATA: &str = "billfold_key";
/// The metadata key carrying our customer's id on Stripe's Customers and SetupIntents.
pub const CUSTOMER_METADATA: &str = "billfold_customer";

/// The code of a finished setup that saved a kind of method Billfold does not take (neither a
/// card nor a SEPA Direct Debit account).
pub const UNSUPPORTED_METHOD: &str = "UNSUPPORTED_METHOD";

/// The Stripe processor.
#[derive(Clone)]
pub struct StripeProcessor {
    client: Client,
}

impl std::fmt::Debug for StripeProcessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StripeProcessor")
    }
}

impl StripeProcessor {
    /// A processor with the keys of `settings` (the configuration has checked they are
    /// there), talking to `settings.api_base` when set.
    pub fn new(settings: &StripeSettings) -> Result<Self, crate::BoxError> {
        let secret = settings
            .secret_key
            .as_ref()
            .ok_or("payments.stripe.secret_key is required")?;
        let mut builder = ClientBuilder::new(secret.expose())
            .app_info("billfold", Some(env!("CARGO_PKG_VERSION").to_owned()), None)
            // One request per call: our attempts are the retries, each with its key.
            .request_strategy(RequestStrategy::Once);
        if let Some(base) = &settings.api_base {
            let base = if base.ends_with('/') {
                base.clone()
            } else {
                format!("{base}/")
            };
            builder = builder.url(base);
        }
        Ok(Self {
            client: builder.build()?,
        })
    }
}

fn idempotent(key: &str) -> Result<RequestStrategy, ProcessorError> {
    IdempotencyKey::new(key)
        .map(RequestStrategy::Idempotent)
        .map_err(|e| ProcessorError::Refused {
            message: format!("unusable idempotency key: {e:?}"),
        })
}

fn metadata(key: &str, value: &str) -> HashMap<String, String> {
    HashMap::from([(key.to_owned(), value.to_owned())])
}

/// Stripe's `GET /v1/mandates/{id}` (async-stripe has it behind a feature that would rebuild
/// `async-stripe-core`; the request is one line).
struct RetrieveMandate(String);

impl StripeRequest for RetrieveMandate {
    type Output = stripe_shared::Mandate;

    fn build(&self) -> RequestBuilder {
        RequestBuilder::new(StripeMethod::Get, format!("/mandates/{}", self.0))
    }
}

/// Refunds listed per page (Stripe's maximum).
const REFUNDS_PAGE: i64 = 100;

/// A Stripe refund as we list it.
fn listed(refund: &stripe_shared::Refund) -> ListedRefund {
    let state = match refund.status.as_deref() {
        Some("succeeded") => ListedRefundState::Succeeded,
        Some("failed" | "canceled") => ListedRefundState::Failed,
        // `pending`, `requires_action`: Stripe holds it and may still give it back.
        _ => ListedRefundState::Pending,
    };
    ListedRefund {
        refund: refund.id.as_str().to_owned(),
        amount_minor: refund.amount,
        currency: refund.currency.to_string().to_ascii_uppercase(),
        key: refund
            .metadata
            .as_ref()
            .and_then(|m| m.get(KEY_METADATA).cloned()),
        state,
    }
}

/// What we keep of a Stripe PaymentMethod, and its kind; `None` for a kind we do not take.
fn attached(method: &PaymentMethod) -> Option<(SetupKind, AttachedMethod, Option<String>)> {
    if let Some(card) = &method.card {
        return Some((
            SetupKind::Card,
            AttachedMethod {
                reference: method.id.as_str().to_owned(),
                brand: Some(card.brand.clone()),
                last4: card.last4.clone(),
                exp_month: i32::try_from(card.exp_month).ok(),
                exp_year: i32::try_from(card.exp_year).ok(),
            },
            None,
        ));
    }
    let debit = method.sepa_debit.as_ref()?;
    Some((
        SetupKind::SepaDebit,
        AttachedMethod {
            reference: method.id.as_str().to_owned(),
            brand: None,
            last4: debit.last4.clone().unwrap_or_default(),
            exp_month: None,
            exp_year: None,
        },
        method.billing_details.name.clone(),
    ))
}

#[async_trait::async_trait]
impl PaymentProcessor for StripeProcessor {
    fn name(&self) -> &'static str {
        "stripe"
    }

    async fn create_customer(
        &self,
        customer: ids::CustomerId,
        email: &str,
    ) -> Result<String, ProcessorError> {
        let created = CreateCustomer::new()
            .email(email)
            .metadata(metadata(CUSTOMER_METADATA, &customer.to_string()))
            .customize()
            .request_strategy(idempotent(&format!("{customer}:customer"))?)
            .send(&self.client)
            .await
            .map_err(map::processor_error)?;
        Ok(created.id.as_str().to_owned())
    }

    async fn attach_card(
        &self,
        _customer: &str,
        _card: &CardDetails,
        _now: DateTime<Utc>,
    ) -> Result<AttachedMethod, ProcessorError> {
        Err(ProcessorError::Rejected {
            field: "number",
            code: "USE_PAYMENT_ELEMENT",
            message: "cards are added with Stripe's form on the payment methods page: card \
                      details never reach Billfold"
                .into(),
        })
    }

    async fn attach_sepa_debit(
        &self,
        _customer: &str,
        _account: &SepaDetails,
    ) -> Result<AttachedMethod, ProcessorError> {
        Err(ProcessorError::Rejected {
            field: "iban",
            code: "USE_PAYMENT_ELEMENT",
            message: "bank accounts are added with Stripe's form on the payment methods page"
                .into(),
        })
    }

    async fn detach(&self, method: &str) -> Result<(), ProcessorError> {
        DetachPaymentMethod::new(method)
            .send(&self.client)
            .await
            .map_err(map::processor_error)?;
        Ok(())
    }

    async fn charge(&self, request: &ChargeRequest<'_>) -> Result<ChargeOutcome, ProcessorError> {
        let currency = request
            .currency
            .to_ascii_lowercase()
            .parse::<stripe_types::Currency>()
            .unwrap_or_else(|never| match never {});
        // No redirect-based method: an off-session charge has nobody to redirect.
        let mut automatic = CreatePaymentIntentAutomaticPaymentMethods::new(true);
        automatic.allow_redirects =
            Some(CreatePaymentIntentAutomaticPaymentMethodsAllowRedirects::Never);
        let mut create = CreatePaymentIntent::new(request.amount_minor, currency)
            .customer(request.customer)
            .payment_method(request.method)
            .confirm(true)
            .automatic_payment_methods(automatic)
            .metadata(metadata(KEY_METADATA, request.idempotency_key));
        if request.off_session {
            create = create.off_session(CreatePaymentIntentOffSession::Bool(true));
        }
        match create
            .customize()
            .request_strategy(idempotent(request.idempotency_key)?)
            .send(&self.client)
            .await
        {
            Ok(intent) => Ok(map::outcome(&intent)),
            Err(error) => map::charge_error(error),
        }
    }

    async fn find_by_key(
        &self,
        idempotency_key: &str,
    ) -> Result<Option<ChargeOutcome>, ProcessorError> {
        // Keys are ours (`inv_…:attempt:n`): no quote to escape, but refuse one anyway.
        if idempotency_key.contains('\'') {
            return Err(ProcessorError::Refused {
                message: "an idempotency key with a quote cannot be searched".into(),
            });
        }
        let found =
            SearchPaymentIntent::new(format!("metadata['{KEY_METADATA}']:'{idempotency_key}'"))
                .limit(1)
                .send(&self.client)
                .await
                .map_err(map::processor_error)?;
        Ok(found.data.first().map(map::outcome))
    }

    async fn retrieve(&self, payment: &str) -> Result<ChargeOutcome, ProcessorError> {
        let intent = RetrievePaymentIntent::new(payment)
            .send(&self.client)
            .await
            .map_err(map::processor_error)?;
        Ok(map::outcome(&intent))
    }

    async fn authenticate(
        &self,
        payment: &str,
        passed: bool,
    ) -> Result<ChargeOutcome, ProcessorError> {
        // The customer authenticated with Stripe.js in the browser: where it is now is the
        // answer. Giving up cancels it so it cannot go on later.
        if passed {
            self.retrieve(payment).await
        } else {
            self.cancel(payment).await
        }
    }

    async fn cancel(&self, payment: &str) -> Result<ChargeOutcome, ProcessorError> {
        match CancelPaymentIntent::new(payment)
            .cancellation_reason(CancelPaymentIntentCancellationReason::Abandoned)
            .send(&self.client)
            .await
        {
            Ok(intent) => Ok(map::outcome(&intent)),
            // Stripe refuses to cancel a finished payment: it answers as it is.
            Err(stripe::StripeError::Stripe(_, 400)) => self.retrieve(payment).await,
            Err(error) => Err(map::processor_error(error)),
        }
    }

    async fn refund(
        &self,
        payment: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> Result<RefundOutcome, ProcessorError> {
        let refund = CreateRefund::new()
            .payment_intent(payment)
            .amount(amount_minor)
            .metadata(metadata(KEY_METADATA, idempotency_key))
            .customize()
            .request_strategy(idempotent(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(map::processor_error)?;
        Ok(RefundOutcome {
            refund: refund.id.as_str().to_owned(),
        })
    }

    async fn refunds(&self, payment: &str) -> Result<Vec<ListedRefund>, ProcessorError> {
        let mut found = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut list = ListRefund::new()
                .payment_intent(payment)
                .limit(REFUNDS_PAGE);
            if let Some(after) = &after {
                list = list.starting_after(after.as_str());
            }
            let page = list
                .send(&self.client)
                .await
                .map_err(map::processor_error)?;
            found.extend(page.data.iter().map(listed));
            match page.data.last() {
                Some(last) if page.has_more => after = Some(last.id.as_str().to_owned()),
                _ => return Ok(found),
            }
        }
    }

    async fn mandate(&self, mandate: &str) -> Result<MandateState, ProcessorError> {
        let mandate = RetrieveMandate(mandate.to_owned())
            .customize()
            .send(&self.client)
            .await
            .map_err(map::processor_error)?;
        Ok(MandateState {
            method: mandate.payment_method.id().as_str().to_owned(),
            // Pending is not revoked: a mandate being confirmed still backs its method.
            active: mandate.status != MandateStatus::Inactive,
        })
    }

    async fn tick(&self, _now: DateTime<Utc>) -> Result<u64, ProcessorError> {
        Ok(0)
    }

    fn collects_details(&self) -> bool {
        true
    }

    async fn begin_setup(
        &self,
        customer: &str,
        our_customer: ids::CustomerId,
        kind: SetupKind,
    ) -> Result<SetupSession, ProcessorError> {
        let allowed = match kind {
            SetupKind::Card => SetupIntentAllowedPaymentMethodTypes::Card,
            SetupKind::SepaDebit => SetupIntentAllowedPaymentMethodTypes::SepaDebit,
        };
        let setup = CreateSetupIntent::new()
            .customer(customer)
            .allowed_payment_method_types(vec![allowed])
            .usage(CreateSetupIntentUsage::OffSession)
            .metadata(metadata(CUSTOMER_METADATA, &our_customer.to_string()))
            .send(&self.client)
            .await
            .map_err(map::processor_error)?;
        let secret = setup.client_secret.ok_or_else(|| {
            ProcessorError::Unavailable("stripe: a SetupIntent without its client secret".into())
        })?;
        Ok(SetupSession {
            reference: setup.id.as_str().to_owned(),
            client_secret: Sensitive::new(secret),
        })
    }

    async fn setup_owner(&self, setup: &str) -> Result<Option<String>, ProcessorError> {
        match RetrieveSetupIntent::new(setup).send(&self.client).await {
            Ok(intent) => Ok(intent
                .metadata
                .as_ref()
                .and_then(|m| m.get(CUSTOMER_METADATA).cloned())),
            Err(error) => match map::processor_error(error) {
                ProcessorError::Unavailable(detail) => Err(ProcessorError::Unavailable(detail)),
                _ => Ok(None),
            },
        }
    }

    async fn authentication_secret(
        &self,
        payment: &str,
    ) -> Result<Option<Sensitive>, ProcessorError> {
        let intent = RetrievePaymentIntent::new(payment)
            .send(&self.client)
            .await
            .map_err(map::processor_error)?;
        if intent.status != PaymentIntentStatus::RequiresAction {
            return Ok(None);
        }
        Ok(intent.client_secret.map(Sensitive::new))
    }

    async fn finish_setup(&self, setup: &str) -> Result<Option<SetupOutcome>, ProcessorError> {
        let intent = RetrieveSetupIntent::new(setup)
            .expand(vec!["payment_method".to_owned()])
            .send(&self.client)
            .await
            .map_err(map::processor_error)?;
        if intent.status != SetupIntentStatus::Succeeded {
            return Ok(None);
        }
        let customer = intent
            .customer
            .as_ref()
            .map(|c| c.id().as_str().to_owned())
            .ok_or_else(|| ProcessorError::Refused {
                message: "this setup has no customer".into(),
            })?;
        let method = match intent.payment_method {
            Some(stripe_types::Expandable::Object(method)) => *method,
            Some(stripe_types::Expandable::Id(id)) => RetrievePaymentMethod::new(id)
                .send(&self.client)
                .await
                .map_err(map::processor_error)?,
            None => return Ok(None),
        };
        let (kind, method, holder_name) =
            attached(&method).ok_or_else(|| ProcessorError::Rejected {
                field: "paymentMethod",
                code: UNSUPPORTED_METHOD,
                message: "only cards and SEPA Direct Debit accounts are taken".into(),
            })?;
        Ok(Some(SetupOutcome {
            customer,
            our_customer: intent
                .metadata
                .as_ref()
                .and_then(|m| m.get(CUSTOMER_METADATA).cloned()),
            kind,
            method,
            holder_name,
        }))
    }
}
