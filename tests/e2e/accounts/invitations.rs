//! Invitations: an owner invites someone by e-mail with a role; the e-mail's link (valid 7
//! days, once) lets the invitee choose a name and password and be signed in. Expired, used,
//! withdrawn and unknown tokens are refused; a token only ever joins its own organisation.

use chrono::Duration;
use entity::{invitation, outbox_message};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tests::mailbox::{invitation_link, token_of};
use tests::{Session, TestApp, assert_bad_input, assert_code, e2e_test};

use super::ops::reason;

pub const INVITE: &str = "mutation I($input: InviteUserInput!) { inviteUser(input: $input) {
    invitation { id email role expiresAt accepted revoked } } }";
pub const REVOKE: &str = "mutation R($input: RevokeInvitationInput!) {
    revokeInvitation(input: $input) { invitation { id revoked } } }";
pub const ACCEPT: &str = "mutation A($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) { token user { id email name role } } }";
pub const PREVIEW: &str = "query P($token: String!) { invitation(token: $token) {
    organisationName email role expiresAt } }";

/// Invites `email` as `role` into the organisation of `session`; the body.
pub async fn invite(session: &Session<'_>, email: &str, role: &str) -> Value {
    let customer = session.organisation_id().to_owned();
    session
        .graphql(
            INVITE,
            json!({ "input": { "customerId": customer, "email": email, "role": role } }),
        )
        .await
}

/// Accepts `token` signed out; the body.
pub async fn accept(app: &TestApp, token: &str, name: &str, password: &str) -> Value {
    app.graphql(
        ACCEPT,
        json!({ "input": { "token": token, "name": name, "password": password } }),
        None,
    )
    .await
    .1
}

/// The open invitations of the organisation of `session`.
async fn open(session: &Session<'_>) -> Vec<Value> {
    let data: Value = session
        .data(
            "invitations",
            "{ viewer { organisation { invitations { id email role } } } }",
            json!({}),
        )
        .await;
    data["viewer"]["organisation"]["invitations"]
        .as_array()
        .expect("invitations")
        .clone()
}

e2e_test!(
    an_invitee_follows_the_link_chooses_a_password_and_is_signed_in,
    |app| {
        let owner = app.as_owner("Acme Telecom").await;
        let body = invite(&owner, " New.Admin@Acme.example ", "BILLING_ADMIN").await;
        let invitation = &body["data"]["inviteUser"]["invitation"];
        assert_eq!(invitation["email"], "new.admin@acme.example", "{body}");
        assert_eq!(invitation["role"], "BILLING_ADMIN");
        assert_eq!(open(&owner).await.len(), 1);
        assert_eq!(open(&app.as_viewer("Acme Telecom").await).await.len(), 1);

        // The e-mail links to the portal's accept page.
        let link = invitation_link(&app, "new.admin@acme.example").await;
        let public = app.app.config.public_url();
        assert!(
            link.starts_with(&format!("{public}/invitation?token=")),
            "{link}"
        );
        let token = token_of(&link);
        // Only the token's hash is kept; the outbox forgot the token once the e-mail was sent.
        let db = app.app.db.reads();
        let rows = invitation::Entity::find()
            .all(db)
            .await
            .expect("invitations");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].token_hash, crate::vault::sha256(token.as_bytes()));
        assert!(rows.iter().all(|r| !r.token_hash.contains(&token)));
        let messages = outbox_message::Entity::find()
            .all(db)
            .await
            .expect("outbox");
        assert!(messages.iter().all(|m| m.secret.is_none()), "{messages:?}");

        // The accept page reads it signed out.
        let (_, body) = app.graphql(PREVIEW, json!({ "token": token }), None).await;
        assert_eq!(
            body["data"]["invitation"]["organisationName"], "Acme Telecom",
            "{body}"
        );
        assert_eq!(body["data"]["invitation"]["role"], "BILLING_ADMIN");

        // A short password is refused on its field, and the invitation stays open.
        assert_bad_input(
            &accept(&app, &token, "Nora", "short").await,
            "input.password",
        );
        let body = accept(&app, &token, "Nora Admin", "a long new password").await;
        let accepted = &body["data"]["acceptInvitation"];
        assert_eq!(
            accepted["user"]["email"], "new.admin@acme.example",
            "{body}"
        );
        assert_eq!(accepted["user"]["role"], "BILLING_ADMIN");
        let signed_in: Value = app
            .graphql(
                "{ viewer { user { name role } organisation { name } } }",
                json!({}),
                accepted["token"].as_str(),
            )
            .await
            .1;
        assert_eq!(
            signed_in["data"]["viewer"]["user"]["name"], "Nora Admin",
            "{signed_in}"
        );
        assert_eq!(
            signed_in["data"]["viewer"]["organisation"]["name"],
            "Acme Telecom"
        );
        assert!(open(&owner).await.is_empty());

        // Once only.
        let again = accept(&app, &token, "Someone Else", "another long password").await;
        assert_code(&again, "CONFLICT");
        assert_eq!(reason(&again), "INVITATION_USED");
        let (_, preview) = app.graphql(PREVIEW, json!({ "token": token }), None).await;
        assert_eq!(reason(&preview), "INVITATION_USED");
        assert_eq!(owner.audit_count("invitation.create").await, 1);
        assert_eq!(owner.audit_count("invitation.accept").await, 1);
    }
);

e2e_test!(expired_withdrawn_and_unknown_tokens_are_refused, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    invite(&owner, "late@acme.example", "VIEWER").await;
    let late = token_of(&invitation_link(&app, "late@acme.example").await);
    let body = invite(&owner, "withdrawn@acme.example", "VIEWER").await;
    let withdrawn_id = body["data"]["inviteUser"]["invitation"]["id"].clone();
    let withdrawn = token_of(&invitation_link(&app, "withdrawn@acme.example").await);

    let body = owner
        .graphql(REVOKE, json!({ "input": { "invitationId": withdrawn_id } }))
        .await;
    assert_eq!(
        body["data"]["revokeInvitation"]["invitation"]["revoked"], true,
        "{body}"
    );
    let refused = accept(&app, &withdrawn, "W", "a long new password").await;
    assert_eq!(reason(&refused), "INVITATION_REVOKED");
    let again = owner
        .graphql(REVOKE, json!({ "input": { "invitationId": withdrawn_id } }))
        .await;
    assert_eq!(reason(&again), "INVITATION_REVOKED");

    // Seven days, to the second.
    let clock = &app.app.services.clock;
    clock.set(clock.now() + Duration::days(7) - Duration::seconds(5));
    let (_, preview) = app.graphql(PREVIEW, json!({ "token": late }), None).await;
    assert_eq!(
        preview["data"]["invitation"]["email"], "late@acme.example",
        "{preview}"
    );
    clock.advance(Duration::seconds(10));
    let refused = accept(&app, &late, "Late", "a long new password").await;
    assert_code(&refused, "CONFLICT");
    assert_eq!(reason(&refused), "INVITATION_EXPIRED");

    for unknown in ["", "not-a-token", &"x".repeat(43), &"y".repeat(5000)] {
        assert_code(
            &accept(&app, unknown, "U", "a long new password").await,
            "NOT_FOUND",
        );
    }
    // No user was created by any of it.
    let users: Value = app
        .as_staff()
        .await
        .data(
            "users",
            "query U($id: ID!) { customer(id: $id) { users(first: 100) { nodes { email } } } }",
            json!({ "id": owner.organisation_id() }),
        )
        .await;
    let emails = users["customer"]["users"]["nodes"].to_string();
    assert!(
        !emails.contains("late@") && !emails.contains("withdrawn@"),
        "{emails}"
    );
});

e2e_test!(
    only_owners_invite_and_a_token_joins_its_own_organisation,
    |app| {
        for session in [
            app.as_billing_admin("Acme Telecom").await,
            app.as_viewer("Acme Telecom").await,
        ] {
            assert_code(
                &invite(&session, "x@acme.example", "VIEWER").await,
                "FORBIDDEN",
            );
        }
        let owner = app.as_owner("Acme Telecom").await;
        assert_bad_input(
            &invite(&owner, "not an address", "VIEWER").await,
            "input.email",
        );
        assert_bad_input(
            &invite(&owner, "billing@acme.example", "VIEWER").await,
            "input.email",
        );
        assert_bad_input(
            &invite(&owner, "staff@acme.example", "ADMIN").await,
            "input.role",
        );

        // Globex's owner cannot invite into Acme, and Globex's token makes a Globex user.
        let globex = app.as_owner("Globex").await;
        let intrusion = globex
            .graphql(
                INVITE,
                json!({ "input": { "customerId": owner.organisation_id(),
                               "email": "mole@globex.example", "role": "OWNER" } }),
            )
            .await;
        assert_code(&intrusion, "NOT_FOUND");
        invite(&globex, "joiner@globex.example", "OWNER").await;
        let token = token_of(&invitation_link(&app, "joiner@globex.example").await);
        let body = accept(&app, &token, "Joiner", "a long new password").await;
        let joined: Value = app
            .graphql(
                "{ viewer { organisation { name } } }",
                json!({}),
                body["data"]["acceptInvitation"]["token"].as_str(),
            )
            .await
            .1;
        assert_eq!(
            joined["data"]["viewer"]["organisation"]["name"], "Globex",
            "{joined}"
        );
        // Inviting the same address again withdraws the first link.
        invite(&owner, "twice@acme.example", "VIEWER").await;
        let first = token_of(&invitation_link(&app, "twice@acme.example").await);
        invite(&owner, "twice@acme.example", "BILLING_ADMIN").await;
        let second = token_of(&invitation_link(&app, "twice@acme.example").await);
        assert_ne!(first, second);
        assert_eq!(
            reason(&accept(&app, &first, "T", "a long new password").await),
            "INVITATION_REVOKED"
        );
        let body = accept(&app, &second, "T", "a long new password").await;
        assert_eq!(
            body["data"]["acceptInvitation"]["user"]["role"], "BILLING_ADMIN",
            "{body}"
        );
    }
);
