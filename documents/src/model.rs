//! The documents' data: what the api hands over, display-ready.
//!
//! Every text is already formatted by the caller (money such as `"€1,234.50"`, dates such as
//! `"1 December 2026"`, rates such as `"20 %"`): this crate does no arithmetic on money and no
//! localisation, so an amount is printed exactly as `billing` computed it. The types serialise
//! (serde) into the `data.json` file the templates read; free text is only ever data there,
//! never typst markup.

use chrono::NaiveDate;
use serde::Serialize;

/// A seller or a buyer as printed on a document: a snapshot taken when the document was issued.
#[derive(Clone, Debug, Serialize)]
pub struct Party {
    /// The legal or trading name, printed in bold.
    pub name: String,
    /// The lines under the name, in order: company, address lines, e-mail, phone…
    pub lines: Vec<String>,
    /// The tax identifier (VAT number…) printed with its label, when there is one.
    pub tax_id: Option<String>,
}

/// The image format of a [`Logo`], which decides how typst decodes its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LogoFormat {
    /// A PNG raster image.
    Png,
    /// An SVG vector image (text in it is drawn with the embedded fonts).
    Svg,
}

impl LogoFormat {
    /// The virtual path the templates load the logo from: typst picks the decoder by extension.
    pub(crate) fn virtual_path(self) -> &'static str {
        match self {
            Self::Png => "/logo.png",
            Self::Svg => "/logo.svg",
        }
    }
}

/// The seller's logo, printed top left at most 14 mm high and 60 mm wide.
#[derive(Clone, Debug, Serialize)]
pub struct Logo {
    /// The image file's bytes, as configured.
    pub bytes: Vec<u8>,
    /// How to decode `bytes`.
    pub format: LogoFormat,
}

/// One row of a document's lines table.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentLine {
    /// What was sold; printed literally, wrapping inside its column.
    pub description: String,
    /// The service period, printed under the description in a smaller grey line.
    pub service_period: Option<String>,
    /// The quantity as displayed (`"3"`, `"1,250 min"`); the column is left out when no line
    /// has one (a credit note credits amounts, not quantities).
    pub quantity: Option<String>,
    /// The unit price; the column is left out when no line has one.
    pub unit_price: Option<String>,
    /// The line's tax rate (`"20 %"`); the column is left out when no line has one.
    pub tax_rate: Option<String>,
    /// The line's amount, right-aligned.
    pub amount: String,
}

/// A labelled amount of the totals block: one per tax rate, such as `"VAT 20 %"` / `"€12.00"`.
#[derive(Clone, Debug, Serialize)]
pub struct Labelled {
    /// What the amount is.
    pub label: String,
    /// The amount as displayed.
    pub amount: String,
}

/// Everything printed on an invoice.
#[derive(Clone, Debug, Serialize)]
pub struct InvoiceDocument {
    /// The operator issuing the invoice.
    pub seller: Party,
    /// The operator's logo; a virtual file beside `data.json`, not part of it.
    #[serde(skip)]
    pub logo: Option<Logo>,
    /// The customer's billing snapshot.
    pub buyer: Party,
    /// The invoice number; it also seeds the PDF's document identifier.
    pub number: String,
    /// The document's own date: typst's `today()` and the PDF's creation date, so that the
    /// same data renders to the same bytes on any day.
    pub date: NaiveDate,
    /// The issue date as displayed.
    pub issue_date: String,
    /// The due date as displayed.
    pub due_date: String,
    /// The billing period as displayed (`"1 – 31 December 2026"`).
    pub period: Option<String>,
    /// The customer's purchase order number.
    pub po_number: Option<String>,
    /// The status as displayed (`"Open"`, `"Paid"`, `"Void"`, `"Draft"`…). Paid, void and
    /// draft invoices also carry a large mark beside the title.
    pub status: String,
    /// The ISO currency code, printed under the table (`"All amounts in EUR"`).
    pub currency: String,
    /// The lines, in order.
    pub lines: Vec<DocumentLine>,
    /// The sum of the lines before discount and tax.
    pub subtotal: String,
    /// The whole-invoice discount, as displayed (usually negative, `"−€10.00"`).
    pub discount: Option<String>,
    /// The tax per rate.
    pub taxes: Vec<Labelled>,
    /// The invoice total.
    pub total: String,
    /// Credit balance applied to this invoice, as displayed.
    pub credits_applied: Option<String>,
    /// What the customer still owes; the emphasised figure.
    pub amount_due: String,
    /// How to pay (bank details, a link…); line breaks are kept.
    pub payment_instructions: Option<String>,
    /// Free notes printed after the totals; line breaks are kept.
    pub notes: Option<String>,
}

/// Everything printed on a credit note.
#[derive(Clone, Debug, Serialize)]
pub struct CreditNoteDocument {
    /// The operator issuing the credit note.
    pub seller: Party,
    /// The operator's logo; a virtual file beside `data.json`, not part of it.
    #[serde(skip)]
    pub logo: Option<Logo>,
    /// The customer's billing snapshot.
    pub buyer: Party,
    /// The credit note number; it also seeds the PDF's document identifier.
    pub number: String,
    /// The document's own date (typst's `today()`, the PDF's creation date).
    pub date: NaiveDate,
    /// The issue date as displayed.
    pub issue_date: String,
    /// The number of the invoice this credit note corrects.
    pub invoice_number: String,
    /// Why the credit was issued, printed under the header.
    pub reason: String,
    /// The ISO currency code, printed under the table.
    pub currency: String,
    /// The credited lines, in order.
    pub lines: Vec<DocumentLine>,
    /// The sum of the lines before tax.
    pub subtotal: String,
    /// The tax per rate.
    pub taxes: Vec<Labelled>,
    /// The credit note total.
    pub total: String,
    /// The part of the total applied to the invoice, as displayed.
    pub applied_to_invoice: Option<String>,
    /// The part of the total added to the customer's credit balance, as displayed.
    pub credited_to_balance: Option<String>,
    /// Free notes printed after the totals; line breaks are kept.
    pub notes: Option<String>,
}

/// One item's total on a consumption export.
#[derive(Clone, Debug, Serialize)]
pub struct ConsumptionTotal {
    /// The product ("Outbound minutes").
    pub product: String,
    /// How many records, as displayed.
    pub records: String,
    /// The summed quantity, as displayed.
    pub quantity: String,
    /// Its amount as `billing` priced it, when the price gives one (per-unit prices).
    pub amount: Option<String>,
}

/// One usage record on a consumption export.
#[derive(Clone, Debug, Serialize)]
pub struct ConsumptionLine {
    /// When it started, as displayed in the customer's time zone.
    pub when: String,
    /// The product.
    pub product: String,
    /// Who used it: member and team, as displayed (empty when unknown).
    pub who: String,
    /// The telephone number, if any.
    pub number: Option<String>,
    /// The quantity, as displayed.
    pub quantity: String,
}

/// A detailed consumption export: the selection, its totals and its records.
#[derive(Clone, Debug, Serialize)]
pub struct ConsumptionDocument {
    /// The operator, in the header and footer.
    pub seller: Party,
    /// The organisation whose consumption it is.
    pub buyer: Party,
    /// The export's reference (the range, `"2026-11-01 – 2026-11-30"`): the footer prints it
    /// and it seeds the PDF's identifier.
    pub number: String,
    /// The document's own date (typst's `today()`, the PDF's creation date).
    pub date: NaiveDate,
    /// When it was made, as displayed.
    pub issue_date: String,
    /// The date range, as displayed.
    pub period: String,
    /// The filters of the selection (`"Team"` / `"Sales"`); empty: everything.
    pub filters: Vec<Labelled>,
    /// One per item with usage.
    pub totals: Vec<ConsumptionTotal>,
    /// How many records the selection has, as displayed.
    pub record_count: String,
    /// The records printed, oldest first (all of them, or the first ones, see `truncated`).
    pub lines: Vec<ConsumptionLine>,
    /// Why not every record is printed (the selection is above the PDF's row limit), printed
    /// above the table; `None` when they all are.
    pub truncated: Option<String>,
}
