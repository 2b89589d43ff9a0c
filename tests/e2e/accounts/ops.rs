//! The operations the self-service tests share (contacts, addresses, teams and members,
//! passwords), and small helpers to call them.

use serde_json::{Value, json};
use tests::{Session, assert_ok};

pub const ADD_CONTACT: &str = "mutation A($input: AddContactInput!) { addContact(input: $input) {
    contact { id role name email phone receivesInvoices } } }";
pub const UPDATE_CONTACT: &str = "mutation U($input: UpdateContactInput!) {
    updateContact(input: $input) { contact { id role name email phone receivesInvoices } } }";
pub const REMOVE_CONTACT: &str = "mutation R($input: RemoveContactInput!) {
    removeContact(input: $input) { removedContactId } }";
pub const CONTACTS: &str = "{ viewer { organisation { contacts {
    id role name email phone receivesInvoices } } } }";

pub const ADD_ADDRESS: &str = "mutation A($input: AddBillingAddressInput!) {
    addBillingAddress(input: $input) { address { id line1 line2 city postalCode region country
    lines isDefault verification verifiedAt } } }";
pub const UPDATE_ADDRESS: &str = "mutation U($input: UpdateBillingAddressInput!) {
    updateBillingAddress(input: $input) { address { id line1 postalCode country isDefault
    verification } } }";
pub const SET_DEFAULT: &str = "mutation D($input: SetDefaultBillingAddressInput!) {
    setDefaultBillingAddress(input: $input) { address { id isDefault } } }";
pub const REMOVE_ADDRESS: &str = "mutation R($input: RemoveBillingAddressInput!) {
    removeBillingAddress(input: $input) { removedAddressId } }";
pub const VERIFY_ADDRESS: &str = "mutation V($input: VerifyAddressInput!) {
    verifyAddress(input: $input) { address { id verification verifiedAt } } }";
pub const ADDRESSES: &str = "query A($id: ID!) { customer(id: $id) { billingAddresses {
    id line1 city postalCode region country lines isDefault verification } } }";

pub const CREATE_TEAM: &str =
    "mutation T($input: CreateTeamInput!) { createTeam(input: $input) { team { id name } } }";
pub const RENAME_TEAM: &str =
    "mutation T($input: RenameTeamInput!) { renameTeam(input: $input) { team { id name } } }";
pub const DELETE_TEAM: &str = "mutation T($input: DeleteTeamInput!) {
    deleteTeam(input: $input) { deletedTeamId membersMoved } }";
pub const CREATE_MEMBER: &str = "mutation M($input: CreateMemberInput!) {
    createMember(input: $input) { member { id name email team { id name } licenseCount } } }";
pub const UPDATE_MEMBER: &str = "mutation M($input: UpdateMemberInput!) {
    updateMember(input: $input) { member { id name email team { id name } licenseCount } } }";
pub const REMOVE_MEMBER: &str = "mutation M($input: RemoveMemberInput!) {
    removeMember(input: $input) { removedMemberId } }";
pub const PEOPLE: &str = "query P($id: ID!) { customer(id: $id) {
    teams(first: 100) { nodes { id name } }
    members(first: 100) { nodes { id name email team { id name } licenseCount } } } }";

pub const CHANGE_PASSWORD: &str = "mutation P($input: ChangePasswordInput!) {
    changePassword(input: $input) { token expiresAt } }";

/// Runs `query` with `input`; returns the body, errors included.
pub async fn call(session: &Session<'_>, query: &str, input: Value) -> Value {
    session.graphql(query, json!({ "input": input })).await
}

/// Like [`call`], for a request that must succeed; returns its data.
pub async fn ok(session: &Session<'_>, query: &str, input: Value) -> Value {
    let body = call(session, query, input).await;
    assert_ok(&body);
    body["data"].clone()
}

/// The `extensions.reason` of the first error.
pub fn reason(body: &Value) -> &str {
    body["errors"][0]["extensions"]["reason"]
        .as_str()
        .unwrap_or_else(|| panic!("no reason: {body}"))
}

/// A valid contact for `customer`.
pub fn contact(customer: &str, name: &str, email: &str, receives_invoices: bool) -> Value {
    json!({ "customerId": customer, "role": "ACCOUNTING", "name": name, "email": email,
            "phone": "+33 1 23 45 67 89", "receivesInvoices": receives_invoices })
}

/// A valid French address for `customer`.
pub fn paris(customer: &str) -> Value {
    json!({ "customerId": customer, "line1": "8 Rue de Rivoli", "city": "Paris",
            "postalCode": "75004", "country": "FR" })
}

/// The billing addresses of `customer`, read by `session`.
pub async fn addresses(session: &Session<'_>, customer: &str) -> Vec<Value> {
    let body = session.graphql(ADDRESSES, json!({ "id": customer })).await;
    assert_ok(&body);
    body["data"]["customer"]["billingAddresses"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("addresses: {body}"))
}

/// The teams and members of `customer`, read by `session`.
pub async fn people(session: &Session<'_>, customer: &str) -> (Vec<Value>, Vec<Value>) {
    let body = session.graphql(PEOPLE, json!({ "id": customer })).await;
    assert_ok(&body);
    let list = |key: &str| {
        body["data"]["customer"][key]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("{key}: {body}"))
    };
    (list("teams"), list("members"))
}

/// An audit entry as the tests read it: the JSON texts of `before` and `after` parsed.
#[derive(Debug)]
pub struct Audited {
    /// `area.verb`.
    pub action: String,
    /// The state before (null when none).
    pub before: Value,
    /// The state after (null when none).
    pub after: Value,
}

/// The entries of the signed-in user's organisation about `subject`, newest first.
pub async fn audit_of(session: &Session<'_>, subject: &str) -> Vec<Audited> {
    let data: Value = session
        .data(
            "audit log",
            "{ viewer { organisation { auditLog(first: 100) {
                nodes { action subjectId before after } } } } }",
            json!({}),
        )
        .await;
    let parse = |v: &Value| {
        v.as_str()
            .map(|text| serde_json::from_str(text).expect("audit JSON"))
            .unwrap_or(Value::Null)
    };
    data["viewer"]["organisation"]["auditLog"]["nodes"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["subjectId"] == subject)
        .map(|e| Audited {
            action: e["action"].as_str().unwrap_or_default().to_owned(),
            before: parse(&e["before"]),
            after: parse(&e["after"]),
        })
        .collect()
}
