//! The tenancy sweep: every place the schema takes an id, called as each role of Globex with
//! Acme's real ids, must answer exactly as it answers an id that does not exist (`NOT_FOUND`,
//! or `FORBIDDEN` where the role may not act at all), and change nothing.
//!
//! The places come from the schema (`api::graphql::sdl()`, which `schema.graphql` is checked
//! against): every argument of a field of any object type (`Query`, `Mutation`, `Customer`,
//! `LicenseItem`, …) whose type is `ID` or an input object holding an `ID` at any depth. A
//! place without a probe in `probes.rs` fails the sweep by name, so a new slice cannot add an
//! id unswept. An id passed as a `String` would slip past, so a second check refuses any
//! argument or input field named `id` or `…Id` that is not typed `ID`.

use std::collections::BTreeSet;

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{
    BaseType, ServiceDocument, Type, TypeKind, TypeSystemDefinition,
};
use serde_json::{Value, json};
use tests::{Role, Session, e2e_test, error_code};

use super::probes::{Expect, Probe, World, probes};

/// The organisation that tries, with each of its roles.
const INTRUDER: &str = "Globex";
const INTRUDER_ROLES: [Role; 3] = [Role::Owner, Role::BillingAdmin, Role::Viewer];

/// Every id-taking place of `sdl`, as `Type.field(argument.path)` coordinates.
pub fn id_places(sdl: &str) -> BTreeSet<String> {
    let document = parse_schema(sdl).expect("the schema parses");
    let mut places = BTreeSet::new();
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let type_name = ty.node.name.node.as_str();
        let TypeKind::Object(object) = &ty.node.kind else {
            continue;
        };
        // Introspection's own types take no ids of ours.
        if type_name.starts_with("__") {
            continue;
        }
        for field in &object.fields {
            for argument in &field.node.arguments {
                let mut paths = Vec::new();
                id_paths(
                    &document,
                    &argument.node.ty.node,
                    argument.node.name.node.to_string(),
                    0,
                    &mut paths,
                );
                for path in paths {
                    places.insert(format!("{type_name}.{}({path})", field.node.name.node));
                }
            }
        }
    }
    places
}

/// The paths below `path` (of type `ty`) that hold an `ID`.
fn id_paths(
    document: &ServiceDocument,
    ty: &Type,
    path: String,
    depth: usize,
    out: &mut Vec<String>,
) {
    let name = match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => return id_paths(document, inner, path, depth, out),
    };
    if name == "ID" {
        out.push(path);
        return;
    }
    // Input objects may nest (even recursively): eight levels is far past any real input.
    if depth >= 8 {
        return;
    }
    let input = document.definitions.iter().find_map(|d| match d {
        TypeSystemDefinition::Type(t) if t.node.name.node == name => match &t.node.kind {
            TypeKind::InputObject(input) => Some(input),
            _ => None,
        },
        _ => None,
    });
    for field in input.into_iter().flat_map(|i| &i.fields) {
        id_paths(
            document,
            &field.node.ty.node,
            format!("{path}.{}", field.node.name.node),
            depth + 1,
            out,
        );
    }
}

/// Arguments and input fields named like an id (`id`, `…Id`, `…Ids`) whose type is not `ID`:
/// the sweep finds ids by type, so an id typed `String` would escape it.
pub fn untyped_ids(sdl: &str) -> Vec<String> {
    let document = parse_schema(sdl).expect("the schema parses");
    let named_like_id = |name: &str| name == "id" || name.ends_with("Id") || name.ends_with("Ids");
    let is_id = |ty: &Type| {
        let mut ty = ty;
        while let BaseType::List(inner) = &ty.base {
            ty = inner;
        }
        matches!(&ty.base, BaseType::Named(name) if name.as_str() == "ID")
    };
    let mut found = Vec::new();
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let type_name = ty.node.name.node.as_str();
        let values: Vec<(String, &Type)> = match &ty.node.kind {
            TypeKind::Object(object) => object
                .fields
                .iter()
                .flat_map(|f| {
                    f.node.arguments.iter().map(move |a| {
                        (
                            format!("{type_name}.{}({})", f.node.name.node, a.node.name.node),
                            &a.node.ty.node,
                        )
                    })
                })
                .collect(),
            TypeKind::InputObject(input) => input
                .fields
                .iter()
                .map(|f| (format!("{type_name}.{}", f.node.name.node), &f.node.ty.node))
                .collect(),
            _ => continue,
        };
        for (place, ty) in values {
            let name = place
                .rsplit(['.', '('])
                .next()
                .unwrap_or_default()
                .trim_end_matches(')');
            if named_like_id(name) && !is_id(ty) {
                found.push(place);
            }
        }
    }
    found
}

/// The places of `sdl` no probe covers, and the probes whose place is not in `sdl`.
fn coverage(sdl: &str, probed: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    let places = id_places(sdl);
    (
        places.difference(probed).cloned().collect(),
        probed.difference(&places).cloned().collect(),
    )
}

#[test]
fn a_new_id_argument_without_a_probe_is_named() {
    let probed: BTreeSet<String> = probes_places();
    let (missing, stale) = coverage(&api::graphql::sdl(), &probed);
    assert!(
        missing.is_empty() && stale.is_empty(),
        "{missing:?} {stale:?}"
    );
    // The same check on today's schema plus a new id argument and an id nested two inputs
    // deep: each is named.
    let extended = format!(
        "{}\nextend type Mutation {{ voidInvoice(input: VoidInvoiceInput!): Boolean! }}\n\
         input VoidInvoiceInput {{ lines: [LineRef!]! }}\ninput LineRef {{ invoiceId: ID! }}\n\
         extend type Query {{ invoice(id: ID!): Boolean! }}\n",
        api::graphql::sdl()
    );
    let (missing, _) = coverage(&extended, &probed);
    assert_eq!(
        missing,
        vec![
            "Mutation.voidInvoice(input.lines.invoiceId)".to_owned(),
            "Query.invoice(id)".to_owned(),
        ]
    );

    // An id argument on a type below the roots is found too.
    let nested = format!(
        "{}\nextend type LicenseItem {{ seat(id: ID!): License! }}\n",
        api::graphql::sdl()
    );
    let (missing, _) = coverage(&nested, &probed);
    assert_eq!(missing, vec!["LicenseItem.seat(id)".to_owned()]);
}

#[test]
fn every_id_is_typed_id() {
    assert_eq!(untyped_ids(&api::graphql::sdl()), Vec::<String>::new());
    let sneaky = format!(
        "{}\nextend type Query {{ invoiceByString(invoiceId: String!): Boolean! }}\n\
         input Refund {{ paymentId: String }}\n",
        api::graphql::sdl()
    );
    assert_eq!(
        untyped_ids(&sneaky),
        vec![
            "Query.invoiceByString(invoiceId)".to_owned(),
            "Refund.paymentId".to_owned()
        ]
    );
}

/// The places the probes claim, without a server: the probes are listed with placeholder ids.
fn probes_places() -> BTreeSet<String> {
    probes(&World::placeholder())
        .iter()
        .map(|p| p.place.to_owned())
        .collect()
}

e2e_test!(
    every_id_of_another_tenant_answers_like_a_missing_one,
    |app| {
        let world = World::set_up(&app).await;
        let probes = probes(&world);

        // Every id-taking place of the schema has a probe, and every probe a place.
        let probed: BTreeSet<String> = probes.iter().map(|p| p.place.to_owned()).collect();
        let (missing, stale) = coverage(&api::graphql::sdl(), &probed);
        assert!(
            missing.is_empty(),
            "id-taking places without a tenancy probe (add them to tests/e2e/tenancy/probes.rs): \
         {missing:#?}"
        );
        assert!(
            stale.is_empty(),
            "probes of places the schema no longer has: {stale:#?}"
        );

        let mut intruders = Vec::new();
        for role in INTRUDER_ROLES {
            intruders.push((app.as_role(INTRUDER, role).await, role));
        }
        // The control: the intruders' own ids answer, so a refusal below is about the foreign id.
        for (session, role) in &intruders {
            let own = session
                .graphql(
                    "query Q($id: ID!) { viewer { organisation { licenseItem(id: $id) { id } } } }",
                    json!({ "id": world.globex_item }),
                )
                .await;
            assert_eq!(
                own["data"]["viewer"]["organisation"]["licenseItem"]["id"],
                world.globex_item.as_str(),
                "{role:?}: {own}"
            );
        }

        // Signed in first: sign-ins are audited, and the snapshot must see only the probes' effects.
        let before = world.snapshot(&app).await;
        for (session, role) in &intruders {
            for probe in &probes {
                sweep_one(session, *role, probe).await;
            }
        }
        let after = world.snapshot(&app).await;
        assert_eq!(before, after, "a refused call changed something");
    }
);

/// Calls `probe` with the foreign id and with a fresh id of the same kind, as `role`.
async fn sweep_one(session: &Session<'_>, role: Role, probe: &Probe) {
    let random = random_like(&probe.foreign);
    let foreign = call(session, probe, &probe.foreign).await;
    let missing = call(session, probe, &random).await;
    let expected = match probe.expect {
        Expect::StaffOnly => "FORBIDDEN",
        Expect::NotFound => "NOT_FOUND",
    };
    // Not `assert_code`: in a sweep the place and the role are what the failure must name.
    assert_eq!(
        error_code(&foreign),
        Some(expected),
        "{} as {role:?} with another tenant's id: {foreign}",
        probe.place
    );
    assert_eq!(
        without_locations(&foreign),
        without_locations(&missing),
        "{} as {role:?}: another tenant's id must answer like a missing one",
        probe.place
    );
}

/// `probe` with `id` as `session`: over `/graphql`, or for a subscription its first result
/// over `/graphql/ws`.
async fn call(session: &Session<'_>, probe: &Probe, id: &str) -> Value {
    if !probe.query.starts_with("subscription") {
        return session.graphql(probe.query, probe.variables(id)).await;
    }
    let mut socket = crate::ws::connect_with_token(session.app(), session.token())
        .await
        .unwrap_or_else(|refusal| panic!("{}: {refusal:?}", probe.place));
    socket.first_result(probe.query, probe.variables(id)).await
}

/// A response's errors and data, without source locations (equal anyway, but noise).
fn without_locations(body: &Value) -> Value {
    let errors: Vec<Value> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| json!({ "message": e["message"], "path": e["path"], "extensions": e["extensions"] }))
        .collect();
    json!({ "data": body["data"], "errors": errors })
}

/// An id of the same kind (prefix) as `id` that no row has.
fn random_like(id: &str) -> String {
    let prefix = id.split_once('_').map_or("", |(p, _)| p);
    format!("{prefix}_{}", uuid::Uuid::now_v7().simple())
}
