//! What Stripe's objects and errors mean to us: a PaymentIntent's status as a
//! [`ChargeStatus`], a refusal as a message a person understands, an API error as a
//! [`ProcessorError`] (refused for good, or unknown and to be sent again with its key).

use stripe::StripeError;
use stripe_shared::{ApiErrors, ApiErrorsType, PaymentIntent, PaymentIntentStatus};

use super::super::processor::{ChargeOutcome, ChargeStatus, Charged, ProcessorError};
use super::super::sandbox::{
    AUTHENTICATION_REQUIRED, CANCELED, DEBIT_FAILED, DECLINED, INSUFFICIENT,
};

/// The stable code and the message of a refusal: Stripe's `decline_code` when it has one
/// (`insufficient_funds`), else its `code` (`card_declined`, `authentication_required`,
/// `expired_card`…). A bank's refusal of a direct debit reads as such.
pub fn refusal(error: &ApiErrors) -> (String, String) {
    let code = error
        .decline_code
        .clone()
        .or_else(|| error.code.as_ref().map(|c| c.as_str().to_owned()))
        .unwrap_or_else(|| "card_declined".to_owned());
    let debit = error.payment_method_type.as_deref() == Some("sepa_debit")
        || error
            .payment_method
            .as_ref()
            .is_some_and(|m| m.type_.as_str() == "sepa_debit");
    let message = match code.as_str() {
        "insufficient_funds" if !debit => INSUFFICIENT,
        "authentication_required" => AUTHENTICATION_REQUIRED,
        "expired_card" => "Your card has expired.",
        "incorrect_cvc" => "Your card's security code is incorrect.",
        "processing_error" => {
            "An error occurred while processing your card. Try again in a little bit."
        }
        _ if debit => DEBIT_FAILED,
        // Stripe advises not to tell a customer their card was reported lost or stolen.
        _ => DECLINED,
    };
    (code, message.to_owned())
}

/// Where a PaymentIntent is, as a [`ChargeOutcome`].
pub fn outcome(intent: &PaymentIntent) -> ChargeOutcome {
    let status = match &intent.status {
        PaymentIntentStatus::Succeeded => ChargeStatus::Succeeded,
        PaymentIntentStatus::Processing => ChargeStatus::Processing,
        PaymentIntentStatus::RequiresAction => ChargeStatus::RequiresAction,
        PaymentIntentStatus::RequiresPaymentMethod => {
            let (code, message) = match intent.last_payment_error.as_deref() {
                Some(error) => refusal(error),
                None => ("card_declined".to_owned(), DECLINED.to_owned()),
            };
            ChargeStatus::Failed { code, message }
        }
        PaymentIntentStatus::Canceled => ChargeStatus::Failed {
            code: "canceled".into(),
            message: CANCELED.into(),
        },
        // Not finished (confirmation or capture pending, or a status this version does not
        // know): not final, so the collection job asks again later.
        _ => ChargeStatus::Processing,
    };
    ChargeOutcome {
        payment: intent.id.as_str().to_owned(),
        status,
        charged: Some(Charged {
            amount_minor: intent.amount,
            currency: intent.currency.to_string().to_ascii_uppercase(),
            customer: intent.customer.as_ref().map(|c| c.id().as_str().to_owned()),
        }),
    }
}

/// A charge Stripe answered with an error: a card refusal carries its PaymentIntent (the
/// refusal is an outcome); anything else is an error.
pub fn charge_error(error: StripeError) -> Result<ChargeOutcome, ProcessorError> {
    if let StripeError::Stripe(api, _) = &error
        && let Some(intent) = &api.payment_intent
    {
        let mut outcome = outcome(intent);
        if matches!(outcome.status, ChargeStatus::Failed { .. }) {
            let (code, message) = refusal(api);
            outcome.status = ChargeStatus::Failed { code, message };
        }
        return Ok(outcome);
    }
    Err(processor_error(error))
}

/// What the customer reads when Stripe refuses a request for a reason of ours rather than
/// their card's.
pub const REQUEST_REFUSED: &str =
    "The payment could not be processed. Try again later, or contact us if it keeps failing.";

/// An error as a [`ProcessorError`]: Stripe's refusal of the request (4xx but 401, 403, 409
/// and 429) is final; our own credentials refused (401, 403: a revoked or rotated key),
/// a conflict with a request in flight under the same key (409), rate limiting, Stripe's own
/// failures, an `idempotency_error` (a key Stripe still remembers, sent with other parameters:
/// whatever the first request did is unknown here, never a refusal of this one), and
/// anything that leaves us not knowing (network, timeout, an answer we cannot
/// read) is `Unavailable`: the same request with the same key is sent again later, and the
/// customer is never declined for our configuration.
///
/// Stripe's own text for a refused request is written for developers (it can name our key's
/// last digits): it goes to the log, and the customer reads [`REQUEST_REFUSED`].
pub fn processor_error(error: StripeError) -> ProcessorError {
    match error {
        StripeError::Stripe(_, status) if status == 401 || status == 403 => {
            ProcessorError::Unavailable(format!(
                "stripe refused our credentials ({status}): check payments.stripe.secret_key"
            ))
        }
        StripeError::Stripe(api, status) if api.type_ == ApiErrorsType::IdempotencyError => {
            tracing::warn!(
                status,
                message = api.message.as_deref().unwrap_or(""),
                "stripe refused an idempotency key sent with other parameters"
            );
            ProcessorError::Unavailable(format!(
                "stripe: idempotency key reused with other parameters ({status})"
            ))
        }
        StripeError::Stripe(api, status)
            if (400..500).contains(&status) && status != 409 && status != 429 =>
        {
            tracing::warn!(
                status,
                message = api.message.as_deref().unwrap_or(""),
                "stripe refused a request"
            );
            ProcessorError::Refused {
                message: REQUEST_REFUSED.into(),
            }
        }
        StripeError::Stripe(api, status) => ProcessorError::Unavailable(format!(
            "stripe answered {status}: {}",
            api.message.as_deref().unwrap_or("no message")
        )),
        other => ProcessorError::Unavailable(format!("stripe: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(json: &str) -> ApiErrors {
        miniserde::json::from_str(json).expect("an error Stripe sends")
    }

    #[test]
    fn refusals_read_as_stripe_words_them() {
        let declined = api_error(
            r#"{"type":"card_error","code":"card_declined","decline_code":"generic_decline",
                "message":"Your card was declined."}"#,
        );
        assert_eq!(
            refusal(&declined),
            ("generic_decline".into(), "Your card was declined.".into())
        );
        let no_funds = api_error(
            r#"{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds"}"#,
        );
        assert_eq!(
            refusal(&no_funds),
            (
                "insufficient_funds".into(),
                "Your card has insufficient funds.".into()
            )
        );
        let stolen = api_error(
            r#"{"type":"card_error","code":"card_declined","decline_code":"stolen_card"}"#,
        );
        assert_eq!(refusal(&stolen).1, "Your card was declined.");
        let debit = api_error(
            r#"{"type":"card_error","code":"insufficient_funds","payment_method_type":"sepa_debit"}"#,
        );
        assert_eq!(refusal(&debit).1, DEBIT_FAILED);
        let unexplained = api_error(r#"{"type":"card_error"}"#);
        assert_eq!(
            refusal(&unexplained),
            ("card_declined".into(), DECLINED.into())
        );
    }

    #[test]
    fn only_a_final_refusal_is_refused_and_the_rest_is_sent_again() {
        let error = |status: u16| {
            StripeError::Stripe(
                Box::new(api_error(
                    r#"{"type":"invalid_request_error","message":"No such payment_intent"}"#,
                )),
                status,
            )
        };
        // A final refusal never shows Stripe's developer text to the customer.
        match processor_error(error(404)) {
            ProcessorError::Refused { message } => assert_eq!(message, REQUEST_REFUSED),
            other => panic!("404 is final: {other:?}"),
        }
        // Our key refused is our problem, not the customer's decline.
        for status in [401, 403, 409, 429, 500, 503] {
            assert!(matches!(
                processor_error(error(status)),
                ProcessorError::Unavailable(_)
            ));
        }
        assert!(matches!(
            processor_error(StripeError::Timeout),
            ProcessorError::Unavailable(_)
        ));
    }

    #[test]
    fn a_reused_idempotency_key_is_unknown_never_a_refusal() {
        let reused = StripeError::Stripe(
            Box::new(api_error(
                r#"{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters they were first used with."}"#,
            )),
            400,
        );
        assert!(matches!(
            processor_error(reused),
            ProcessorError::Unavailable(_)
        ));
    }
}
