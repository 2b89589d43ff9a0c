//! Contacts by role: owners and billing admins add, edit and remove them, viewers read them and
//! get `FORBIDDEN`; bad e-mails and phones are named; another tenant's contact is not found;
//! the invoice recipients are the contacts who receive invoices, each address once.

use serde_json::{Value, json};
use tests::{assert_bad_input, assert_code, e2e_test};

use super::ops::{
    ADD_CONTACT, CONTACTS, REMOVE_CONTACT, UPDATE_CONTACT, audit_of, call, contact, ok, reason,
};

/// The contacts the signed-in user's organisation has.
async fn contacts_of(session: &tests::Session<'_>) -> Vec<Value> {
    let data: Value = session.data("contacts", CONTACTS, json!({})).await;
    data["viewer"]["organisation"]["contacts"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

e2e_test!(
    owners_and_billing_admins_manage_contacts_and_viewers_only_read,
    |app| {
        let billing = app.as_billing_admin("Acme Telecom").await;
        let owner = app.as_owner("Acme Telecom").await;
        let viewer = app.as_viewer("Acme Telecom").await;
        let acme = billing.organisation_id().to_owned();
        // The demo's two contacts.
        assert_eq!(contacts_of(&viewer).await.len(), 2);

        let mut input = contact(&acme, "Jeanne Roy", " Jeanne.Roy@Acme.Example ", true);
        input["role"] = json!("TECHNICAL");
        input["phone"] = json!("0033 (6) 12.34.56-78");
        let added = ok(&billing, ADD_CONTACT, input.clone()).await["addContact"]["contact"].clone();
        assert_eq!(added["email"], "jeanne.roy@acme.example", "{added}");
        assert_eq!(added["phone"], "+33612345678", "{added}");
        assert_eq!(added["role"], "TECHNICAL");
        let id = added["id"].as_str().expect("id").to_owned();
        assert!(
            contacts_of(&viewer)
                .await
                .iter()
                .any(|c| c["id"] == id.as_str()),
            "the viewer reads the new contact"
        );

        let replaced = json!({ "contactId": id, "role": "OPERATIONAL", "name": "Jeanne Roy-Martin",
            "email": "jeanne@acme.example", "phone": null, "receivesInvoices": false });
        let updated =
            ok(&owner, UPDATE_CONTACT, replaced.clone()).await["updateContact"]["contact"].clone();
        assert_eq!(updated["role"], "OPERATIONAL");
        assert_eq!(updated["phone"], Value::Null);
        assert_eq!(updated["receivesInvoices"], false);

        // A viewer may change nothing, not even with valid input.
        assert_code(&call(&viewer, ADD_CONTACT, input).await, "FORBIDDEN");
        assert_code(&call(&viewer, UPDATE_CONTACT, replaced).await, "FORBIDDEN");
        let remove = json!({ "contactId": id });
        assert_code(
            &call(&viewer, REMOVE_CONTACT, remove.clone()).await,
            "FORBIDDEN",
        );
        assert_eq!(contacts_of(&viewer).await.len(), 3, "nothing written");

        let removed = ok(&billing, REMOVE_CONTACT, remove.clone()).await;
        assert_eq!(removed["removeContact"]["removedContactId"], id.as_str());
        assert_eq!(contacts_of(&viewer).await.len(), 2);
        assert_code(&call(&billing, REMOVE_CONTACT, remove).await, "NOT_FOUND");

        // Every change is in the audit log, with the state before and after.
        let entries = audit_of(&owner, &id).await;
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["contact.remove", "contact.update", "contact.add"]);
        assert_eq!(entries[1].before["role"], "technical", "{entries:?}");
        assert_eq!(entries[1].after["role"], "operational", "{entries:?}");
        assert_eq!(entries[0].after, Value::Null);
    }
);

e2e_test!(bad_contact_input_is_named_and_writes_nothing, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let acme = owner.organisation_id().to_owned();
    for (field, value) in [
        ("email", json!("not-an-email")),
        ("name", json!("   ")),
        ("name", json!("x".repeat(201))),
        // No country code; letters; five digits is one too few; sixteen one too many.
        ("phone", json!("01 23 45 67 89")),
        ("phone", json!("+33 1 CALL ME")),
        ("phone", json!("+12345")),
        ("phone", json!("+1234567890123456")),
    ] {
        let mut input = contact(&acme, "Jeanne Roy", "jeanne@acme.example", false);
        input[field] = value;
        let body = call(&owner, ADD_CONTACT, input).await;
        assert_bad_input(&body, &format!("input.{field}"));
    }
    // The limits themselves pass: 200 characters of name, six and fifteen digits.
    let mut input = contact(&acme, &"n".repeat(200), "long@acme.example", false);
    input["phone"] = json!("+123456");
    ok(&owner, ADD_CONTACT, input.clone()).await;
    input["phone"] = json!("+123456789012345");
    ok(&owner, ADD_CONTACT, input).await;
    assert_eq!(
        contacts_of(&owner).await.len(),
        4,
        "only the two valid ones"
    );
});

e2e_test!(an_organisation_has_at_most_fifty_contacts, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let acme = owner.organisation_id().to_owned();
    // The demo has two: 48 more reach the limit.
    for n in 0..48 {
        let input = contact(
            &acme,
            &format!("Contact {n}"),
            &format!("c{n}@acme.example"),
            false,
        );
        ok(&owner, ADD_CONTACT, input).await;
    }
    let body = call(
        &owner,
        ADD_CONTACT,
        contact(&acme, "One too many", "more@acme.example", false),
    )
    .await;
    assert_code(&body, "CONFLICT");
    assert_eq!(reason(&body), "TOO_MANY_CONTACTS");
    assert_eq!(contacts_of(&owner).await.len(), 50);
});

e2e_test!(another_tenants_contacts_are_not_found, |app| {
    let acme_owner = app.as_owner("Acme Telecom").await;
    let acme = acme_owner.organisation_id().to_owned();
    let acme_contact = contacts_of(&acme_owner).await[0]["id"].clone();
    for role in [tests::Role::Owner, tests::Role::Viewer] {
        let intruder = app.as_role("Globex", role).await;
        let body = call(
            &intruder,
            ADD_CONTACT,
            contact(&acme, "Spy", "spy@globex.example", true),
        )
        .await;
        assert_code(&body, "NOT_FOUND");
        let body = call(
            &intruder,
            UPDATE_CONTACT,
            json!({ "contactId": acme_contact, "role": "OTHER", "name": "Spy",
                    "email": "spy@globex.example", "receivesInvoices": true }),
        )
        .await;
        assert_code(&body, "NOT_FOUND");
        let body = call(
            &intruder,
            REMOVE_CONTACT,
            json!({ "contactId": acme_contact }),
        )
        .await;
        assert_code(&body, "NOT_FOUND");
    }
    assert_eq!(contacts_of(&acme_owner).await.len(), 2);
});

e2e_test!(
    invoices_go_to_the_contacts_who_receive_them_each_address_once,
    |app| {
        let owner = app.as_owner("Acme Telecom").await;
        let acme = owner.organisation_id().to_owned();
        let recipients = || async {
            api::services::accounts::contacts::invoice_recipients(
                app.app.db.reads(),
                acme.parse().expect("customer id"),
            )
            .await
            .expect("recipients")
        };
        // The demo: Claire receives invoices, Marc does not.
        assert_eq!(recipients().await, ["claire.dubois@acme.example"]);
        // A second contact with Claire's address (another role, another case) adds nothing; a
        // new address is added after hers; one who does not receive invoices is left out.
        let mut twin = contact(&acme, "Claire (ops)", "CLAIRE.DUBOIS@acme.example", true);
        twin["role"] = json!("OPERATIONAL");
        ok(&owner, ADD_CONTACT, twin).await;
        ok(
            &owner,
            ADD_CONTACT,
            contact(&acme, "Paul", "paul@acme.example", true),
        )
        .await;
        ok(
            &owner,
            ADD_CONTACT,
            contact(&acme, "Nora", "nora@acme.example", false),
        )
        .await;
        assert_eq!(
            recipients().await,
            ["claire.dubois@acme.example", "paul@acme.example"]
        );
        // Globex's recipients are its own.
        let globex: ids::CustomerId = app.customer_id("Globex").await.parse().expect("id");
        let theirs =
            api::services::accounts::contacts::invoice_recipients(app.app.db.reads(), globex)
                .await
                .expect("recipients");
        assert_eq!(theirs, ["priya.shah@globex.example"]);
    }
);
