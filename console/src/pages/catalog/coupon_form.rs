//! The coupon form of `/admin/catalog/coupons`: its fields as typed, read from the posted
//! pairs (the products it is limited to are a multiple select, one pair each), and turned into
//! `createCoupon`'s input, or what is wrong with it before asking the API.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::form::FormErrors;
use crate::operations::create_coupon;

/// The create form, as typed.
#[derive(Default, Deserialize)]
pub(super) struct CouponForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) code: String,
    #[serde(default)]
    pub(super) name: String,
    /// `percent` or `amount`.
    #[serde(default)]
    pub(super) off: String,
    #[serde(default)]
    pub(super) percent_off: String,
    #[serde(default)]
    pub(super) amount_off: String,
    #[serde(default)]
    pub(super) currency: String,
    #[serde(default)]
    pub(super) duration: String,
    #[serde(default)]
    pub(super) duration_periods: String,
    #[serde(default)]
    pub(super) max_redemptions: String,
    #[serde(default)]
    pub(super) expires_on: String,
    /// The products (`prod_…`) it is limited to; none: the whole invoice.
    #[serde(skip)]
    pub(super) products: Vec<String>,
}

impl CouponForm {
    /// The form from its posted pairs: every `products` pair is one product chosen.
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let (products, fields): (Vec<_>, Vec<_>) =
            pairs.into_iter().partition(|(key, _)| key == "products");
        let fields: serde_json::Map<String, serde_json::Value> = fields
            .into_iter()
            .map(|(key, value)| (key, serde_json::Value::String(value)))
            .collect();
        let mut form: Self =
            serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default();
        form.products = products
            .into_iter()
            .map(|(_, id)| id)
            .filter(|id| !id.is_empty())
            .collect();
        form
    }
}

/// An optional whole number typed in `field`.
fn optional_count(text: &str, field: &str) -> Result<Option<i64>, FormErrors> {
    match text.trim() {
        "" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| FormErrors::on(field, "A whole number.")),
    }
}

/// The form read as `createCoupon`'s input, or what is wrong with it before asking.
pub(super) fn coupon_input(
    form: &CouponForm,
) -> Result<create_coupon::CreateCouponInput, FormErrors> {
    use create_coupon::CouponDuration as D;
    let duration = match form.duration.as_str() {
        "ONCE" => D::ONCE,
        "REPEATING" => D::REPEATING,
        "FOREVER" => D::FOREVER,
        _ => return Err(FormErrors::on("duration", "Choose how long it discounts.")),
    };
    let (percent_off, amounts_off) = match form.off.as_str() {
        "percent" => (Some(form.percent_off.trim().to_owned()), None),
        "amount" => (
            None,
            Some(vec![create_coupon::CouponAmountInput {
                currency: form.currency.trim().to_uppercase(),
                amount: form.amount_off.trim().to_owned(),
            }]),
        ),
        _ => return Err(FormErrors::on("off", "Choose a percentage or an amount.")),
    };
    let expires_on = match form.expires_on.trim() {
        "" => None,
        date => Some(
            NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| FormErrors::on("expiresOn", "A day, as 2026-12-31."))?,
        ),
    };
    Ok(create_coupon::CreateCouponInput {
        code: form.code.trim().to_owned(),
        name: form.name.trim().to_owned(),
        percent_off,
        amounts_off,
        duration,
        duration_periods: optional_count(&form.duration_periods, "durationPeriods")?,
        product_ids: Some(form.products.clone()).filter(|ids| !ids.is_empty()),
        max_redemptions: optional_count(&form.max_redemptions, "maxRedemptions")?,
        expires_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_product_chosen_is_kept_and_the_rest_read_as_fields() {
        let pairs = [
            ("csrf", "t"),
            ("code", "VOIP"),
            ("products", "prod_a"),
            ("products", ""),
            ("products", "prod_b"),
            ("unknown", "ignored"),
        ];
        let form = CouponForm::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        assert_eq!(form.code, "VOIP");
        assert_eq!(form.csrf, "t");
        assert_eq!(form.products, ["prod_a", "prod_b"]);
    }
}
