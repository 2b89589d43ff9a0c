//! The charges form as typed: a few rows (an addon or a quick charge each), a PO number and
//! notes, read from the posted fields, carried from the form to the preview and on to the
//! creation in hidden fields, and turned into the API's input. Blank rows are left out, so
//! the API's `input.charges.<n>` counts the rows that were filled: [`ChargesForm::field_id`]
//! maps its field names back to the form's.

use std::collections::HashMap;

use crate::form::{FormErrors, InputField};

/// Rows the form offers at first.
pub const ROWS: usize = 3;
/// Most rows the form grows to ("Add a line", a submit button: without JavaScript the server
/// draws the form again with one more row). One invoice of quick charges is short; a bound
/// keeps a hand-made `rows` from drawing a page of thousands of fields.
pub const MAX_ROWS: usize = 30;

/// The `action` of the "Add a line" button.
pub const ADD_LINE: &str = "add_line";

/// One row: an addon (`product` set) or a quick charge (an amount).
#[derive(Clone, Debug, Default)]
pub struct ChargeRow {
    /// The one-time product (`prod_…`) of an addon; empty for a quick charge.
    pub product: String,
    /// The invoice line's text.
    pub description: String,
    /// A quick charge's amount, or an addon's unit price instead of its product's.
    pub amount: String,
    /// An addon's quantity.
    pub quantity: String,
}

impl ChargeRow {
    /// Whether nothing was typed in the row.
    fn is_blank(&self) -> bool {
        [
            &self.product,
            &self.description,
            &self.amount,
            &self.quantity,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }
}

/// One charge as the API takes it (the fields of `ChargeInput` the form fills).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeValues {
    /// `description`.
    pub description: Option<String>,
    /// `amount` (a quick charge).
    pub amount: Option<String>,
    /// `productId` (an addon).
    pub product_id: Option<String>,
    /// `quantity`.
    pub quantity: Option<String>,
    /// `unitPrice` (an addon's own price).
    pub unit_price: Option<String>,
}

/// The whole form.
#[derive(Clone, Debug, Default)]
pub struct ChargesForm {
    /// The CSRF token it carried.
    pub csrf: String,
    /// The rows, [`ROWS`] to [`MAX_ROWS`] of them.
    pub rows: Vec<ChargeRow>,
    /// The customer's purchase order number.
    pub po_number: String,
    /// Notes for the invoice.
    pub notes: String,
    /// Whether staff confirmed charging a customer with unpaid invoices.
    pub confirm_unpaid: bool,
    /// The button pressed (`edit` on the preview goes back to the form).
    pub action: String,
    /// `invoice_now` or `unbilled`, on creation.
    pub timing: String,
    /// The idempotency key of the creation, chosen when the preview was shown.
    pub key: String,
}

/// Text of an optional field: trimmed, `None` when empty.
fn optional(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

impl ChargesForm {
    /// An empty form.
    pub fn blank() -> Self {
        Self {
            rows: vec![ChargeRow::default(); ROWS],
            ..Self::default()
        }
    }

    /// The form as posted: as many rows as its `rows` field says (within bounds), one more
    /// when "Add a line" was pressed.
    pub fn from_fields(mut fields: HashMap<String, String>) -> Self {
        let mut take = |name: &str| fields.remove(name).unwrap_or_default();
        let mut count = take("rows")
            .parse::<usize>()
            .unwrap_or(ROWS)
            .clamp(ROWS, MAX_ROWS);
        let action = take("action");
        if action == ADD_LINE {
            count = (count + 1).min(MAX_ROWS);
        }
        let rows = (0..count)
            .map(|i| ChargeRow {
                product: take(&format!("product_{i}")),
                description: take(&format!("description_{i}")),
                amount: take(&format!("amount_{i}")),
                quantity: take(&format!("quantity_{i}")),
            })
            .collect();
        Self {
            csrf: take("csrf"),
            rows,
            po_number: take("po_number"),
            notes: take("notes"),
            confirm_unpaid: take("confirm_unpaid") == "yes",
            action,
            timing: take("timing"),
            key: take("key"),
        }
    }

    /// The form's values as hidden fields (name, value), to carry them through the preview.
    pub fn hidden(&self) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            fields.push((format!("product_{i}"), row.product.clone()));
            fields.push((format!("description_{i}"), row.description.clone()));
            fields.push((format!("amount_{i}"), row.amount.clone()));
            fields.push((format!("quantity_{i}"), row.quantity.clone()));
        }
        fields.push(("rows".into(), self.rows.len().to_string()));
        fields.push(("po_number".into(), self.po_number.clone()));
        fields.push(("notes".into(), self.notes.clone()));
        fields.push(("key".into(), self.key.clone()));
        fields
    }

    /// The rows that were filled, by their position in the form.
    fn submitted(&self) -> Vec<usize> {
        (0..self.rows.len())
            .filter(|&i| !self.rows[i].is_blank())
            .collect()
    }

    /// The charges to send, in row order: a row with a product is an addon (its amount, if
    /// any, is its unit price), any other a quick charge. What a row means is the API's to
    /// judge: a quantity on a quick charge is sent, and refused next to the field.
    pub fn charges(&self) -> Vec<ChargeValues> {
        self.submitted()
            .into_iter()
            .map(|i| {
                let row = &self.rows[i];
                let product_id = optional(&row.product);
                let addon = product_id.is_some();
                ChargeValues {
                    description: optional(&row.description),
                    amount: optional(&row.amount).filter(|_| !addon),
                    unit_price: optional(&row.amount).filter(|_| addon),
                    quantity: optional(&row.quantity),
                    product_id,
                }
            })
            .collect()
    }

    /// The PO number to send.
    pub fn po_number(&self) -> Option<String> {
        optional(&self.po_number)
    }

    /// The notes to send.
    pub fn notes(&self) -> Option<String> {
        optional(&self.notes)
    }

    /// The form field an API field (`input.charges.1.unitPrice`) is about, if it is one of
    /// the form's.
    pub fn field_id(&self, api_field: &str) -> Option<String> {
        let name = api_field.strip_prefix("input.").unwrap_or(api_field);
        match name {
            "poNumber" => return Some("po_number".into()),
            "notes" => return Some("notes".into()),
            _ => {}
        }
        let mut parts = name.splitn(3, '.');
        let (Some("charges"), Some(index), Some(field)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let row = *self.submitted().get(index.parse::<usize>().ok()?)?;
        let field = match field {
            "description" => "description",
            "amount" | "unitPrice" => "amount",
            "quantity" => "quantity",
            "productId" => "product",
            _ => return None,
        };
        Some(format!("{field}_{row}"))
    }

    /// The text fields of row `i`, with `errors`' message beside the one at fault.
    pub fn row_fields(&self, i: usize, errors: &FormErrors) -> Vec<InputField> {
        let row = &self.rows[i];
        let id = |name: &str| format!("{name}_{i}");
        vec![
            InputField::text(
                id("description"),
                "Description",
                &row.description,
                errors,
                &id("description"),
            )
            .hint("The invoice line. An addon's defaults to its product's name."),
            InputField::text(id("amount"), "Amount", &row.amount, errors, &id("amount")).hint(
                "A quick charge's amount; for an addon, its unit price if not the product's.",
            ),
            InputField::text(
                id("quantity"),
                "Quantity",
                &row.quantity,
                errors,
                &id("quantity"),
            )
            .hint("An addon's quantity (1 when empty)."),
        ]
    }

    /// The PO number and notes fields.
    pub fn invoice_fields(&self, errors: &FormErrors) -> Vec<InputField> {
        vec![
            InputField::text(
                "po_number".into(),
                "PO number",
                &self.po_number,
                errors,
                "po_number",
            )
            .hint("The customer's purchase order number, printed on the invoice."),
            InputField::text("notes".into(), "Notes", &self.notes, errors, "notes")
                .hint("Printed on the invoice."),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> ChargesForm {
        ChargesForm::from_fields(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn add_a_line_grows_the_form_by_one_row_within_bounds() {
        let posted = |rows: &str, action: &str| {
            let mut fields = HashMap::from([
                ("rows".to_owned(), rows.to_owned()),
                ("action".to_owned(), action.to_owned()),
                ("description_3".to_owned(), "Fourth line".to_owned()),
            ]);
            fields.insert("amount_3".into(), "5".into());
            ChargesForm::from_fields(fields)
        };
        assert_eq!(posted("3", ADD_LINE).rows.len(), 4);
        // The fourth row's values are read once the form has four rows.
        let four = posted("4", "preview");
        assert_eq!(four.rows.len(), 4);
        assert_eq!(four.rows[3].description, "Fourth line");
        assert_eq!(
            four.hidden()
                .iter()
                .find(|(k, _)| k == "rows")
                .map(|(_, v)| v.as_str()),
            Some("4")
        );
        // Bounded both ways, and a count that is not one is the first form's.
        assert_eq!(posted("1", "preview").rows.len(), ROWS);
        assert_eq!(posted("many", "preview").rows.len(), ROWS);
        assert_eq!(posted("100000", ADD_LINE).rows.len(), MAX_ROWS);
    }

    #[test]
    fn blank_rows_are_left_out_and_errors_find_their_row() {
        let f = form(&[
            ("description_1", "Cabling"),
            ("amount_1", "150"),
            ("product_2", "prod_1"),
            ("amount_2", "9.5"),
            ("quantity_2", "2"),
            ("po_number", " PO-7 "),
        ]);
        let charges = f.charges();
        assert_eq!(charges.len(), 2);
        assert_eq!(charges[0].amount.as_deref(), Some("150"));
        assert_eq!(charges[1].unit_price.as_deref(), Some("9.5"));
        assert_eq!(charges[1].amount, None);
        assert_eq!(f.po_number().as_deref(), Some("PO-7"));
        // The API's second charge is the form's third row.
        assert_eq!(
            f.field_id("input.charges.1.unitPrice").as_deref(),
            Some("amount_2")
        );
        assert_eq!(
            f.field_id("input.charges.0.quantity").as_deref(),
            Some("quantity_1")
        );
        assert_eq!(f.field_id("input.poNumber").as_deref(), Some("po_number"));
        assert_eq!(f.field_id("input.charges"), None);
        assert_eq!(f.field_id("input.charges.5.amount"), None);
    }

    #[test]
    fn values_survive_the_hidden_fields() {
        let f = form(&[
            ("description_0", "Setup"),
            ("amount_0", "99"),
            ("notes", "n"),
        ]);
        let back = ChargesForm::from_fields(f.hidden().into_iter().collect());
        assert_eq!(back.charges(), f.charges());
        assert_eq!(back.notes(), f.notes());
    }
}
