//! The "E-mails" section of an invoice's page: what was sent for the invoice, to whom, and
//! where it is, in words ("Sent on 1 Dec 2026 at 10:04", "Waiting to be sent", "Could not be
//! delivered"), never the schema's codes, with times in the customer's zone.

use crate::dates::CustomerZone;
use crate::operations::invoice::{EmailKind, EmailStatus, InvoiceViewerOrganisationInvoiceEmails};

/// One e-mail as the section lists it.
pub(super) struct EmailRow {
    /// What it carried: "The invoice, when issued", "A copy, on request".
    pub what: &'static str,
    /// The address it goes to.
    pub recipient: String,
    /// Where it is, and when: "Sent on 1 Dec 2026 at 10:04".
    pub status: String,
    /// Whether it was given up on (the page then says what to do instead).
    pub failed: bool,
}

/// The rows of `emails` (oldest first, as the API lists them), times in `zone`.
pub(super) fn email_rows(
    emails: Vec<InvoiceViewerOrganisationInvoiceEmails>,
    zone: &CustomerZone,
) -> Vec<EmailRow> {
    emails
        .into_iter()
        .map(|email| EmailRow {
            what: what(&email.kind),
            status: status(&email, zone),
            failed: matches!(email.status, EmailStatus::FAILED),
            recipient: email.recipient,
        })
        .collect()
}

fn what(kind: &EmailKind) -> &'static str {
    match kind {
        EmailKind::INVOICE => "The invoice, when issued",
        EmailKind::INVOICE_COPY => "A copy, on request",
        EmailKind::CREDIT_NOTE => "A credit note",
        EmailKind::PAYMENT_RECEIPT => "A payment receipt",
        EmailKind::PAYMENT_FAILED => "A failed payment notice",
        // An invoice's e-mails are never invitations; a new kind reads as an e-mail.
        EmailKind::INVITATION | EmailKind::Other(_) => "An e-mail",
    }
}

fn status(email: &InvoiceViewerOrganisationInvoiceEmails, zone: &CustomerZone) -> String {
    match email.status {
        EmailStatus::SENT => match email.sent_at {
            Some(at) => format!("Sent on {}", zone.day_at(at)),
            None => "Sent".to_owned(),
        },
        // A first attempt is seconds away; after a failed one, say when the next is.
        EmailStatus::PENDING => match email.next_attempt_at {
            Some(at) if email.attempts > 0 => {
                format!("Waiting to be sent: trying again on {}", zone.day_at(at))
            }
            _ => "Waiting to be sent".to_owned(),
        },
        EmailStatus::FAILED => "Could not be delivered".to_owned(),
        EmailStatus::Other(_) => "Unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(status: EmailStatus, attempts: i64) -> InvoiceViewerOrganisationInvoiceEmails {
        let at = |text: &str| Some(text.parse().expect("an instant"));
        InvoiceViewerOrganisationInvoiceEmails {
            id: "msg_1".into(),
            kind: EmailKind::INVOICE_COPY,
            recipient: "ada@acme.example".into(),
            status,
            attempts,
            created_at: "2026-12-01T09:03:00Z".parse().expect("an instant"),
            sent_at: at("2026-12-01T09:04:00Z"),
            next_attempt_at: at("2026-12-01T09:19:00Z"),
        }
    }

    #[test]
    fn each_status_reads_as_words_in_the_customers_time() {
        let paris = CustomerZone::named("Europe/Paris");
        let rows = email_rows(
            vec![
                email(EmailStatus::SENT, 1),
                email(EmailStatus::PENDING, 0),
                email(EmailStatus::PENDING, 2),
                email(EmailStatus::FAILED, 8),
            ],
            &paris,
        );
        let statuses: Vec<_> = rows.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(
            statuses,
            [
                "Sent on 1 Dec 2026 at 10:04",
                "Waiting to be sent",
                "Waiting to be sent: trying again on 1 Dec 2026 at 10:19",
                "Could not be delivered",
            ]
        );
        assert_eq!(
            rows.iter().map(|r| r.failed).collect::<Vec<_>>(),
            [false, false, false, true]
        );
        assert_eq!(rows[0].what, "A copy, on request");
        assert_eq!(rows[0].recipient, "ada@acme.example");
    }
}
