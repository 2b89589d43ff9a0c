//! The documents page: the banner of documents the organisation is asked for, its documents
//! newest first (type, name, review, a download link), and, for owners and billing admins, the
//! upload form (a multipart form: type, the address a proof of address proves, the file).

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::dates::CustomerZone;
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{AddressVerification, Documents, documents};
use crate::route::Route;
use crate::session::Visitor;
use crate::transport::DocumentUpload;

/// The largest file the vault accepts (the API refuses one byte more).
const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The largest upload form the portal reads: the file and the form's other fields.
pub(super) const MAX_FORM_BYTES: usize = MAX_FILE_BYTES + 64 * 1024;
/// The fields of the upload form, as the API names them.
const FIELDS: [&str; 3] = ["type", "addressId", "file"];

/// The document types a customer uploads: (form value, label). Contracts are the operator's
/// to publish, but a customer may send a signed one back.
const TYPES: [(&str, &str); 6] = [
    ("company_registration", "Company registration certificate"),
    ("contract", "Contract"),
    ("iban_mandate", "IBAN mandate"),
    ("portability_mandate", "Portability mandate"),
    ("proof_of_address", "Proof of address"),
    ("other", "Other document"),
];

/// The documents page.
#[derive(Template)]
#[template(path = "vault/documents.html")]
struct DocumentsPage {
    /// The frame.
    chrome: Chrome,
    /// Whether the user may upload (viewers may not: no form is shown).
    can_change: bool,
    /// A confirmation to show.
    notice: Option<String>,
    /// What the organisation is asked for, as sentences.
    required: Vec<String>,
    /// The documents, newest first.
    documents: Vec<DocumentRow>,
    /// The next page of older documents, if any.
    older: Option<Route>,
    /// Whether this is a later page (a link back to the newest).
    later_page: bool,
    /// The upload form.
    form: UploadForm,
}

/// A document as the page lists it.
struct DocumentRow {
    /// The type, for people.
    kind: &'static str,
    /// The file's name.
    file_name: String,
    /// Its size, for people ("1.2 MB").
    size: String,
    /// Where it is downloaded (the API's route).
    href: String,
    /// The review as a badge: (class, text).
    status: (&'static str, &'static str),
    /// Why it was rejected.
    rejection: Option<String>,
    /// When it was uploaded, for people.
    uploaded: String,
    /// Published by the operator.
    published: bool,
    /// The address a proof of address proves, for people.
    proves: Option<String>,
}

/// The upload form's values and its refusal.
struct UploadForm {
    /// The type chosen (its form value).
    kind: String,
    /// The address chosen.
    address: String,
    /// The organisation's addresses: (id, one line, and whether it still needs a proof).
    addresses: Vec<(String, String)>,
    /// What was wrong.
    errors: FormErrors,
}

impl UploadForm {
    /// The types for the select: (value, label).
    fn types(&self) -> Vec<(&'static str, &'static str)> {
        TYPES.to_vec()
    }
}

/// The type of a document for people.
fn kind_label(kind: &documents::DocumentType) -> &'static str {
    use documents::DocumentType::*;
    match kind {
        COMPANY_REGISTRATION => "Company registration certificate",
        CONTRACT => "Contract",
        IBAN_MANDATE => "IBAN mandate",
        PORTABILITY_MANDATE => "Portability mandate",
        PROOF_OF_ADDRESS => "Proof of address",
        OTHER | Other(_) => "Other document",
    }
}

/// A size in bytes for people.
fn size_text(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{} KB", b / 1024),
        b => format!(
            "{}.{} MB",
            b / (1024 * 1024),
            (b % (1024 * 1024)) * 10 / (1024 * 1024)
        ),
    }
}

/// Which page of documents.
#[derive(Deserialize)]
pub(super) struct PageQuery {
    after: Option<String>,
    /// The address a proof is for, preselected (the addresses page links here with it).
    address: Option<String>,
}

/// `GET /vault[?after=…][&address=addr_…]`.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    flash: Option<Flash>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let notice = flash.map(Flash::message);
    let form = match query.address {
        Some(address) if !address.is_empty() => ("proof_of_address".to_owned(), address),
        _ => (String::new(), String::new()),
    };
    render_page(
        &portal,
        &visitor,
        StatusCode::OK,
        notice,
        query.after.filter(|a| !a.is_empty()),
        form,
        FormErrors::none(),
    )
    .await
}

/// The page, with a confirmation or the upload form shown again with its refusal.
async fn render_page(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    notice: Option<String>,
    after: Option<String>,
    (kind, address): (String, String),
    errors: FormErrors,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Documents>(
            documents::Variables {
                after: after.clone(),
            },
            Some(&visitor.session),
        )
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let zone = CustomerZone::named(&organisation.time_zone);
    let addresses: Vec<(String, String)> = organisation
        .billing_addresses
        .iter()
        .map(|a| {
            let to_verify = a.verification == AddressVerification::UNVERIFIED;
            let suffix = if to_verify { " (to verify)" } else { "" };
            (a.id.clone(), format!("{}{suffix}", a.lines.join(", ")))
        })
        .collect();
    let required = organisation
        .required_documents
        .iter()
        .map(|r| {
            format!(
                "Your default billing address changed on {}: please upload your {} (one issued \
                 since then).",
                zone.day_at(r.required_since),
                kind_label(&r.type_).to_lowercase()
            )
        })
        .collect();
    let documents = organisation
        .documents
        .nodes
        .into_iter()
        .map(|d| {
            use documents::DocumentStatus::*;
            DocumentRow {
                kind: kind_label(&d.type_),
                size: size_text(d.size_bytes),
                href: d.download_url,
                status: match d.status {
                    PENDING => ("badge warn", "Waiting for review"),
                    ACCEPTED => ("badge ok", "Accepted"),
                    REJECTED | Other(_) => ("badge danger", "Rejected"),
                },
                rejection: d.rejection_reason,
                uploaded: zone.day_at(d.uploaded_at),
                published: d.published,
                proves: d
                    .address_id
                    .and_then(|id| addresses.iter().find(|a| a.0 == id))
                    .map(|a| a.1.trim_end_matches(" (to verify)").to_owned()),
                file_name: d.file_name,
            }
        })
        .collect();
    let page_info = organisation.documents.page_info;
    let older = page_info
        .has_next_page
        .then_some(page_info.end_cursor)
        .flatten()
        .map(Route::DocumentsAfter);
    let page = DocumentsPage {
        chrome: visitor.chrome(
            Nav::Documents,
            data.viewer.user.name,
            Some(organisation.name),
        ),
        can_change: data.viewer.user.role.can_change(),
        notice,
        required,
        documents,
        older,
        later_page: after.is_some(),
        form: UploadForm {
            kind,
            address,
            addresses,
            errors,
        },
    };
    Ok(render(status, &page))
}

/// The upload form as read from its multipart body.
#[derive(Default)]
struct UploadFields {
    csrf: String,
    kind: String,
    address: String,
    file_name: String,
    bytes: Vec<u8>,
    /// Whether the body was larger than the portal reads.
    too_large: bool,
}

impl UploadFields {
    /// Reads every field; a body cut off for its size leaves `too_large` set.
    async fn read(mut multipart: Multipart) -> Self {
        let mut fields = Self::default();
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(error) => {
                    fields.too_large = error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                    break;
                }
            };
            let name = field.name().unwrap_or_default().to_owned();
            if name == "file" {
                fields.file_name = field.file_name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(bytes) => fields.bytes = bytes.to_vec(),
                    Err(error) => {
                        fields.too_large = error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                        break;
                    }
                }
                continue;
            }
            let Ok(value) = field.text().await else {
                break;
            };
            match name.as_str() {
                "csrf" => fields.csrf = value,
                "type" => fields.kind = value,
                "address" => fields.address = value,
                _ => {}
            }
        }
        fields
    }
}

/// `POST /vault/upload` (multipart).
pub(super) async fn upload(
    State(portal): State<Portal>,
    visitor: Visitor,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let fields = UploadFields::read(multipart).await;
    let typed = (fields.kind.clone(), fields.address.clone());
    let refused = if fields.too_large {
        // Nothing was changed: showing the form again needs no token.
        FormErrors::on("file", "The file is larger than 10 MiB.")
    } else {
        visitor.verify_form(&fields.csrf)?;
        if fields.bytes.is_empty() && fields.file_name.is_empty() {
            FormErrors::on("file", "Choose the file to upload.")
        } else if fields.kind.is_empty() {
            FormErrors::on("type", "Choose what the document is.")
        } else {
            let upload = DocumentUpload {
                kind: fields.kind,
                file_name: fields.file_name,
                address_id: Some(fields.address).filter(|a| !a.is_empty()),
                bytes: fields.bytes,
            };
            match portal.upload(upload, &visitor.session).await {
                Ok(_) => {
                    return Ok(Flash::Saved(Saved::DocumentUploaded)
                        .redirect(&Route::Documents)
                        .into_response());
                }
                Err(error) => FormErrors::from_refusal(error, &FIELDS)?,
            }
        }
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_page(&portal, &visitor, status, None, None, typed, refused).await
}

#[cfg(test)]
mod tests {
    use super::size_text;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(size_text(512), "512 bytes");
        assert_eq!(size_text(200_000), "195 KB");
        assert_eq!(size_text(10 * 1024 * 1024), "10.0 MB");
        assert_eq!(size_text(1_572_864), "1.5 MB");
    }
}
