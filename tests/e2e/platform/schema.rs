//! `schema.graphql` is generated from the code; this fails when the two drift apart.

#[test]
fn schema_graphql_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema.graphql at the workspace root");
    let generated = api::graphql::sdl();
    assert!(
        committed == generated,
        "schema.graphql is out of date: run `cargo xtask schema` and commit the result"
    );
}

/// Every portal operation is compiled against `schema.graphql` by a `graphql_client` derive in
/// `portal/src/operations.rs` or a module of `portal/src/operations/` (a mismatch does not
/// compile, and the test above ties
/// `schema.graphql` to the code). This makes sure no operation file escapes that check.
#[test]
fn every_portal_operation_is_checked_against_the_schema() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../portal");
    // `operations.rs` and the modules of `operations/`.
    let mut derives =
        std::fs::read_to_string(format!("{root}/src/operations.rs")).expect("operations.rs");
    for entry in std::fs::read_dir(format!("{root}/src/operations")).expect("operations/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            derives.push_str(&std::fs::read_to_string(&path).expect("an operations module"));
        }
    }
    let mut files = 0;
    for entry in std::fs::read_dir(format!("{root}/graphql")).expect("portal/graphql") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".graphql") {
            files += 1;
            assert!(
                derives.contains(&format!("query_path = \"graphql/{name}\"")),
                "portal/graphql/{name} has no derive in portal/src/operations(.rs|/), so it is not checked against schema.graphql"
            );
        }
    }
    assert!(
        files >= 8,
        "expected the portal's operations, found {files}"
    );
}
