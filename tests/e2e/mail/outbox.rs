//! The outbox and its worker: what arrives at a real SMTP server, exactly once across a crash,
//! a restart and two instances, and what happens when the server refuses.

use std::collections::HashMap;

use api::services::mail::outbox::{NewMessage, enqueue};
use chrono::Duration;
use entity::outbox_message::{self, MessageStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::smtp::Answer;
use tests::{TestApp, assert_code, assert_ok, bill_demo_next_period, e2e_test};

use super::parse;
use crate::documents::pdf;
use crate::mail_test;

/// Acme's invoice of `report`, as its billing admin reads it.
async fn acme_invoice(app: &TestApp, report: &api::services::invoices::RunReport) -> Value {
    let acme = app.customer_id("Acme Telecom").await;
    let billed = report
        .invoiced
        .iter()
        .find(|b| b.customer.to_string() == acme)
        .expect("Acme was billed");
    let billing = app.as_billing_admin("Acme Telecom").await;
    let data: Value = billing
        .data(
            "invoice",
            "query I($id: ID!) { viewer { organisation { invoiceEmail invoice(id: $id) { id number
                total { formatted } amountDue { formatted }
                lines { kind description amount { formatted } }
                emails { kind recipient status attempts lastError } } } } }",
            json!({ "id": billed.invoice.to_string() }),
        )
        .await;
    data["viewer"]["organisation"].clone()
}

async fn outbox(app: &TestApp) -> Vec<outbox_message::Model> {
    outbox_message::Entity::find()
        .all(app.app.db.reads())
        .await
        .expect("read the outbox")
}

mail_test!(
    an_invoice_arrives_with_a_text_and_an_html_part_and_its_pdf,
    |app, sink| {
        let report = bill_demo_next_period(&app).await;
        let organisation = acme_invoice(&app, &report).await;
        let invoice = &organisation["invoice"];
        let number = invoice["number"].as_str().expect("number");
        assert_eq!(
            invoice["emails"][0]["status"], "PENDING",
            "queued with the invoice"
        );
        assert!(
            sink.received().is_empty(),
            "nothing sent before the worker runs"
        );

        let sent = app.app.services.mail.deliver_due().await.expect("deliver");
        assert_eq!(sent.sent, outbox(&app).await.len(), "every queued message");
        let received = sink.received();
        let to_acme: Vec<_> = received
            .iter()
            .filter(|r| r.to == ["accounts@acme.example"])
            .collect();
        assert_eq!(
            to_acme.len(),
            1,
            "Acme's invoice address, once: {received:?}"
        );
        assert_eq!(to_acme[0].from, "billing@billfold.example");
        // Its contact who receives invoices gets it too, the other contact does not.
        let subject = format!("Invoice {number} from Billfold Demo SAS");
        let mut recipients: Vec<String> = received
            .iter()
            .filter(|r| parse(r).subject == subject)
            .map(|r| r.to.join(","))
            .collect();
        // Who, not in which order: both messages are queued in the same millisecond, and
        // UUIDv7 ids of one millisecond do not always sort in the order they were made.
        recipients.sort();
        assert_eq!(
            recipients,
            ["accounts@acme.example", "claire.dubois@acme.example"]
        );
        let message = parse(to_acme[0]);
        assert_eq!(
            message.subject,
            format!("Invoice {number} from Billfold Demo SAS")
        );
        let total = invoice["total"]["formatted"].as_str().expect("total");
        for part in [&message.text, &message.html] {
            assert!(part.contains(number), "number in {part}");
            assert!(part.contains(total), "total in {part}");
        }
        assert!(
            message.html.contains("<table"),
            "an HTML part: {}",
            message.html
        );
        assert_eq!(message.attachments.len(), 1);
        let (name, content_type, bytes) = &message.attachments[0];
        assert_eq!(name, &format!("{number}.pdf"));
        assert_eq!(content_type, "application/pdf");
        let text = pdf::text(bytes);
        assert!(text.contains(number), "number in the PDF:\n{text}");
        for line in invoice["lines"].as_array().expect("lines") {
            if line["kind"] == "CREDIT" {
                continue;
            }
            let description = line["description"].as_str().expect("description");
            let start: String = description
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains(&start), "{start:?} in the PDF:\n{text}");
            let amount = line["amount"]["formatted"].as_str().expect("amount");
            assert!(text.contains(amount), "{amount} in the PDF:\n{text}");
        }
        assert!(text.contains(total), "total in the PDF:\n{text}");

        // The attachment is the stored document, which downloads give too.
        let billing = app.as_billing_admin("Acme Telecom").await;
        let download = app
            .client
            .get(format!(
                "{}/invoices/{}.pdf",
                app.address,
                invoice["id"].as_str().expect("id")
            ))
            .bearer_auth(billing.token())
            .send()
            .await
            .expect("download")
            .bytes()
            .await
            .expect("bytes");
        assert_eq!(pdf::sha256(bytes), pdf::sha256(&download));

        let organisation = acme_invoice(&app, &report).await;
        let email = &organisation["invoice"]["emails"][0];
        assert_eq!(email["status"], "SENT");
        assert_eq!(email["recipient"], "accounts@acme.example");
        assert_eq!(email["kind"], "INVOICE");
        let again = app.app.services.mail.deliver_due().await.expect("deliver");
        assert_eq!(again.sent, 0, "nothing is sent twice");
        assert_eq!(sink.received().len(), received.len());
    }
);

mail_test!(
    a_message_committed_before_a_crash_is_sent_once_after_the_restart,
    |app, sink| {
        let report = bill_demo_next_period(&app).await;
        assert!(report.invoiced.len() >= 2);

        // One message was claimed by a worker that died before sending it: its lease holds it.
        let queued = outbox(&app).await;
        let invoices = queued.len();
        let crashed = queued[0].id;
        outbox_message::Entity::update_many()
            .col_expr(
                outbox_message::Column::ClaimToken,
                Expr::value(Some(uuid::Uuid::now_v7())),
            )
            .col_expr(
                outbox_message::Column::ClaimedUntil,
                Expr::value(Some(chrono::Utc::now() + Duration::minutes(10))),
            )
            .col_expr(outbox_message::Column::Attempts, Expr::value(1))
            .filter(outbox_message::Column::Id.eq(crashed))
            .exec(app.app.db.writes())
            .await
            .expect("a dead worker's claim");

        // The process stops after the billing run committed, before any e-mail left.
        let app = app.restart().await;
        let report = app.app.services.mail.deliver_due().await.expect("deliver");
        assert_eq!(
            report.sent,
            invoices - 1,
            "all but the one under a live claim"
        );
        assert_eq!(sink.received().len(), invoices - 1);

        // Once the dead worker's lease ends, the message is sent, once.
        app.app
            .services
            .mail
            .clock()
            .set(chrono::Utc::now() + Duration::minutes(11));
        let report = app.app.services.mail.deliver_due().await.expect("deliver");
        assert_eq!(report.sent, 1);
        let received = sink.received();
        assert_eq!(received.len(), invoices);
        let mut ids: Vec<String> = received.iter().map(|r| parse(r).message_id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), invoices, "each message once");
        assert!(ids.contains(&format!("{crashed}@billfold")));
        assert_eq!(
            app.app
                .services
                .mail
                .deliver_due()
                .await
                .expect("deliver")
                .sent,
            0
        );
    }
);

mail_test!(two_instances_never_send_one_message_twice, |app, sink| {
    let report = bill_demo_next_period(&app).await;
    let invoice = report.invoiced[0].clone();
    // Plenty to share: forty copies of one invoice, each its own message.
    let copies = (0..40)
        .map(|i| {
            NewMessage::invoice_copy(
                invoice.customer,
                invoice.invoice,
                &format!("copy{i}@acme.example"),
                ids::OutboxMessageId::new(),
            )
        })
        .collect();
    enqueue(app.app.db.writes(), copies, chrono::Utc::now())
        .await
        .expect("queue copies");
    let total = outbox(&app).await.len();
    let peer = app.peer().await;
    let (a, b) = tokio::join!(
        app.app.services.mail.deliver_due(),
        peer.app.services.mail.deliver_due()
    );
    let (a, b) = (a.expect("first instance"), b.expect("second instance"));
    assert_eq!(a.sent + b.sent, total, "{a:?} {b:?}");
    let received = sink.received();
    assert_eq!(received.len(), total);
    let mut per_message: HashMap<String, usize> = HashMap::new();
    for r in &received {
        *per_message.entry(parse(r).message_id).or_default() += 1;
    }
    assert_eq!(per_message.len(), total);
    assert!(per_message.values().all(|n| *n == 1), "{per_message:?}");
    assert!(
        outbox(&app)
            .await
            .iter()
            .all(|m| m.status == MessageStatus::Sent)
    );
});

mail_test!(
    a_refused_message_is_retried_later_and_a_refusal_for_good_fails_it,
    |app, sink| {
        let report = bill_demo_next_period(&app).await;
        let mail = &app.app.services.mail;
        sink.answer(Answer::Temporary);
        let first = mail.deliver_due().await.expect("deliver");
        let queued = outbox(&app).await.len();
        assert_eq!(first.retrying, queued);
        assert_eq!(first.sent, 0);
        // Not again before the backoff.
        assert_eq!(
            mail.deliver_due().await.expect("deliver"),
            Default::default()
        );

        let staff = app.as_staff().await;
        let pending: Value = staff
        .data(
            "emails",
            "{ emails(status: PENDING, first: 10) { nodes { id attempts lastError nextAttemptAt } } }",
            json!({}),
        )
        .await;
        let nodes = pending["emails"]["nodes"].as_array().expect("nodes");
        assert_eq!(nodes.len(), queued);
        assert_eq!(nodes[0]["attempts"], 1);
        assert!(
            nodes[0]["lastError"]
                .as_str()
                .expect("lastError")
                .contains("451")
        );
        // Customers see the state, not the mail server's words.
        let organisation = acme_invoice(&app, &report).await;
        let email = &organisation["invoice"]["emails"][0];
        assert_eq!(email["status"], "PENDING");
        assert_eq!(email["lastError"], Value::Null);

        sink.answer(Answer::Accept);
        mail.clock().set(chrono::Utc::now() + Duration::minutes(2));
        let later = mail.deliver_due().await.expect("deliver");
        assert_eq!(later.sent, queued, "sent after the first backoff");

        // A refusal for good is not retried: it waits for staff.
        sink.answer(Answer::Permanent);
        let billing = app.as_billing_admin("Acme Telecom").await;
        let copy = billing
        .graphql(
            "mutation S($input: SendInvoiceCopyInput!) { sendInvoiceCopy(input: $input) { email { id } } }",
            json!({ "input": { "invoiceId": organisation["invoice"]["id"] } }),
        )
        .await;
        assert_ok(&copy);
        let copy_id = copy["data"]["sendInvoiceCopy"]["email"]["id"].clone();
        let refused = mail.deliver_due().await.expect("deliver");
        assert_eq!(refused.failed, 1);
        let retry = "mutation R($input: RetryEmailInput!) { retryEmail(input: $input) { email { id status attempts } } }";
        let forbidden = billing
            .graphql(retry, json!({ "input": { "emailId": copy_id } }))
            .await;
        assert_code(&forbidden, "FORBIDDEN");
        sink.answer(Answer::Accept);
        let retried = staff
            .graphql(retry, json!({ "input": { "emailId": copy_id } }))
            .await;
        assert_ok(&retried);
        assert_eq!(retried["data"]["retryEmail"]["email"]["status"], "PENDING");
        assert_eq!(mail.deliver_due().await.expect("deliver").sent, 1);
        let again = staff
            .graphql(retry, json!({ "input": { "emailId": copy_id } }))
            .await;
        assert_code(&again, "CONFLICT");
        assert_eq!(billing.audit_count("mail.retry").await, 1);
    }
);

e2e_test!(
    the_development_transport_writes_one_eml_file_per_message,
    |app| {
        let report = bill_demo_next_period(&app).await;
        let sent = app.app.services.mail.deliver_due().await.expect("deliver");
        assert!(!report.invoiced.is_empty());
        assert_eq!(sent.sent, outbox(&app).await.len());
        let dir = app.data_dir().join("outbox");
        let files: Vec<_> = std::fs::read_dir(&dir)
            .expect("the outbox directory")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(files.len(), sent.sent, "{files:?}");
        for file in files {
            let name = file
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            assert!(name.starts_with("msg_") && name.ends_with(".eml"), "{name}");
            let text = std::fs::read_to_string(&file).expect("read");
            assert!(text.contains("Subject: Invoice INV-"), "{text}");
            assert!(text.contains("application/pdf"));
        }
    }
);
