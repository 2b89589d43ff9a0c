//! `GET /admin/customers/cus_…/settings`: who the customer is (its own form, see
//! [`super::profile`]) and its billing settings (country and region,
//! which pick its tax rate; tax number; exemption; payment terms; the PO number and notes of
//! its invoices; the billing cycle new subscriptions start with); `POST` saves them with
//! `updateCustomerBillingSettings`, a refusal shown beside the field at fault. Invoices already
//! finalised keep what they had. A second form on the tab replaces the customer's tags
//! (`POST …/tags`, `setCustomerTags`): tags are not billing settings, and one form per
//! mutation means a refusal of one never leaves the other half saved.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::profile::ProfileForm;
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::customer::CustomerFrame;
use crate::cycle;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, InputField, SelectField};
use crate::html::render;
use crate::operations::{
    CustomerSettings, SetCustomerTags, UpdateCustomerBillingSettings, customer_settings,
    set_customer_tags, update_customer_billing_settings,
};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::schema_name;

/// The form's text fields, as the API names them.
const FIELDS: [&str; 8] = [
    "billingCycle.interval",
    "billingCycle.intervalCount",
    "country",
    "region",
    "taxNumber",
    "paymentTermsDays",
    "poNumber",
    "invoiceNotes",
];

/// The settings tab.
#[derive(Template)]
#[template(path = "customers/settings.html")]
struct SettingsTab {
    chrome: Chrome,
    customer: CustomerFrame,
    flash: Option<Flash>,
    form: SettingsForm,
    errors: FormErrors,
    /// The tags form: the tags as typed (comma-separated) and its refusal.
    tags: TagsForm,
    tag_errors: FormErrors,
    /// Who the customer is, as saved or as typed, and its refusal.
    profile: ProfileForm,
    profile_errors: FormErrors,
}

/// The tags form, as typed.
#[derive(Default, Deserialize)]
pub(super) struct TagsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    tags: String,
}

impl TagsForm {
    /// The tags typed, split at commas (the API trims them and skips blanks).
    fn list(&self) -> Vec<String> {
        self.tags.split(',').map(str::to_owned).collect()
    }
}

/// The form, as typed (or as the customer's settings are).
#[derive(Default, Deserialize)]
pub(super) struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    tax_number: String,
    /// Present (`on`) when checked.
    tax_exempt: Option<String>,
    #[serde(default)]
    payment_terms_days: String,
    #[serde(default)]
    po_number: String,
    #[serde(default)]
    invoice_notes: String,
    /// `MONTH`, `YEAR`… (see [`cycle::UNITS`]).
    #[serde(default)]
    cycle_unit: String,
    #[serde(default)]
    cycle_count: String,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct SettingsParams {
    done: Option<String>,
}

impl SettingsTab {
    fn fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.form, &self.errors);
        vec![
            InputField::text("country".into(), "Country", &f.country, e, "country")
                .hint("ISO 3166 code (FR, DE, US): it picks the tax rate."),
            InputField::text("region".into(), "Region", &f.region, e, "region")
                .hint("QC, NY…: where a region has a rate of its own."),
            InputField::text(
                "tax_number".into(),
                "Tax number (VAT)",
                &f.tax_number,
                e,
                "taxNumber",
            ),
            InputField::text(
                "payment_terms_days".into(),
                "Payment terms (days)",
                &f.payment_terms_days,
                e,
                "paymentTermsDays",
            )
            .hint("From issue to due date: 0 (on receipt) to 365."),
            InputField::text("po_number".into(), "PO number", &f.po_number, e, "poNumber")
                .hint("Printed on its invoices unless a subscription or charge has its own."),
        ]
    }

    /// The billing cycle's unit, as a select.
    fn cycle_unit(&self) -> SelectField {
        cycle::unit_field(&self.form.cycle_unit, &self.errors)
    }

    /// How many units one cycle lasts.
    fn cycle_count(&self) -> InputField {
        cycle::count_field(
            &self.form.cycle_count,
            &self.errors,
            "1 for monthly, 2 for every two months…: new subscriptions start with it.",
        )
    }

    /// The tags field.
    fn tags_field(&self) -> InputField {
        InputField::text(
            "tags".into(),
            "Tags",
            &self.tags.tags,
            &self.tag_errors,
            "tags",
        )
        .hint("Comma-separated, e.g. vip, wholesale: staff find the customer by them.")
    }

    /// The profile form's fields.
    fn profile_fields(&self) -> Vec<InputField> {
        self.profile.fields(&self.profile_errors)
    }

    fn notes_error(&self) -> Option<&str> {
        self.errors.get("invoiceNotes")
    }

    fn exempt(&self) -> bool {
        self.form.tax_exempt.is_some()
    }
}

/// What the tab shows: the forms as saved, or one of them as typed with its refusal.
pub(super) enum Shown {
    /// Who the customer is, as typed.
    Profile(ProfileForm, FormErrors),
    /// Both forms as saved.
    Saved,
    /// The settings form as typed.
    Settings(SettingsForm, FormErrors),
    /// The tags form as typed.
    Tags(TagsForm, FormErrors),
}

pub(super) async fn settings_tab(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    flash: Option<Flash>,
    shown: Shown,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Customers).await?;
    let customer = CustomerFrame::load(console, visitor, id, Tab::Settings).await?;
    let c = console
        .run::<CustomerSettings>(
            customer_settings::Variables { id: id.to_owned() },
            Some(&visitor.session),
        )
        .await?
        .customer;
    let saved_tags = TagsForm {
        csrf: String::new(),
        tags: c.tags.join(", "),
    };
    let (mut profile, mut profile_errors) = (ProfileForm::saved(&customer), FormErrors::none());
    let (form, errors, tags, tag_errors) = match shown {
        Shown::Settings(form, errors) => (form, errors, saved_tags, FormErrors::none()),
        Shown::Tags(tags, tag_errors) => (saved(c), FormErrors::none(), tags, tag_errors),
        Shown::Profile(form, errors) => {
            (profile, profile_errors) = (form, errors);
            (saved(c), FormErrors::none(), saved_tags, FormErrors::none())
        }
        Shown::Saved => (saved(c), FormErrors::none(), saved_tags, FormErrors::none()),
    };
    let status = [&profile_errors, &errors, &tag_errors]
        .into_iter()
        .find(|e| e.is_refused())
        .map_or(axum::http::StatusCode::OK, |e| e.status());
    let page = SettingsTab {
        chrome,
        customer,
        flash,
        form,
        errors,
        tags,
        tag_errors,
        profile,
        profile_errors,
    };
    Ok(render(status, &page))
}

/// The settings form holding the customer's saved settings.
fn saved(c: customer_settings::CustomerSettingsCustomer) -> SettingsForm {
    SettingsForm {
        csrf: String::new(),
        country: c.country.unwrap_or_default(),
        region: c.region.unwrap_or_default(),
        tax_number: c.tax_number.unwrap_or_default(),
        tax_exempt: c.tax_exempt.then(|| "on".into()),
        payment_terms_days: c.payment_terms_days.to_string(),
        po_number: c.po_number.unwrap_or_default(),
        invoice_notes: c.invoice_notes.unwrap_or_default(),
        cycle_unit: schema_name(&c.billing_cycle.interval),
        cycle_count: c.billing_cycle.interval_count.to_string(),
    }
}

/// `GET /admin/customers/{id}/settings`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(params): Query<SettingsParams>,
) -> Result<Response, PageError> {
    let flash = Flash::from_param(params.done.as_deref());
    settings_tab(&console, &visitor, &id, flash, Shown::Saved).await
}

/// `POST /admin/customers/{id}/settings`.
pub(super) async fn save(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let Ok(payment_terms_days) = form.payment_terms_days.trim().parse::<i64>() else {
        let errors = FormErrors::on("paymentTermsDays", "A whole number of days, 0 to 365.");
        return settings_tab(&console, &visitor, &id, None, Shown::Settings(form, errors)).await;
    };
    let (interval, interval_count) = match cycle::parse(
        &form.cycle_unit,
        &form.cycle_count,
        "billingCycle.interval",
        "billingCycle.intervalCount",
    ) {
        Ok(cycle) => cycle,
        Err(errors) => {
            return settings_tab(&console, &visitor, &id, None, Shown::Settings(form, errors))
                .await;
        }
    };
    // Every field is sent: blank clears the PO number and notes; the country and region as
    // typed (the API clears the region when only the country changes).
    let text = |value: &str| Some(value.trim().to_owned());
    let input = update_customer_billing_settings::UpdateCustomerBillingSettingsInput {
        customer_id: id.clone(),
        country: text(&form.country.to_uppercase()).filter(|c| !c.is_empty()),
        region: text(&form.region.to_uppercase()).filter(|r| !r.is_empty()),
        tax_number: text(&form.tax_number).filter(|t| !t.is_empty()),
        tax_exempt: Some(form.tax_exempt.is_some()),
        payment_terms_days: Some(payment_terms_days),
        po_number: text(&form.po_number),
        invoice_notes: text(&form.invoice_notes),
        billing_cycle: Some(update_customer_billing_settings::BillingCycleInput {
            interval,
            interval_count,
        }),
    };
    match console
        .run::<UpdateCustomerBillingSettings>(
            update_customer_billing_settings::Variables { input },
            Some(&visitor.session),
        )
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&Flash::SettingsSaved.href(&Route::CustomerSettings(id))).into_response(),
        ),
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| FIELDS.contains(&f))?;
            settings_tab(&console, &visitor, &id, None, Shown::Settings(form, errors)).await
        }
    }
}

/// `POST /admin/customers/{id}/tags`.
pub(super) async fn save_tags(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<TagsForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let input = set_customer_tags::SetCustomerTagsInput {
        customer_id: id.clone(),
        tags: form.list(),
    };
    match console
        .run::<SetCustomerTags>(
            set_customer_tags::Variables { input },
            Some(&visitor.session),
        )
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&Flash::TagsSaved.href(&Route::CustomerSettings(id))).into_response())
        }
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| f == "tags")?;
            settings_tab(&console, &visitor, &id, None, Shown::Tags(form, errors)).await
        }
    }
}
