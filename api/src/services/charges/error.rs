//! Why a charges use case refuses, for the reasons of its own (the checks of each charge's
//! fields answer on their path directly, in [`super::input`]): one variant per reason, each with
//! a fixed code, field and message.

use chrono::NaiveDate;

use crate::error::ServiceError;

/// Which input field named the coupon: its errors answer on that one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CouponField {
    /// `input.couponCode`.
    Code,
    /// `input.couponId`.
    Id,
}

impl CouponField {
    /// The field's path, as the schema spells it.
    pub fn path(self) -> &'static str {
        match self {
            CouponField::Code => "input.couponCode",
            CouponField::Id => "input.couponId",
        }
    }
}

/// A refused charges request.
#[derive(Debug)]
pub enum ChargeError {
    /// Both `couponCode` and `couponId` were given (on `input.couponId`).
    CouponTwice,
    /// An empty or over-long coupon code (on `input.couponCode`).
    CouponCodeLength,
    /// No coupon has this code (on `input.couponCode`). An unknown `couponId` is `NOT_FOUND`,
    /// as every unknown id is.
    CouponUnknown,
    /// A coupon with `ADD_TO_UNBILLED`: it discounts the invoice made now, and unbilled charges
    /// have none.
    CouponNeedsInvoiceNow(CouponField),
    /// The coupon is archived.
    CouponArchived(CouponField),
    /// The coupon's last day has passed.
    CouponExpired(CouponField, NaiveDate),
    /// A fixed-amount coupon without an amount in the customer's currency (the code).
    CouponCurrency(CouponField, String),
    /// The coupon has been used as many times as it may be.
    CouponLimitReached(CouponField),
    /// The coupon covers none of the charges (it is limited to other products), or takes
    /// nothing off them once rounded.
    CouponDiscountsNothing(CouponField),
}

impl From<ChargeError> for ServiceError {
    fn from(error: ChargeError) -> Self {
        use ChargeError::*;
        match error {
            CouponTwice => ServiceError::bad_input(
                "input.couponId",
                "give a couponCode or a couponId, not both",
            ),
            CouponCodeLength => ServiceError::bad_input(
                "input.couponCode",
                "give the coupon's code (1 to 40 characters)",
            ),
            CouponUnknown => ServiceError::bad_input("input.couponCode", "no coupon has this code"),
            CouponNeedsInvoiceNow(field) => ServiceError::bad_input(
                field.path(),
                "a coupon on charges discounts the invoice made now: invoice now, or apply \
                 the coupon to the subscription (applyCoupon) to discount its next invoice",
            ),
            CouponArchived(field) => {
                ServiceError::bad_input(field.path(), "this coupon is archived")
            }
            CouponExpired(field, on) => {
                ServiceError::bad_input(field.path(), format!("this coupon expired on {on}"))
            }
            CouponCurrency(field, currency) => ServiceError::bad_input(
                field.path(),
                format!("this coupon has no amount in {currency}"),
            ),
            CouponLimitReached(field) => ServiceError::bad_input(
                field.path(),
                "this coupon has been used as many times as it may be",
            ),
            CouponDiscountsNothing(field) => ServiceError::bad_input(
                field.path(),
                "this coupon takes nothing off these charges (it is limited to other products)",
            ),
        }
    }
}
