//! Public identifiers: opaque strings with a type prefix (`cus_…`), a UUIDv7 underneath, and one
//! Rust newtype per kind so that a customer id can never be passed where a user id is expected.
//!
//! With the `sea-orm` feature each id is also a column type (`DeriveValueType`, stored as the
//! bare UUID), so entity rows carry `CustomerId`, not `Uuid`, and no code converts by hand.
//! `billing` stays pure by never enabling it.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// A string that is not a well-formed id of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {kind} id (expected `{prefix}_` followed by 32 hex digits)")]
pub struct MalformedId {
    /// The kind of id that was expected.
    pub kind: &'static str,
    /// The prefix that kind carries.
    pub prefix: &'static str,
    /// What was given (truncated).
    pub value: String,
}

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType))]
        pub struct $name(Uuid);

        /// Ids are UUIDs, never numbers: a primary key of this type cannot come from a `u64`
        /// (sea-orm asks every primary key type to say so).
        #[cfg(feature = "sea-orm")]
        impl sea_orm::TryFromU64 for $name {
            fn try_from_u64(_: u64) -> Result<Self, sea_orm::DbErr> {
                Err(sea_orm::DbErr::ConvertFromU64(stringify!($name)))
            }
        }

        impl $name {
            /// The prefix of this kind of id.
            pub const PREFIX: &'static str = $prefix;

            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The UUID stored in the database.
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        /// The bare UUID, for keyset cursors and storage outside typed columns.
        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}_{}", $prefix, self.0.simple())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, f)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl FromStr for $name {
            type Err = MalformedId;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_prefixed(s, $prefix)
                    .map(Self)
                    .ok_or_else(|| MalformedId {
                        kind: $kind,
                        prefix: $prefix,
                        value: s.chars().take(64).collect(),
                    })
            }
        }
    };
}

/// Parses `<prefix>_<32 hex>` strictly: lower-case hex, no hyphens, exactly one form per id,
/// so that ids compare equal as strings whenever they are equal.
fn parse_prefixed(s: &str, prefix: &str) -> Option<Uuid> {
    let hex = s.strip_prefix(prefix)?.strip_prefix('_')?;
    if hex.len() != 32 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    Uuid::try_parse(hex).ok()
}

define_id!(
    /// A customer organisation (tenant): `cus_…`.
    CustomerId, "cus", "customer"
);
define_id!(
    /// A user (staff or customer login): `usr_…`.
    UserId, "usr", "user"
);
define_id!(
    /// A team of a customer organisation: `team_…`.
    TeamId, "team", "team"
);
define_id!(
    /// A member of a customer organisation: `mem_…`.
    MemberId, "mem", "member"
);
define_id!(
    /// An audit log entry: `aud_…`.
    AuditEntryId, "aud", "audit entry"
);
define_id!(
    /// A catalog product: `prod_…`.
    ProductId, "prod", "product"
);
define_id!(
    /// A price version: `price_…`.
    PriceId, "price", "price"
);
define_id!(
    /// A subscription: `sub_…`.
    SubscriptionId, "sub", "subscription"
);
define_id!(
    /// A subscription item: `si_…`.
    SubscriptionItemId, "si", "subscription item"
);
define_id!(
    /// A license seat: `lic_…`.
    LicenseId, "lic", "license"
);
define_id!(
    /// A license change quote: `quo_…`.
    QuoteId, "quo", "quote"
);
define_id!(
    /// A charge waiting for an invoice: `chg_…`.
    ChargeId, "chg", "charge"
);
define_id!(
    /// An invoice: `inv_…`.
    InvoiceId, "inv", "invoice"
);
define_id!(
    /// A line of an invoice: `il_…`.
    InvoiceLineId, "il", "invoice line"
);
define_id!(
    /// A coupon of the catalog: `cpn_…`.
    CouponId, "cpn", "coupon"
);
define_id!(
    /// A coupon applied to a customer or a subscription (a redemption): `red_…`.
    CouponRedemptionId, "red", "coupon redemption"
);
define_id!(
    /// A tax rate for a country, or a region of it: `txr_…`.
    TaxRateId, "txr", "tax rate"
);
define_id!(
    /// A billing run (staff, scheduled or from the command line): `brun_…`.
    BillingRunId, "brun", "billing run"
);
define_id!(
    /// A remembered idempotent request: `idem_…` (never shown to callers).
    IdempotencyKeyId, "idem", "idempotency key"
);
define_id!(
    /// An entry of a customer's credit balance ledger: `cre_…`.
    CreditEntryId, "cre", "credit entry"
);
define_id!(
    /// A credit note correcting a finalised invoice: `cn_…`.
    CreditNoteId, "cn", "credit note"
);
define_id!(
    /// A line of a credit note: `cnl_…`.
    CreditNoteLineId, "cnl", "credit note line"
);
define_id!(
    /// A message of the mail outbox: `msg_…`.
    OutboxMessageId, "msg", "outbox message"
);
define_id!(
    /// A contact of a customer organisation (technical, accounting, …): `ctc_…`.
    ContactId, "ctc", "contact"
);
define_id!(
    /// A billing address of a customer organisation: `addr_…`.
    BillingAddressId, "addr", "billing address"
);
define_id!(
    /// A document of a customer's vault (a certificate, a contract, a proof of address…):
    /// `doc_…`.
    DocumentId, "doc", "document"
);
define_id!(
    /// A document a customer is asked to provide (after a change of default address):
    /// `dreq_…`.
    DocumentRequirementId, "dreq", "document requirement"
);
define_id!(
    /// An invitation to join a customer organisation as a portal user: `ivt_…`.
    InvitationId, "ivt", "invitation"
);
define_id!(
    /// A payment method of a customer organisation (a card or a SEPA Direct Debit account,
    /// held at the processor): `pm_…`.
    PaymentMethodId, "pm", "payment method"
);
define_id!(
    /// One attempt to collect an invoice through the processor: `patt_…`.
    PaymentAttemptId, "patt", "payment attempt"
);
define_id!(
    /// Money received for an invoice (through the processor, or recorded offline): `pay_…`.
    PaymentId, "pay", "payment"
);
define_id!(
    /// Money given back on a payment: `rfd_…`.
    RefundId, "rfd", "refund"
);

define_id!(
    /// A usage record (minutes, messages, gigabytes against a metered item): `usg_…`.
    UsageRecordId, "usg", "usage record"
);
define_id!(
    /// An API key of a machine client: `key_…` (the secret itself starts with `bf_`).
    ApiKeyId, "key", "API key"
);

define_id!(
    /// A telephone tariff (its rates change by new versions): `trf_…`.
    TariffId, "trf", "tariff"
);
define_id!(
    /// One immutable version of a tariff, which rated calls keep pointing at: `trv_…`.
    TariffVersionId, "trv", "tariff version"
);
define_id!(
    /// A telephone number sold to a customer: `num_…`.
    PhoneNumberId, "num", "phone number"
);
define_id!(
    /// One call made from or to a customer's number: `call_…`.
    CallRecordId, "call", "call record"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_text_form() {
        let id = CustomerId::new();
        let text = id.to_string();
        assert!(text.starts_with("cus_"));
        assert_eq!(text.len(), 4 + 32);
        assert_eq!(text.parse::<CustomerId>(), Ok(id));
    }

    #[test]
    fn an_id_of_another_kind_is_malformed() {
        let user = UserId::new().to_string();
        let err = user.parse::<CustomerId>().unwrap_err();
        assert_eq!(err.kind, "customer");
    }

    #[test]
    fn only_the_canonical_form_parses() {
        let id = CustomerId::new();
        let upper = format!("cus_{}", id.uuid().simple().to_string().to_uppercase());
        let hyphenated = format!("cus_{}", id.uuid().hyphenated());
        assert!(upper.parse::<CustomerId>().is_err());
        assert!(hyphenated.parse::<CustomerId>().is_err());
        assert!("cus_".parse::<CustomerId>().is_err());
        assert!("".parse::<CustomerId>().is_err());
    }
}
