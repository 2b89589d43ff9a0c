//! The sandbox processor (the default): behaves like Stripe's test mode, kept in our database
//! in tables of its own (`sandbox_*`), so `cargo run` takes payments with nothing else.
//!
//! | typed | behaves |
//! |---|---|
//! | `4242 4242 4242 4242` | succeeds |
//! | `4000 0000 0000 0002` | declined: "Your card was declined." |
//! | `4000 0000 0000 9995` | declined: "Your card has insufficient funds." |
//! | `4000 0027 6000 3184` | asks for authentication (off session: fails, asking for it) |
//! | IBAN `DE89370400440532013000` | processing, then succeeded at the next tick |
//! | IBAN `DE62370400440532013001` | processing, then failed at the next tick |
//!
//! Any other number is refused (`INVALID_CARD` on `number`, `INVALID_IBAN` on `iban`). The
//! number, CVC and IBAN are used to decide the behaviour and then dropped: only the brand, last
//! four characters and expiry are kept. Charges are deduplicated by idempotency key like
//! Stripe's: the same key answers the same payment (and counts how often it was sent).

use chrono::{DateTime, Utc};
use entity::{sandbox_payment, sandbox_payment_method, sandbox_refund};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::processor::{
    AttachedMethod, CardDetails, ChargeOutcome, ChargeRequest, ChargeStatus, Charged, ListedRefund,
    ListedRefundState, PaymentProcessor, ProcessorError, RefundOutcome, SepaDetails,
};
use super::validate;
use crate::clock::Clock;
use crate::db::Db;

/// What a sandbox method does when charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Behaviour {
    Succeed,
    Decline,
    InsufficientFunds,
    Authenticate,
    SepaSucceed,
    SepaFail,
}

impl Behaviour {
    fn as_str(self) -> &'static str {
        match self {
            Behaviour::Succeed => "succeed",
            Behaviour::Decline => "decline",
            Behaviour::InsufficientFunds => "insufficient_funds",
            Behaviour::Authenticate => "authenticate",
            Behaviour::SepaSucceed => "sepa_succeed",
            Behaviour::SepaFail => "sepa_fail",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "succeed" => Behaviour::Succeed,
            "decline" => Behaviour::Decline,
            "insufficient_funds" => Behaviour::InsufficientFunds,
            "authenticate" => Behaviour::Authenticate,
            "sepa_succeed" => Behaviour::SepaSucceed,
            "sepa_fail" => Behaviour::SepaFail,
            _ => return None,
        })
    }
}

/// Stripe's test cards the sandbox knows, by number.
const TEST_CARDS: [(&str, Behaviour); 4] = [
    ("4242424242424242", Behaviour::Succeed),
    ("4000000000000002", Behaviour::Decline),
    ("4000000000009995", Behaviour::InsufficientFunds),
    ("4000002760003184", Behaviour::Authenticate),
];

/// Stripe's test IBANs the sandbox knows.
const TEST_IBANS: [(&str, Behaviour); 2] = [
    ("DE89370400440532013000", Behaviour::SepaSucceed),
    ("DE62370400440532013001", Behaviour::SepaFail),
];

// What the customer reads (Stripe's own wording where it has one); the Stripe processor
// says the same.
pub(super) const DECLINED: &str = "Your card was declined.";
pub(super) const INSUFFICIENT: &str = "Your card has insufficient funds.";
pub(super) const AUTHENTICATION_REQUIRED: &str =
    "Your bank asks you to confirm this payment: pay the invoice from the portal to confirm it.";
pub(super) const AUTHENTICATION_FAILED: &str =
    "We could not authenticate your payment. Try again or use another payment method.";
pub(super) const CANCELED: &str = "The payment was not confirmed in time and was cancelled. Pay again or use \
     another payment method.";
pub(super) const DEBIT_FAILED: &str =
    "Your bank refused the direct debit. Check the account or use another payment method.";

/// The sandbox processor.
#[derive(Clone)]
pub struct SandboxProcessor {
    db: Db,
    clock: Clock,
}

impl SandboxProcessor {
    /// A sandbox keeping its objects in `db`, timed by `clock`.
    pub fn new(db: Db, clock: Clock) -> Self {
        Self { db, clock }
    }

    fn unavailable(error: sea_orm::DbErr) -> ProcessorError {
        ProcessorError::Unavailable(format!("sandbox: {error}"))
    }

    async fn method(&self, id: &str) -> Result<sandbox_payment_method::Model, ProcessorError> {
        sandbox_payment_method::Entity::find_by_id(id.to_owned())
            .one(self.db.reads())
            .await
            .map_err(Self::unavailable)?
            .ok_or_else(|| ProcessorError::Refused {
                message: format!("no such payment method: {id}"),
            })
    }

    async fn payment(&self, id: &str) -> Result<sandbox_payment::Model, ProcessorError> {
        sandbox_payment::Entity::find_by_id(id.to_owned())
            .one(self.db.writes())
            .await
            .map_err(Self::unavailable)?
            .ok_or_else(|| ProcessorError::Refused {
                message: format!("no such payment: {id}"),
            })
    }

    async fn store_method(
        &self,
        customer: &str,
        kind: &str,
        behaviour: Behaviour,
        method: AttachedMethod,
    ) -> Result<AttachedMethod, ProcessorError> {
        let row = sandbox_payment_method::Model {
            id: method.reference.clone(),
            customer: customer.to_owned(),
            kind: kind.to_owned(),
            behaviour: behaviour.as_str().to_owned(),
            brand: method.brand.clone(),
            last4: method.last4.clone(),
            exp_month: method.exp_month,
            exp_year: method.exp_year,
            detached: false,
            created_at: self.clock.now(),
        };
        sandbox_payment_method::Entity::insert(row.into_active_model())
            .exec_without_returning(self.db.writes())
            .await
            .map_err(Self::unavailable)?;
        Ok(method)
    }
}

fn outcome(row: &sandbox_payment::Model) -> ChargeOutcome {
    let status = match row.status.as_str() {
        "succeeded" => ChargeStatus::Succeeded,
        "processing" => ChargeStatus::Processing,
        "requires_action" => ChargeStatus::RequiresAction,
        _ => ChargeStatus::Failed {
            code: row.failure_code.clone().unwrap_or_default(),
            message: row.failure_message.clone().unwrap_or_default(),
        },
    };
    ChargeOutcome {
        payment: row.id.clone(),
        status,
        charged: Some(Charged {
            amount_minor: row.amount_minor,
            currency: row.currency.clone(),
            customer: None,
        }),
    }
}

#[async_trait::async_trait]
impl PaymentProcessor for SandboxProcessor {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn create_customer(
        &self,
        _customer: ids::CustomerId,
        _email: &str,
    ) -> Result<String, ProcessorError> {
        Ok(format!("sbx_cus_{}", Uuid::now_v7().simple()))
    }

    async fn attach_card(
        &self,
        customer: &str,
        card: &CardDetails,
        now: DateTime<Utc>,
    ) -> Result<AttachedMethod, ProcessorError> {
        let invalid = |message: &str| ProcessorError::Rejected {
            field: "number",
            code: "INVALID_CARD",
            message: message.to_owned(),
        };
        let digits = validate::card_digits(card.number.expose())
            .ok_or_else(|| invalid("enter the card number: 12 to 19 digits"))?;
        if !validate::luhn_valid(&digits) {
            return Err(invalid(
                "this card number is not valid: check the digits you typed",
            ));
        }
        let behaviour = TEST_CARDS
            .iter()
            .find(|(n, _)| *n == digits)
            .map(|(_, b)| *b)
            .ok_or_else(|| {
                invalid(
                    "the sandbox accepts Stripe's test cards only: 4242 4242 4242 4242, \
                     4000 0000 0000 0002, 4000 0000 0000 9995 or 4000 0027 6000 3184",
                )
            })?;
        if !validate::expiry_in_future(card.exp_month, card.exp_year, now) {
            return Err(ProcessorError::Rejected {
                field: "expYear",
                code: "CARD_EXPIRED",
                message: "this card has expired: check the month and year".into(),
            });
        }
        let cvc = card.cvc.expose();
        if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ProcessorError::Rejected {
                field: "cvc",
                code: "INVALID_CVC",
                message: "enter the 3 or 4 digit security code".into(),
            });
        }
        let method = AttachedMethod {
            reference: format!("sbx_pm_{}", Uuid::now_v7().simple()),
            brand: Some("visa".into()),
            last4: digits[digits.len() - 4..].to_owned(),
            exp_month: Some(card.exp_month as i32),
            exp_year: Some(card.exp_year),
        };
        self.store_method(customer, "card", behaviour, method).await
    }

    async fn attach_sepa_debit(
        &self,
        customer: &str,
        account: &SepaDetails,
    ) -> Result<AttachedMethod, ProcessorError> {
        let iban = validate::iban(account.iban.expose()).ok_or(ProcessorError::Rejected {
            field: "iban",
            code: "INVALID_IBAN",
            message: "this IBAN is not valid: check its country code, check digits and length"
                .into(),
        })?;
        let behaviour = TEST_IBANS
            .iter()
            .find(|(n, _)| *n == iban)
            .map(|(_, b)| *b)
            .ok_or(ProcessorError::Rejected {
                field: "iban",
                code: "INVALID_IBAN",
                message: "the sandbox accepts Stripe's test IBANs only: DE89370400440532013000 \
                          (succeeds) or DE62370400440532013001 (fails)"
                    .into(),
            })?;
        let method = AttachedMethod {
            reference: format!("sbx_pm_{}", Uuid::now_v7().simple()),
            brand: None,
            last4: iban[iban.len() - 4..].to_owned(),
            exp_month: None,
            exp_year: None,
        };
        self.store_method(customer, "sepa_debit", behaviour, method)
            .await
    }

    async fn detach(&self, method: &str) -> Result<(), ProcessorError> {
        sandbox_payment_method::Entity::update_many()
            .col_expr(sandbox_payment_method::Column::Detached, Expr::value(true))
            .filter(sandbox_payment_method::Column::Id.eq(method))
            .exec(self.db.writes())
            .await
            .map_err(Self::unavailable)?;
        Ok(())
    }

    async fn charge(&self, request: &ChargeRequest<'_>) -> Result<ChargeOutcome, ProcessorError> {
        let db = self.db.writes();
        // The same key answers the same payment, as long as the request is the same.
        let seen = sandbox_payment::Entity::update_many()
            .col_expr(
                sandbox_payment::Column::Requests,
                Expr::col(sandbox_payment::Column::Requests).add(1),
            )
            .filter(sandbox_payment::Column::IdempotencyKey.eq(request.idempotency_key))
            .exec(db)
            .await
            .map_err(Self::unavailable)?;
        if seen.rows_affected == 1 {
            let row = sandbox_payment::Entity::find()
                .filter(sandbox_payment::Column::IdempotencyKey.eq(request.idempotency_key))
                .one(db)
                .await
                .map_err(Self::unavailable)?
                .ok_or_else(|| ProcessorError::Unavailable("sandbox: payment vanished".into()))?;
            if row.amount_minor != request.amount_minor || row.method != request.method {
                return Err(ProcessorError::Refused {
                    message: "idempotency key reused with different parameters".into(),
                });
            }
            return Ok(outcome(&row));
        }
        let method = self.method(request.method).await?;
        if method.detached || method.customer != request.customer {
            return Err(ProcessorError::Refused {
                message: "this payment method is not attached to the customer".into(),
            });
        }
        let behaviour = Behaviour::parse(&method.behaviour)
            .ok_or_else(|| ProcessorError::Unavailable("sandbox: unknown behaviour".into()))?;
        let now = self.clock.now();
        let (status, failure): (&str, Option<(&str, &str)>) = match behaviour {
            Behaviour::Succeed => ("succeeded", None),
            Behaviour::Decline => ("failed", Some(("card_declined", DECLINED))),
            Behaviour::InsufficientFunds => ("failed", Some(("insufficient_funds", INSUFFICIENT))),
            Behaviour::Authenticate if request.off_session => (
                "failed",
                Some(("authentication_required", AUTHENTICATION_REQUIRED)),
            ),
            Behaviour::Authenticate => ("requires_action", None),
            Behaviour::SepaSucceed | Behaviour::SepaFail => ("processing", None),
        };
        let row = sandbox_payment::Model {
            id: format!("sbx_pi_{}", Uuid::now_v7().simple()),
            idempotency_key: request.idempotency_key.to_owned(),
            method: request.method.to_owned(),
            amount_minor: request.amount_minor,
            currency: request.currency.to_owned(),
            off_session: request.off_session,
            status: status.to_owned(),
            failure_code: failure.map(|f| f.0.to_owned()),
            failure_message: failure.map(|f| f.1.to_owned()),
            settle_at: (status == "processing").then_some(now),
            requests: 1,
            refunded_minor: 0,
            created_at: now,
            updated_at: now,
        };
        sandbox_payment::Entity::insert(row.clone().into_active_model())
            .exec_without_returning(db)
            .await
            .map_err(Self::unavailable)?;
        Ok(outcome(&row))
    }

    async fn find_by_key(
        &self,
        idempotency_key: &str,
    ) -> Result<Option<ChargeOutcome>, ProcessorError> {
        let row = sandbox_payment::Entity::find()
            .filter(sandbox_payment::Column::IdempotencyKey.eq(idempotency_key))
            .one(self.db.writes())
            .await
            .map_err(Self::unavailable)?;
        Ok(row.as_ref().map(outcome))
    }

    async fn retrieve(&self, payment: &str) -> Result<ChargeOutcome, ProcessorError> {
        Ok(outcome(&self.payment(payment).await?))
    }

    async fn authenticate(
        &self,
        payment: &str,
        passed: bool,
    ) -> Result<ChargeOutcome, ProcessorError> {
        let row = self.payment(payment).await?;
        if row.status != "requires_action" {
            return Ok(outcome(&row));
        }
        let mut active = row.into_active_model();
        if passed {
            active.status = Set("succeeded".into());
        } else {
            active.status = Set("failed".into());
            active.failure_code = Set(Some("authentication_failed".into()));
            active.failure_message = Set(Some(AUTHENTICATION_FAILED.into()));
        }
        active.updated_at = Set(self.clock.now());
        let row = active
            .update(self.db.writes())
            .await
            .map_err(Self::unavailable)?;
        Ok(outcome(&row))
    }

    async fn cancel(&self, payment: &str) -> Result<ChargeOutcome, ProcessorError> {
        let row = self.payment(payment).await?;
        // As at Stripe, only a payment waiting for its customer can be cancelled.
        if row.status != "requires_action" {
            return Ok(outcome(&row));
        }
        let mut active = row.into_active_model();
        active.status = Set("failed".into());
        active.failure_code = Set(Some("canceled".into()));
        active.failure_message = Set(Some(CANCELED.into()));
        active.updated_at = Set(self.clock.now());
        let row = active
            .update(self.db.writes())
            .await
            .map_err(Self::unavailable)?;
        Ok(outcome(&row))
    }

    async fn refund(
        &self,
        payment: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> Result<RefundOutcome, ProcessorError> {
        let db = self.db.writes();
        let seen = sandbox_refund::Entity::update_many()
            .col_expr(
                sandbox_refund::Column::Requests,
                Expr::col(sandbox_refund::Column::Requests).add(1),
            )
            .filter(sandbox_refund::Column::IdempotencyKey.eq(idempotency_key))
            .exec(db)
            .await
            .map_err(Self::unavailable)?;
        if seen.rows_affected == 1 {
            let row = sandbox_refund::Entity::find()
                .filter(sandbox_refund::Column::IdempotencyKey.eq(idempotency_key))
                .one(db)
                .await
                .map_err(Self::unavailable)?
                .ok_or_else(|| ProcessorError::Unavailable("sandbox: refund vanished".into()))?;
            return Ok(RefundOutcome { refund: row.id });
        }
        let row = self.payment(payment).await?;
        if row.status != "succeeded" {
            return Err(ProcessorError::Refused {
                message: "only a succeeded payment can be refunded".into(),
            });
        }
        if amount_minor <= 0 || row.refunded_minor + amount_minor > row.amount_minor {
            return Err(ProcessorError::Refused {
                message: "the refund is more than what is left of the payment".into(),
            });
        }
        let id = format!("sbx_re_{}", Uuid::now_v7().simple());
        sandbox_payment::Entity::update_many()
            .col_expr(
                sandbox_payment::Column::RefundedMinor,
                Expr::col(sandbox_payment::Column::RefundedMinor).add(amount_minor),
            )
            .filter(sandbox_payment::Column::Id.eq(payment))
            .exec(db)
            .await
            .map_err(Self::unavailable)?;
        sandbox_refund::Entity::insert(
            sandbox_refund::Model {
                id: id.clone(),
                payment: payment.to_owned(),
                idempotency_key: idempotency_key.to_owned(),
                amount_minor,
                requests: 1,
                created_at: self.clock.now(),
            }
            .into_active_model(),
        )
        .exec_without_returning(db)
        .await
        .map_err(Self::unavailable)?;
        Ok(RefundOutcome { refund: id })
    }

    async fn refunds(&self, payment: &str) -> Result<Vec<ListedRefund>, ProcessorError> {
        let row = self.payment(payment).await?;
        let refunds = sandbox_refund::Entity::find()
            .filter(sandbox_refund::Column::Payment.eq(payment))
            .order_by_asc(sandbox_refund::Column::CreatedAt)
            .all(self.db.writes())
            .await
            .map_err(Self::unavailable)?;
        Ok(refunds
            .into_iter()
            .map(|r| ListedRefund {
                refund: r.id,
                amount_minor: r.amount_minor,
                currency: row.currency.clone(),
                key: Some(r.idempotency_key),
                state: ListedRefundState::Succeeded,
            })
            .collect())
    }

    async fn tick(&self, now: DateTime<Utc>) -> Result<u64, ProcessorError> {
        let due = sandbox_payment::Entity::find()
            .filter(sandbox_payment::Column::Status.eq("processing"))
            .filter(sandbox_payment::Column::SettleAt.lte(now))
            .all(self.db.writes())
            .await
            .map_err(Self::unavailable)?;
        let mut settled = 0;
        for row in due {
            let behaviour = self
                .method(&row.method)
                .await
                .ok()
                .and_then(|m| Behaviour::parse(&m.behaviour));
            let mut active = row.into_active_model();
            if behaviour == Some(Behaviour::SepaFail) {
                active.status = Set("failed".into());
                active.failure_code = Set(Some("debit_failed".into()));
                active.failure_message = Set(Some(DEBIT_FAILED.into()));
            } else {
                active.status = Set("succeeded".into());
            }
            active.updated_at = Set(now);
            active
                .update(self.db.writes())
                .await
                .map_err(Self::unavailable)?;
            settled += 1;
        }
        Ok(settled)
    }
}

/// How often a sandbox idempotency key was sent (tests: a resumed attempt sends its key again).
pub async fn requests_for_key(db: &Db, key: &str) -> Result<i32, sea_orm::DbErr> {
    Ok(sandbox_payment::Entity::find()
        .filter(sandbox_payment::Column::IdempotencyKey.eq(key))
        .one(db.reads())
        .await?
        .map(|r| r.requests)
        .unwrap_or(0))
}
