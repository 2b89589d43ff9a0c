//! How Billfold collects payment: which processor, how often `billfold serve` charges due
//! invoices, and the dunning schedule.

use serde::{Deserialize, Serialize};

use super::Secret;

/// Which processor moves money.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProcessorKind {
    /// The embedded sandbox (Stripe's test numbers, kept in our database): the default.
    Sandbox,
    /// Stripe, with the keys of `payments.stripe`.
    Stripe,
}

/// Stripe's keys and where its API answers (`payments.stripe.*`). The secret key and the
/// webhook secret print as `[redacted]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StripeSettings {
    /// The secret API key (`sk_live_…`, `sk_test_…` or a restricted `rk_…`).
    pub secret_key: Option<Secret>,
    /// The publishable key (`pk_…`) the portal hands to Stripe.js: public by design.
    pub publishable_key: Option<String>,
    /// The signing secret of the `/webhooks/stripe` endpoint (`whsec_…`).
    pub webhook_secret: Option<Secret>,
    /// Another base URL for Stripe's API (tests point it at a local server); Stripe's own
    /// when absent.
    pub api_base: Option<String>,
}

/// What happens to an invoice once every automatic retry failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterLastRetry {
    /// It stays open, past due: no more automatic attempts; the "refuse additions while
    /// overdue" rule applies to it at once, even before its due date.
    PastDue,
    /// It is marked uncollectible.
    Uncollectible,
}

/// Payment collection settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Payments {
    /// The processor.
    pub processor: ProcessorKind,
    /// Seconds between two collection ticks of `billfold serve` (charging due invoices with
    /// the default method, settling processing debits, resuming interrupted attempts); 0 turns
    /// it off.
    pub collect_every_seconds: u64,
    /// Days to wait before each retry after a failed automatic charge: `[1, 3, 7]` retries 1
    /// day after the first failure, 3 days after the second, 7 days after the third.
    pub retry_days: Vec<u32>,
    /// What becomes of an invoice whose last retry failed: `past_due` or `uncollectible`.
    pub after_last_retry: AfterLastRetry,
    /// Seconds an attempt is left to the caller that started it before another may resume it
    /// (a crash between the processor's answer and our commit).
    pub attempt_lease_seconds: u64,
    /// Hours a payment waits for its customer to authenticate it (3-D Secure) before it is
    /// cancelled as a failure: an automatic one then follows the retry schedule, and the
    /// invoice can be collected again.
    pub authentication_expiry_hours: u64,
    /// Stripe's keys, required when `processor = "stripe"`.
    pub stripe: StripeSettings,
}

impl Default for Payments {
    fn default() -> Self {
        Self {
            processor: ProcessorKind::Sandbox,
            collect_every_seconds: 60,
            retry_days: vec![1, 3, 7],
            after_last_retry: AfterLastRetry::PastDue,
            attempt_lease_seconds: 120,
            authentication_expiry_hours: 24,
            stripe: StripeSettings::default(),
        }
    }
}
