//! `Customer`, the organisation (tenant), assembled from one object per slice: each slice adds
//! its own fields in its own `customer.rs`, and registers the object here. No slice edits
//! another slice's fields.

use std::sync::Arc;

use async_graphql::MergedObject;
use entity::customer;

use super::{
    accounts, charges, coupons, credits, invoices, licenses, mail, numbers, payments,
    subscriptions, tax, usage, vault,
};

/// A customer organisation (tenant).
#[derive(MergedObject)]
pub struct Customer(
    accounts::CustomerAccount,
    subscriptions::CustomerSubscriptions,
    licenses::CustomerLicenses,
    invoices::CustomerInvoices,
    credits::CustomerCredits,
    charges::CustomerCharges,
    coupons::CustomerCoupons,
    tax::CustomerBilling,
    mail::CustomerMail,
    vault::CustomerVault,
    payments::CustomerPayments,
    usage::CustomerConsumption,
    numbers::CustomerNumbers,
);

impl Customer {
    /// Wraps a customer row; every slice's fields read the same row.
    pub fn from_row(row: customer::Model) -> Self {
        let row = Arc::new(row);
        Customer(
            accounts::CustomerAccount(Arc::clone(&row)),
            subscriptions::CustomerSubscriptions(Arc::clone(&row)),
            licenses::CustomerLicenses(Arc::clone(&row)),
            invoices::CustomerInvoices(Arc::clone(&row)),
            credits::CustomerCredits(Arc::clone(&row)),
            charges::CustomerCharges(Arc::clone(&row)),
            coupons::CustomerCoupons(Arc::clone(&row)),
            tax::CustomerBilling(Arc::clone(&row)),
            mail::CustomerMail(Arc::clone(&row)),
            vault::CustomerVault(Arc::clone(&row)),
            payments::CustomerPayments(Arc::clone(&row)),
            usage::CustomerConsumption(row.clone()),
            numbers::CustomerNumbers(row),
        )
    }
}
