//! The demo organisations' documents, for `cargo run` (the tests start from an empty vault):
//! Acme's billing admin uploaded its company registration certificate, which the operator
//! accepted, and a proof of address for its Madrid address, which waits for review (accepting
//! it, as the README shows, verifies the address). Uploaded and reviewed through the same
//! services as the portal and the API, so the demo obeys the same rules and audit log.

use entity::user::UserRole;
use entity::{billing_address, customer, user};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::admin_actor;
use crate::BoxError;
use crate::auth::{Actor, AuthenticatedActor};
use crate::services::Services;
use crate::services::vault::review::Decision;
use crate::services::vault::upload::NewDocument;

/// A one-page PDF saying `lines`, with a correct cross-reference table.
fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT /F1 14 Tf 72 760 Td 18 TL");
    for line in lines {
        let escaped = line
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        text.push_str(&format!(" ({escaped}) '"));
    }
    text.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", index + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Adds Acme's two documents.
pub(super) async fn seed_documents(
    db: &DatabaseConnection,
    services: &Services,
) -> Result<(), BoxError> {
    let error = |e| format!("{e:?}");
    let acme = customer::Entity::find()
        .filter(customer::Column::Name.eq("Acme Telecom"))
        .one(db)
        .await?
        .ok_or("demo organisation missing")?;
    let billing = user::Entity::find()
        .filter(user::Column::CustomerId.eq(acme.id))
        .filter(user::Column::Role.eq(UserRole::BillingAdmin))
        .one(db)
        .await?
        .ok_or("demo billing admin missing")?;
    let billing = Actor::User(AuthenticatedActor {
        user_id: billing.id,
        role: billing.role.into(),
        tenant: Some(acme.id),
    });
    let madrid = billing_address::Entity::find()
        .filter(billing_address::Column::CustomerId.eq(acme.id))
        .filter(billing_address::Column::Country.eq("ES"))
        .one(db)
        .await?
        .ok_or("demo Madrid address missing")?;
    let now = services.clock.now();
    let certificate = NewDocument {
        customer: None,
        kind: "company_registration".into(),
        file_name: "Extrait Kbis Acme Telecom.pdf".into(),
        address: None,
        bytes: pdf(&[
            "Extrait Kbis",
            "Acme Telecom SAS - RCS Paris 123 456 789",
            "12 Rue de la Paix, 75002 Paris",
        ]),
    };
    let certificate = services
        .vault
        .upload(&billing, None, certificate, now)
        .await
        .map_err(error)?;
    services
        .vault
        .review(
            &admin_actor(db).await?,
            None,
            certificate.id,
            Decision::Accept,
            now,
        )
        .await
        .map_err(error)?;
    let proof = NewDocument {
        customer: None,
        kind: "proof_of_address".into(),
        file_name: "Factura electricidad Madrid.pdf".into(),
        address: Some(madrid.id),
        bytes: pdf(&[
            "Factura de electricidad",
            "Acme Telecom - Calle de Alcala 45, Planta 3",
            "28014 Madrid",
        ]),
    };
    services
        .vault
        .upload(&billing, None, proof, now)
        .await
        .map_err(error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::pdf;

    #[test]
    fn the_demo_pdf_is_one_with_its_objects_where_the_table_says() {
        let bytes = pdf(&["Hello (world)"]);
        let text = String::from_utf8(bytes.clone()).expect("ASCII");
        assert!(text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"));
        assert!(text.contains("(Hello \\(world\\)) '"));
        // Each offset of the table points at its object.
        let table = text.split("xref\n").nth(1).expect("a table");
        for (number, line) in table.lines().skip(2).take(5).enumerate() {
            let offset: usize = line[..10].parse().expect("an offset");
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", number + 1)),
                "{line}"
            );
        }
    }
}
