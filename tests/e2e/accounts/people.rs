//! Teams and members, changed by the organisation's owners and billing admins: a member who
//! holds a license cannot be removed until the seat is unassigned; a team with members is
//! deleted only by moving them; names stay unique; viewers get `FORBIDDEN`, other tenants
//! `NOT_FOUND`.

use serde_json::{Value, json};
use tests::{Role, assert_bad_input, assert_code, e2e_test};

use super::ops::{
    CREATE_MEMBER, CREATE_TEAM, DELETE_TEAM, REMOVE_MEMBER, RENAME_TEAM, UPDATE_MEMBER, audit_of,
    call, ok, people, reason,
};

/// The id of the entry named `name` in `list`.
fn id_of(list: &[Value], name: &str) -> String {
    list.iter()
        .find(|e| e["name"] == name)
        .and_then(|e| e["id"].as_str())
        .unwrap_or_else(|| panic!("no {name} in {list:?}"))
        .to_owned()
}

e2e_test!(owners_and_billing_admins_manage_teams_and_members, |app| {
    for role in [Role::Owner, Role::BillingAdmin] {
        let session = app.as_role("Acme Telecom", role).await;
        let acme = session.organisation_id().to_owned();
        let name = format!("Marketing {role:?}");
        let team = ok(
            &session,
            CREATE_TEAM,
            json!({ "customerId": acme, "name": name }),
        )
        .await["createTeam"]["team"]["id"]
            .clone();
        let renamed = ok(
            &session,
            RENAME_TEAM,
            json!({ "teamId": team, "name": format!("Growth {role:?}") }),
        )
        .await;
        assert_eq!(
            renamed["renameTeam"]["team"]["name"],
            format!("Growth {role:?}")
        );
        let member = ok(
            &session,
            CREATE_MEMBER,
            json!({ "customerId": acme, "name": "Hugo Blanc", "email": "Hugo@Acme.Example",
                        "teamId": team }),
        )
        .await["createMember"]["member"]
            .clone();
        assert_eq!(member["email"], "hugo@acme.example");
        assert_eq!(member["licenseCount"], 0);
        let id = member["id"].clone();

        // Left out keeps, null clears.
        let updated = ok(
            &session,
            UPDATE_MEMBER,
            json!({ "memberId": id, "email": null }),
        )
        .await["updateMember"]["member"]
            .clone();
        assert_eq!(updated["name"], "Hugo Blanc");
        assert_eq!(updated["email"], Value::Null);
        assert_eq!(updated["team"]["id"], team);
        let updated = ok(
            &session,
            UPDATE_MEMBER,
            json!({ "memberId": id, "name": "Hugo Blanc-Roy", "teamId": null }),
        )
        .await["updateMember"]["member"]
            .clone();
        assert_eq!(updated["team"], Value::Null);
        assert_eq!(updated["name"], "Hugo Blanc-Roy");

        ok(&session, REMOVE_MEMBER, json!({ "memberId": id })).await;
        ok(&session, DELETE_TEAM, json!({ "teamId": team })).await;
        let (teams, members) = people(&session, &acme).await;
        assert_eq!((teams.len(), members.len()), (3, 7), "back to the demo's");

        let id = id.as_str().expect("id");
        let entries = audit_of(&session, id).await;
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "member.remove",
                "member.update",
                "member.update",
                "member.create"
            ]
        );
        assert_eq!(entries[2].before["email"], "hugo@acme.example");
        assert_eq!(entries[2].after["email"], Value::Null);
    }
});

e2e_test!(viewers_change_no_team_or_member, |app| {
    let viewer = app.as_viewer("Acme Telecom").await;
    let acme = viewer.organisation_id().to_owned();
    let (teams, members) = people(&viewer, &acme).await;
    let (sales, support) = (id_of(&teams, "Sales"), id_of(&teams, "Support"));
    let emma = id_of(&members, "Emma Moreau");
    for (query, input) in [
        (CREATE_TEAM, json!({ "customerId": acme, "name": "Shadow" })),
        (RENAME_TEAM, json!({ "teamId": sales, "name": "Shadow" })),
        (
            DELETE_TEAM,
            json!({ "teamId": support, "moveMembersToTeamId": sales }),
        ),
        (
            CREATE_MEMBER,
            json!({ "customerId": acme, "name": "Ghost" }),
        ),
        (UPDATE_MEMBER, json!({ "memberId": emma, "name": "Ghost" })),
        (REMOVE_MEMBER, json!({ "memberId": emma })),
    ] {
        assert_code(&call(&viewer, query, input).await, "FORBIDDEN");
    }
    assert_eq!(
        people(&viewer, &acme).await,
        (teams, members),
        "nothing changed"
    );
});

e2e_test!(
    a_member_holding_a_license_is_removed_only_once_it_is_unassigned,
    |app| {
        let owner = app.as_owner("Acme Telecom").await;
        let acme = owner.organisation_id().to_owned();
        let (_, members) = people(&owner, &acme).await;
        let holder = members
            .iter()
            .find(|m| m["licenseCount"] == 1)
            .unwrap_or_else(|| panic!("the demo assigns seats: {members:?}"));
        let (id, name) = (
            holder["id"].clone(),
            holder["name"].as_str().unwrap_or_default(),
        );

        let body = call(&owner, REMOVE_MEMBER, json!({ "memberId": id })).await;
        assert_code(&body, "CONFLICT");
        assert_eq!(reason(&body), "MEMBER_HOLDS_LICENSE");
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(name) && message.contains("unassign the license"),
            "{message}"
        );

        // Free the seat, then the member can go.
        let seats: Value = owner
            .data(
                "seats",
                "{ viewer { organisation { licenses { seats(first: 100) { nodes { id member { id } } } } } } }",
                json!({}),
            )
            .await;
        let seat = seats["viewer"]["organisation"]["licenses"][0]["seats"]["nodes"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["member"]["id"] == id))
            .and_then(|s| s["id"].as_str())
            .expect("the member's seat")
            .to_owned();
        owner.unassign_license(&seat).await;
        ok(&owner, REMOVE_MEMBER, json!({ "memberId": id })).await;
        let (_, after) = people(&owner, &acme).await;
        assert_eq!(after.len(), members.len() - 1);
    }
);

e2e_test!(a_team_with_members_is_deleted_only_by_moving_them, |app| {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let acme = billing.organisation_id().to_owned();
    let (teams, _) = people(&billing, &acme).await;
    let (sales, support) = (id_of(&teams, "Sales"), id_of(&teams, "Support"));

    let body = call(&billing, DELETE_TEAM, json!({ "teamId": support })).await;
    assert_code(&body, "CONFLICT");
    assert_eq!(reason(&body), "TEAM_HAS_MEMBERS");
    let body = call(
        &billing,
        DELETE_TEAM,
        json!({ "teamId": support, "moveMembersToTeamId": support }),
    )
    .await;
    assert_bad_input(&body, "input.moveMembersToTeamId");
    assert_eq!(people(&billing, &acme).await.0.len(), 3, "nothing deleted");

    let deleted = ok(
        &billing,
        DELETE_TEAM,
        json!({ "teamId": support, "moveMembersToTeamId": sales }),
    )
    .await;
    assert_eq!(deleted["deleteTeam"]["membersMoved"], 2);
    let (teams, members) = people(&billing, &acme).await;
    assert_eq!(teams.len(), 2);
    let in_sales = members
        .iter()
        .filter(|m| m["team"]["id"] == sales.as_str())
        .count();
    assert_eq!(in_sales, 5);

    // An empty team needs nowhere to move anyone.
    let empty = ok(
        &billing,
        CREATE_TEAM,
        json!({ "customerId": acme, "name": "Empty" }),
    )
    .await["createTeam"]["team"]["id"]
        .clone();
    let deleted = ok(&billing, DELETE_TEAM, json!({ "teamId": empty })).await;
    assert_eq!(deleted["deleteTeam"]["membersMoved"], 0);
});

e2e_test!(team_names_stay_unique_and_bounded, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let acme = owner.organisation_id().to_owned();
    let (teams, _) = people(&owner, &acme).await;
    let sales = id_of(&teams, "Sales");
    let body = call(
        &owner,
        RENAME_TEAM,
        json!({ "teamId": sales, "name": "Support" }),
    )
    .await;
    assert_bad_input(&body, "input.name");
    let body = call(
        &owner,
        RENAME_TEAM,
        json!({ "teamId": sales, "name": "x".repeat(101) }),
    )
    .await;
    assert_bad_input(&body, "input.name");
    // Its own name, and 100 characters, are fine.
    ok(
        &owner,
        RENAME_TEAM,
        json!({ "teamId": sales, "name": "Sales" }),
    )
    .await;
    ok(
        &owner,
        RENAME_TEAM,
        json!({ "teamId": sales, "name": "x".repeat(100) }),
    )
    .await;
    let body = call(
        &owner,
        CREATE_TEAM,
        json!({ "customerId": acme, "name": "Support" }),
    )
    .await;
    assert_bad_input(&body, "input.name");
});

e2e_test!(another_tenants_teams_and_members_are_not_found, |app| {
    let acme_owner = app.as_owner("Acme Telecom").await;
    let acme = acme_owner.organisation_id().to_owned();
    let (acme_teams, acme_members) = people(&acme_owner, &acme).await;
    let (sales, emma) = (
        id_of(&acme_teams, "Sales"),
        id_of(&acme_members, "Emma Moreau"),
    );
    let intruder = app.as_owner("Globex").await;
    let globex = intruder.organisation_id().to_owned();
    let (globex_teams, globex_members) = people(&intruder, &globex).await;
    let (own_team, own_member) = (
        globex_teams[0]["id"].clone(),
        globex_members[0]["id"].clone(),
    );
    for (query, input) in [
        (
            CREATE_TEAM,
            json!({ "customerId": acme, "name": "Intruders" }),
        ),
        (RENAME_TEAM, json!({ "teamId": sales, "name": "Intruders" })),
        (DELETE_TEAM, json!({ "teamId": sales })),
        (
            DELETE_TEAM,
            json!({ "teamId": own_team, "moveMembersToTeamId": sales }),
        ),
        (
            CREATE_MEMBER,
            json!({ "customerId": acme, "name": "Mallory" }),
        ),
        (
            CREATE_MEMBER,
            json!({ "customerId": globex, "name": "Mallory", "teamId": sales }),
        ),
        (
            UPDATE_MEMBER,
            json!({ "memberId": emma, "name": "Mallory" }),
        ),
        (
            UPDATE_MEMBER,
            json!({ "memberId": own_member, "teamId": sales }),
        ),
        (REMOVE_MEMBER, json!({ "memberId": emma })),
    ] {
        assert_code(&call(&intruder, query, input).await, "NOT_FOUND");
    }
    assert_eq!(people(&acme_owner, &acme).await, (acme_teams, acme_members));
});
