//! Staff update a customer's billing settings: country and region (which pick its tax rate),
//! tax id, tax exemption, payment terms, the PO number and notes its invoices carry, and the
//! billing cycle its new subscriptions start with. One
//! tenant write: the resolved tax is part of the
//! tenant state, so the revision is bumped and no cached state keeps the old rate.

use billing::Interval;
use chrono::Utc;
use entity::customer;
use ids::CustomerId;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveEnum, ActiveModelTrait, EntityTrait, IntoActiveModel};
use serde_json::json;

use super::rates::{parse_country, parse_region};
use crate::auth::Actor;
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::catalog;
use crate::services::charges::input::{parse_notes, parse_po_number};

/// Longest payment terms accepted, in days.
const MAX_TERMS_DAYS: i32 = 365;

/// `days` of payment terms as given, checked: `BAD_USER_INPUT` on `field` outside 0 (due on
/// receipt) to [`MAX_TERMS_DAYS`].
pub fn payment_terms(field: &'static str, days: i32) -> ServiceResult<i32> {
    if (0..=MAX_TERMS_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(ServiceError::bad_input(
            field,
            format!("must be 0 (due on receipt) to {MAX_TERMS_DAYS} days"),
        ))
    }
}

/// A change of billing settings. For each field: `None` leaves it as it is; for the optional
/// ones, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct BillingSettingsChange {
    /// ISO 3166-1 alpha-2 country. Changing or clearing it clears the region unless a region
    /// is given too.
    pub country: Option<Option<String>>,
    /// Region code within the country.
    pub region: Option<Option<String>>,
    /// Tax id (VAT number).
    pub tax_id: Option<Option<String>>,
    /// Whether the customer pays no tax.
    pub tax_exempt: Option<bool>,
    /// Days from issue to due date.
    pub payment_terms_days: Option<i32>,
    /// Purchase order number on the customer's invoices; a blank one clears it too.
    pub po_number: Option<Option<String>>,
    /// Notes on the customer's invoices; blank ones clear them too.
    pub invoice_notes: Option<Option<String>>,
    /// The interval the customer's new subscriptions bill at unless another is chosen
    /// (existing subscriptions keep theirs).
    pub billing_cycle: Option<Interval>,
}

/// Customers' billing settings (operator staff).
#[derive(Clone)]
pub struct BillingSettingsService {
    db: Db,
}

impl BillingSettingsService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The tax `customer` (a row read in this request) pays. Another tenant answers
    /// `NOT_FOUND`.
    pub async fn tax_of(
        &self,
        actor: &Actor,
        customer: &customer::Model,
    ) -> ServiceResult<Option<super::CustomerTax>> {
        if !actor.authenticated()?.scope().allows(customer.id) {
            return Err(ServiceError::NotFound { entity: "customer" });
        }
        super::resolve(self.db.reads(), customer).await
    }

    /// Applies `change` to the customer's settings; every field is checked before anything is
    /// written. `NOT_FOUND` for an unknown customer.
    pub async fn update(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: CustomerId,
        change: BillingSettingsChange,
    ) -> ServiceResult<customer::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let country = change
            .country
            .map(|c| {
                c.as_deref()
                    .map(|c| parse_country("input.country", c))
                    .transpose()
            })
            .transpose()?;
        let region = change
            .region
            .map(|r| {
                r.as_deref()
                    .map(|r| parse_region("input.region", r))
                    .transpose()
                    .map(Option::flatten)
            })
            .transpose()?;
        let tax_id = change
            .tax_id
            .map(|t| {
                t.map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .map(|t| {
                        if t.chars().count() <= 40 {
                            Ok(t)
                        } else {
                            Err(ServiceError::bad_input(
                                "input.taxNumber",
                                "must be at most 40 characters",
                            ))
                        }
                    })
                    .transpose()
            })
            .transpose()?;
        if let Some(days) = change.payment_terms_days {
            payment_terms("input.paymentTermsDays", days)?;
        }
        let po_number = change
            .po_number
            .map(|p| parse_po_number("input.poNumber", p.as_deref()))
            .transpose()?;
        let invoice_notes = change
            .invoice_notes
            .map(|n| parse_notes("input.invoiceNotes", n.as_deref()))
            .transpose()?;

        let cycle = change
            .billing_cycle
            .map(|cycle| {
                i32::try_from(cycle.count())
                    .map(|count| (catalog::rows::stored_interval_unit(cycle.unit()), count))
                    .map_err(|_| {
                        ServiceError::bad_input("input.billingCycle.intervalCount", "too large")
                    })
            })
            .transpose()?;

        let txn = self.db.begin_tenant_write().await?;
        let before = customer::Entity::find_by_id(id)
            .one_by_key(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "customer" })?;
        let mut after = before.clone();
        if let Some(country) = country
            && country != before.country
        {
            after.country = country;
            after.region = None;
        }
        if let Some(region) = region {
            after.region = region;
        }
        if after.region.is_some() && after.country.is_none() {
            return Err(ServiceError::bad_input(
                "input.region",
                "a region needs a country",
            ));
        }
        if let Some(tax_id) = tax_id {
            after.tax_id = tax_id;
        }
        if let Some(exempt) = change.tax_exempt {
            after.tax_exempt = exempt;
        }
        if let Some(days) = change.payment_terms_days {
            after.payment_terms_days = days;
        }
        if let Some(po_number) = po_number {
            after.po_number = po_number;
        }
        if let Some(notes) = invoice_notes {
            after.invoice_notes = notes;
        }
        if let Some((unit, count)) = cycle {
            after.billing_interval_unit = unit;
            after.billing_interval_count = count;
        }
        after.updated_at = Utc::now();
        let mut row = before.clone().into_active_model();
        row.country = Set(after.country.clone());
        row.region = Set(after.region.clone());
        row.tax_id = Set(after.tax_id.clone());
        row.tax_exempt = Set(after.tax_exempt);
        row.payment_terms_days = Set(after.payment_terms_days);
        row.po_number = Set(after.po_number.clone());
        row.invoice_notes = Set(after.invoice_notes.clone());
        row.billing_interval_unit = Set(after.billing_interval_unit);
        row.billing_interval_count = Set(after.billing_interval_count);
        row.updated_at = Set(after.updated_at);
        row.update(&txn).await?;
        let settings = |c: &customer::Model| {
            json!({
                "country": c.country, "region": c.region, "tax_id": c.tax_id,
                "tax_exempt": c.tax_exempt, "payment_terms_days": c.payment_terms_days,
                "po_number": c.po_number, "invoice_notes": c.invoice_notes,
                "billing_cycle": [c.billing_interval_unit.to_value(), c.billing_interval_count]
            })
        };
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(id),
                action: "customer.billing_settings",
                subject_type: "customer",
                subject_id: id.to_string(),
                before: Some(settings(&before)),
                after: Some(settings(&after)),
            },
        )
        .await?;
        txn.commit(id).await?;
        // The commit bumped the revision: the row returned says so, so a read of this
        // customer's state right after sees the new settings.
        after.revision = before.revision + 1;
        Ok(after)
    }
}
