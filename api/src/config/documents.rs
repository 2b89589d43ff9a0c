//! Settings for the documents Billfold issues: who issues them (the operator's details printed
//! on every invoice and credit note) and where the rendered PDFs are kept.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Secret;

/// The operator: the business that runs Billfold and issues the invoices. Printed on every
/// document and used as the sender of every e-mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Operator {
    /// Legal name, as it must appear on an invoice.
    pub name: String,
    /// Postal address, one line per entry.
    pub address: Vec<String>,
    /// VAT or other tax identification number.
    pub tax_id: Option<String>,
    /// Where customers write about invoices; printed on documents, and the `Reply-To` of mail.
    pub email: String,
    /// A PNG or SVG logo printed at the top of documents, read once at start.
    pub logo_file: Option<PathBuf>,
    /// How to pay, printed on every invoice that has an amount due (bank details, …).
    pub payment_instructions: Option<String>,
}

impl Default for Operator {
    /// The demo operator: a development server prints these; production must set its own.
    fn default() -> Self {
        Self {
            name: "Billfold Demo SAS".into(),
            address: vec![
                "10 rue de la Paix".into(),
                "75002 Paris".into(),
                "France".into(),
            ],
            tax_id: Some("FR40123456789".into()),
            email: "billing@billfold.example".into(),
            logo_file: None,
            payment_instructions: Some(
                "Pay by bank transfer to IBAN FR76 3000 6000 0112 3456 7890 189 (BIC AGRIFRPP), \
                 quoting the invoice number."
                    .into(),
            ),
        }
    }
}

/// Where documents (rendered PDFs, later uploads) are stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Storage {
    /// `local` (a directory) or `s3` (any S3-compatible service).
    pub backend: StorageBackend,
    /// The directory of the `local` backend; by default `<data_dir>/documents`.
    pub dir: Option<PathBuf>,
    /// The `s3` backend's settings.
    pub s3: S3,
}

impl Default for Storage {
    fn default() -> Self {
        Self {
            backend: StorageBackend::Local,
            dir: None,
            s3: S3::default(),
        }
    }
}

/// Which object store keeps documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    /// A directory on this machine: one instance, or a shared volume.
    Local,
    /// An S3-compatible bucket: any number of instances.
    S3,
}

/// An S3-compatible bucket.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3 {
    /// The bucket's name.
    pub bucket: String,
    /// The region (`us-east-1` for most S3-compatible services).
    pub region: String,
    /// The service's URL, for S3-compatible services other than AWS.
    pub endpoint: Option<String>,
    /// Access key id.
    pub access_key_id: Option<Secret>,
    /// Secret access key.
    pub secret_access_key: Option<Secret>,
    /// Allow a plain `http://` endpoint (a local test server only).
    pub allow_http: bool,
}
