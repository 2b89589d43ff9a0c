//! Choosing where invoices go, asking for a copy, retrying a failed e-mail.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::types::Email;
use crate::graphql::context::ContextExt;
use crate::graphql::customer::Customer;
use crate::graphql::money::parse_id;
use crate::services::input::Email as EmailAddress;
use crate::services::mail::InvoiceDelivery;

/// Input of `updateInvoiceDelivery`.
#[derive(InputObject)]
pub struct UpdateInvoiceDeliveryInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// Where invoices go; null or blank: the organisation's own e-mail address.
    pub email: Option<String>,
    /// Whether invoices and credit notes are e-mailed when issued.
    pub enabled: bool,
}

/// Result of `updateInvoiceDelivery`.
#[derive(SimpleObject)]
pub struct UpdateInvoiceDeliveryPayload {
    /// The organisation, as changed.
    pub customer: Customer,
}

/// Input of `sendInvoiceCopy`.
#[derive(InputObject)]
pub struct SendInvoiceCopyInput {
    /// The invoice (`inv_…`).
    pub invoice_id: ID,
}

/// Input of `retryEmail`.
#[derive(InputObject)]
pub struct RetryEmailInput {
    /// The failed e-mail (`msg_…`).
    pub email_id: ID,
}

/// The e-mail queued or changed.
#[derive(SimpleObject)]
pub struct EmailPayload {
    /// The e-mail.
    pub email: Email,
}

/// E-mail mutations.
#[derive(Default)]
pub struct MailMutation;

#[Object]
impl MailMutation {
    /// Sets where an organisation receives its invoices and credit notes ("Receive your
    /// invoices by e-mail"): owners and billing admins of the organisation, or staff. Documents
    /// issued from now on go there.
    async fn update_invoice_delivery(
        &self,
        ctx: &Context<'_>,
        input: UpdateInvoiceDeliveryInput,
    ) -> Result<UpdateInvoiceDeliveryPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let email = input
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|e| EmailAddress::parse_field("input.email", e))
            .transpose()?;
        let row = ctx
            .services()
            .mail
            .set_invoice_delivery(
                ctx.actor(),
                ctx.request_id(),
                customer,
                InvoiceDelivery {
                    email,
                    enabled: input.enabled,
                },
            )
            .await?;
        Ok(UpdateInvoiceDeliveryPayload {
            customer: Customer::from_row(row),
        })
    }

    /// Sends an invoice again, with its PDF: to the signed-in customer user's own address, or,
    /// for staff, to the organisation's invoice address. Asking again before the first copy
    /// left answers that same copy.
    async fn send_invoice_copy(
        &self,
        ctx: &Context<'_>,
        input: SendInvoiceCopyInput,
    ) -> Result<EmailPayload> {
        let invoice = parse_id(&input.invoice_id, "input.invoiceId")?;
        let message = ctx
            .services()
            .mail
            .send_invoice_copy(ctx.actor(), ctx.request_id(), invoice)
            .await?;
        Ok(EmailPayload {
            email: Email(message),
        })
    }

    /// Sends a failed e-mail again now, its attempts counted from zero (operator staff).
    /// `CONFLICT` unless it failed.
    async fn retry_email(&self, ctx: &Context<'_>, input: RetryEmailInput) -> Result<EmailPayload> {
        let id = parse_id(&input.email_id, "input.emailId")?;
        let message = ctx
            .services()
            .mail
            .retry(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(EmailPayload {
            email: Email(message),
        })
    }
}
