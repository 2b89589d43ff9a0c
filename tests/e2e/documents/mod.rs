//! Documents: each finalised invoice's and credit note's PDF is rendered once, stored with its
//! SHA-256 on the row, and served byte for byte at `/invoices/{id}.pdf` and
//! `/credit-notes/{id}.pdf` to the document's customer users and staff only.

mod downloads;
pub mod pdf;
