//! Payment terms: when an invoice is due. One function, called by every finaliser (the billing
//! run today, immediate invoices as they come), so an invoice's due date has one rule.

use chrono::{Days, NaiveDate};
use entity::customer;

/// The due date of an invoice of `customer` issued on `issue_date`: the issue date plus the
/// customer's payment terms in days (0: due on receipt, the issue date itself).
pub fn due_date(issue_date: NaiveDate, customer: &customer::Model) -> NaiveDate {
    let days = u64::try_from(customer.payment_terms_days).unwrap_or(0);
    issue_date
        .checked_add_days(Days::new(days))
        .unwrap_or(issue_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(terms: i32, issue: &str) -> String {
        let mut customer = entity_customer();
        customer.payment_terms_days = terms;
        due_date(issue.parse().unwrap_or_default(), &customer).to_string()
    }

    fn entity_customer() -> customer::Model {
        customer::Model {
            id: ids::CustomerId::new(),
            name: "Acme".into(),
            company: None,
            email: "a@b.co".into(),
            currency: "EUR".into(),
            time_zone: "Europe/Paris".into(),
            status: customer::CustomerStatus::Active,
            tax_rate: None,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            revision: 0,
            credit_balance_minor: 0,
            country: None,
            region: None,
            tax_id: None,
            tax_exempt: false,
            payment_terms_days: 0,
            po_number: None,
            invoice_email: None,
            email_invoices: true,
            external_reference: None,
            tags: "[]".into(),
            billing_interval_unit: entity::price::IntervalUnit::Month,
            billing_interval_count: 1,
            invoice_notes: None,
        }
    }

    #[test]
    fn terms_count_calendar_days_from_the_issue_date() {
        assert_eq!(on(0, "2026-05-01"), "2026-05-01");
        assert_eq!(on(30, "2026-05-01"), "2026-05-31");
        // Across a month end and into a leap day.
        assert_eq!(on(30, "2028-01-30"), "2028-02-29");
        assert_eq!(on(45, "2026-12-20"), "2027-02-03");
    }
}
