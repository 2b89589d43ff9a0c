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
