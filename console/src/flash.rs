//! Confirmations shown once after a change ("The invoice is created."), carried in the query
//! string of the redirect that follows the POST (`done=…`): stateless, without JavaScript, and
//! never on another tab's page. A flash carries no personal data.

use crate::route::Route;

/// A confirmation to show on the page a change redirects to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flash {
    /// A customer was created.
    CustomerCreated,
    /// Charges were invoiced: the invoice is open.
    ChargesInvoiced,
    /// Charges were left for the next invoice.
    ChargesUnbilled,
    /// A document was accepted.
    DocumentAccepted,
    /// A document was rejected.
    DocumentRejected,
    /// An offline payment was recorded.
    PaymentRecorded,
    /// An invoice was voided.
    InvoiceVoided,
    /// An API key was revoked.
    ApiKeyRevoked,
    /// A credit note was issued.
    CreditNoteIssued,
    /// A refund was made.
    RefundIssued,
    /// An invoice was sent again.
    InvoiceSent,
    /// The signed-in staff member's password was changed.
    PasswordChanged,
    /// A subscription was created.
    SubscriptionCreated,
    /// A subscription was cancelled (at the end of its period, or now).
    SubscriptionCancelled,
    /// A subscription was paused.
    SubscriptionPaused,
    /// A subscription was resumed.
    SubscriptionResumed,
    /// A subscription's automatic payment was turned on.
    AutomaticPaymentOn,
    /// A subscription's automatic payment was turned off.
    AutomaticPaymentOff,
    /// A staff user's role was changed.
    StaffRoleChanged,
    /// A staff user was disabled.
    StaffDisabled,
    /// A staff user was enabled again.
    StaffEnabled,
    /// A product was created.
    ProductCreated,
    /// A new price version was created.
    PriceCreated,
    /// Subscriptions were moved to another price version.
    SubscriptionsMoved,
    /// A coupon was created.
    CouponCreated,
    /// A coupon was archived.
    CouponArchived,
    /// A tax rate was created.
    TaxRateCreated,
    /// A tax rate was archived.
    TaxRateArchived,
    /// Unrated calls were rated again, all of them.
    CallsRerated,
    /// Unrated calls were rated again, some still without a prefix.
    CallsStillUnrated,
    /// A tariff was created.
    TariffCreated,
    /// A tariff version was created.
    TariffVersionCreated,
    /// A customer's billing settings were saved.
    SettingsSaved,
    /// A customer's tags were saved.
    TagsSaved,
    /// A customer's credit balance was topped up or adjusted.
    CreditAdjusted,
    /// A coupon was applied to a customer.
    CouponApplied,
    /// A coupon applied to a customer was removed.
    CouponRemoved,
    /// A charge retried from the dunning page collected the invoice.
    RetryCollected,
    /// A charge retried from the dunning page failed again.
    RetryFailed,
    /// A charge retried from the dunning page waits (for the bank, or for the customer to
    /// authenticate it).
    RetryPending,
    /// A customer's name, company, e-mail, time zone or currency was saved.
    ProfileSaved,
    /// An unbilled charge was removed.
    ChargeRemoved,
    /// A telephone number was added.
    NumberAdded,
    /// A telephone number was released.
    NumberReleased,
}

impl Flash {
    const ALL: [Flash; 44] = [
        Flash::PasswordChanged,
        Flash::SubscriptionCreated,
        Flash::SubscriptionCancelled,
        Flash::SubscriptionPaused,
        Flash::SubscriptionResumed,
        Flash::AutomaticPaymentOn,
        Flash::AutomaticPaymentOff,
        Flash::ApiKeyRevoked,
        Flash::CreditNoteIssued,
        Flash::RefundIssued,
        Flash::InvoiceSent,
        Flash::StaffRoleChanged,
        Flash::StaffDisabled,
        Flash::StaffEnabled,
        Flash::PaymentRecorded,
        Flash::InvoiceVoided,
        Flash::CustomerCreated,
        Flash::ChargesInvoiced,
        Flash::ChargesUnbilled,
        Flash::DocumentAccepted,
        Flash::DocumentRejected,
        Flash::ProductCreated,
        Flash::PriceCreated,
        Flash::SubscriptionsMoved,
        Flash::CouponCreated,
        Flash::CouponArchived,
        Flash::TaxRateCreated,
        Flash::TaxRateArchived,
        Flash::CallsRerated,
        Flash::CallsStillUnrated,
        Flash::TariffCreated,
        Flash::TariffVersionCreated,
        Flash::SettingsSaved,
        Flash::TagsSaved,
        Flash::NumberAdded,
        Flash::NumberReleased,
        Flash::CreditAdjusted,
        Flash::CouponApplied,
        Flash::CouponRemoved,
        Flash::RetryCollected,
        Flash::RetryFailed,
        Flash::RetryPending,
        Flash::ProfileSaved,
        Flash::ChargeRemoved,
    ];

    /// Its value in the URL.
    pub fn param(self) -> &'static str {
        match self {
            Flash::CustomerCreated => "customer-created",
            Flash::ChargesInvoiced => "charges-invoiced",
            Flash::ChargesUnbilled => "charges-unbilled",
            Flash::DocumentAccepted => "document-accepted",
            Flash::DocumentRejected => "document-rejected",
            Flash::PaymentRecorded => "payment-recorded",
            Flash::InvoiceVoided => "invoice-voided",
            Flash::ApiKeyRevoked => "api-key-revoked",
            Flash::CreditNoteIssued => "credit-note-issued",
            Flash::RefundIssued => "refund-issued",
            Flash::InvoiceSent => "invoice-sent",
            Flash::PasswordChanged => "password-changed",
            Flash::SubscriptionCreated => "subscription-created",
            Flash::SubscriptionCancelled => "subscription-cancelled",
            Flash::SubscriptionPaused => "subscription-paused",
            Flash::SubscriptionResumed => "subscription-resumed",
            Flash::AutomaticPaymentOn => "automatic-payment-on",
            Flash::AutomaticPaymentOff => "automatic-payment-off",
            Flash::StaffRoleChanged => "staff-role-changed",
            Flash::StaffDisabled => "staff-disabled",
            Flash::StaffEnabled => "staff-enabled",
            Flash::ProductCreated => "product-created",
            Flash::PriceCreated => "price-created",
            Flash::SubscriptionsMoved => "subscriptions-moved",
            Flash::CouponCreated => "coupon-created",
            Flash::CouponArchived => "coupon-archived",
            Flash::TaxRateCreated => "tax-rate-created",
            Flash::TaxRateArchived => "tax-rate-archived",
            Flash::CallsRerated => "calls-rerated",
            Flash::CallsStillUnrated => "calls-still-unrated",
            Flash::TariffCreated => "tariff-created",
            Flash::TariffVersionCreated => "tariff-version-created",
            Flash::SettingsSaved => "settings-saved",
            Flash::TagsSaved => "tags-saved",
            Flash::CreditAdjusted => "credit-adjusted",
            Flash::CouponApplied => "coupon-applied",
            Flash::CouponRemoved => "coupon-removed",
            Flash::RetryCollected => "retry-collected",
            Flash::RetryFailed => "retry-failed",
            Flash::RetryPending => "retry-pending",
            Flash::ProfileSaved => "profile-saved",
            Flash::ChargeRemoved => "charge-removed",
            Flash::NumberAdded => "number-added",
            Flash::NumberReleased => "number-released",
        }
    }

    /// The sentence the page shows.
    pub fn message(self) -> &'static str {
        match self {
            Flash::CustomerCreated => "The customer is created.",
            Flash::ChargesInvoiced => "The invoice is created and finalised: it is open.",
            Flash::ChargesUnbilled => "The charges are added: the next invoice bills them.",
            Flash::DocumentAccepted => "The document is accepted.",
            Flash::PaymentRecorded => "The payment is recorded.",
            Flash::InvoiceVoided => "The invoice is void: it keeps its number.",
            Flash::ApiKeyRevoked => "The key is revoked: it no longer works.",
            Flash::CreditNoteIssued => {
                "The credit note is issued: the customer's balance or the invoice is credited."
            }
            Flash::RefundIssued => "The refund is on its way to the customer.",
            Flash::InvoiceSent => "The invoice is on its way to the customer's invoice address.",
            Flash::PasswordChanged => "Your password is changed: your other sessions ended.",
            Flash::SubscriptionCreated => {
                "The subscription is created: it bills from its start day."
            }
            Flash::SubscriptionCancelled => "The subscription is cancelled as chosen.",
            Flash::SubscriptionPaused => {
                "The subscription is paused: it bills nothing until resumed."
            }
            Flash::SubscriptionResumed => "The subscription is resumed.",
            Flash::AutomaticPaymentOn => {
                "Automatic payment is on: automatic collection charges its open invoices to the default payment method when they are due."
            }
            Flash::AutomaticPaymentOff => {
                "Automatic payment is off: its invoices wait to be paid by transfer or in the portal."
            }
            Flash::StaffRoleChanged => "The role is changed: their sessions ended.",
            Flash::StaffDisabled => "The account is disabled: it is signed out and cannot sign in.",
            Flash::StaffEnabled => "The account is enabled: it can sign in again.",
            Flash::ProductCreated => "The product is created: give it a price to sell it.",
            Flash::PriceCreated => {
                "The new version is created: new subscriptions get it; existing ones keep theirs until moved."
            }
            Flash::SubscriptionsMoved => {
                "The subscriptions are moved: their next invoice bills the new version."
            }
            Flash::CouponCreated => "The coupon is created: it can be applied now.",
            Flash::CouponArchived => {
                "The coupon is archived: it can no longer be applied; where it applies, it keeps discounting."
            }
            Flash::TaxRateCreated => {
                "The tax rate is created: invoices finalised from now on apply it."
            }
            Flash::TaxRateArchived => {
                "The tax rate is archived: invoices finalised from now on no longer apply it."
            }
            Flash::CallsRerated => "The calls are rated: the next invoice bills them.",
            Flash::TariffCreated => {
                "The tariff is created: sell numbers with it from a customer's page."
            }
            Flash::TariffVersionCreated => {
                "The new version is created: calls recorded from now on are rated with it."
            }
            Flash::SettingsSaved => "The billing settings are saved: the next invoices apply them.",
            Flash::TagsSaved => "The tags are saved.",
            Flash::CreditAdjusted => "The credit balance is changed.",
            Flash::CouponApplied => "The coupon is applied: the next invoices show the discount.",
            Flash::CouponRemoved => {
                "The coupon is removed: later invoices are not discounted by it."
            }
            Flash::RetryCollected => "The charge went through: the invoice is paid.",
            Flash::RetryFailed => {
                "The charge failed again: its row says why, and it counts in the invoice's dunning."
            }
            Flash::ProfileSaved => "The customer's details are saved.",
            Flash::ChargeRemoved => "The charge is removed: no invoice will bill it.",
            Flash::RetryPending => {
                "The charge is waiting for the bank or for the customer to confirm it."
            }
            Flash::NumberAdded => "The number is added: its calls are rated with its tariff.",
            Flash::NumberReleased => {
                "The number is released: it takes no calls from that day, and its rental line is lowered by one."
            }
            Flash::CallsStillUnrated => {
                "Some calls are rated; those still listed have no prefix in the tariff's latest version."
            }
            Flash::DocumentRejected => {
                "The document is rejected: the organisation reads the reason in its portal."
            }
        }
    }

    /// The URL of `route` with this confirmation.
    pub fn href(self, route: &Route) -> String {
        route.href_with(&[("done", self.param().to_owned())])
    }

    /// The confirmation a `done` parameter names, if any.
    pub fn from_param(done: Option<&str>) -> Option<Self> {
        Self::ALL.into_iter().find(|f| Some(f.param()) == done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Tab;

    #[test]
    fn a_flash_survives_its_redirect() {
        let route = Route::Customer("cus_1".into(), Tab::Invoices);
        let href = Flash::ChargesInvoiced.href(&route);
        assert_eq!(
            href,
            "/admin/customers/cus_1?tab=invoices&done=charges-invoiced"
        );
        for flash in Flash::ALL {
            assert_eq!(Flash::from_param(Some(flash.param())), Some(flash));
        }
        assert_eq!(Flash::from_param(Some("nope")), None);
    }
}
