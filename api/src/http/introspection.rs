//! Which queries are introspection: GraphiQL, graphql-codegen, Postman and schemathesis send
//! graphql-js's standard introspection query, which nests deeper than the ordinary depth
//! limit. Only the root selection decides, so an ordinary field anywhere at the root keeps the
//! ordinary limits.

use async_graphql::Request;
use async_graphql::parser::types::{DocumentOperations, OperationType};

/// What the root of the operation a request would run selects, as far as introspection goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Introspection {
    /// No `__schema` or `__type` at the root (or the query does not parse: validation will say).
    Absent,
    /// Only `__schema`, `__type` and `__typename` at the root.
    Only,
    /// Introspection beside ordinary fields.
    Mixed,
}

/// Classifies the root selection of the operation a request would run (fragments followed).
pub fn introspection_of(request: &mut Request) -> Introspection {
    use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

    /// Root field names; `false` when a fragment chain runs too long (a cycle is a validation
    /// error, which the executor reports).
    fn root_fields<'a>(
        set: &'a SelectionSet,
        document: &'a ExecutableDocument,
        hops: usize,
        names: &mut Vec<&'a str>,
    ) -> bool {
        hops < 16
            && set.items.iter().all(|item| match &item.node {
                Selection::Field(field) => {
                    names.push(field.node.name.node.as_str());
                    true
                }
                Selection::InlineFragment(fragment) => {
                    root_fields(&fragment.node.selection_set.node, document, hops + 1, names)
                }
                Selection::FragmentSpread(spread) => document
                    .fragments
                    .get(&spread.node.fragment_name.node)
                    .is_some_and(|f| {
                        root_fields(&f.node.selection_set.node, document, hops + 1, names)
                    }),
            })
    }

    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return Introspection::Absent;
    };
    let operation = match (&document.operations, name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    };
    let Some(operation) = operation else {
        return Introspection::Absent;
    };
    let mut names = Vec::new();
    if !root_fields(&operation.node.selection_set.node, document, 0, &mut names) {
        // Too deep to follow: treat it as the strictest case (ordinary limits in development,
        // refused in production), never as plain ordinary.
        return Introspection::Mixed;
    }
    let introspects = names.iter().any(|n| matches!(*n, "__schema" | "__type"));
    let only_meta = names
        .iter()
        .all(|n| matches!(*n, "__schema" | "__type" | "__typename"));
    match (introspects, only_meta, operation.node.ty) {
        (false, _, _) => Introspection::Absent,
        (true, true, OperationType::Query) => Introspection::Only,
        (true, _, _) => Introspection::Mixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn introspection_is_classified_by_the_root_selection() {
        use Introspection::{Absent, Mixed, Only};
        let of = |query: &str| introspection_of(&mut Request::new(query));
        assert_eq!(of("{ __schema { types { name } } }"), Only);
        assert_eq!(
            of(
                "query IntrospectionQuery { __schema { ...S } } fragment S on __Schema { types { name } }"
            ),
            Only
        );
        assert_eq!(of("{ __type(name: \"Query\") { name } __typename }"), Only);
        assert_eq!(of("{ ... on Query { __schema { description } } }"), Only);
        // An ordinary field anywhere at the root keeps the ordinary limits.
        assert_eq!(
            of("{ __schema { types { name } } viewer { user { id } } }"),
            Mixed
        );
        assert_eq!(
            of(
                "{ ...F __type(name: \"Query\") { name } } fragment F on Query { viewer { user { id } } }"
            ),
            Mixed
        );
        assert_eq!(of("{ __typename viewer { user { id } } }"), Absent);
        assert_eq!(of("{ viewer { user { id } } }"), Absent);
        assert_eq!(of("{ broken"), Absent);
        // A fragment chain too long to follow is never taken for an ordinary query.
        let chain: String = (0..20)
            .map(|i| format!("fragment F{i} on Query {{ ...F{} }} ", i + 1))
            .collect();
        let deep =
            format!("{{ ...F0 }} {chain}fragment F20 on Query {{ __schema {{ description }} }}");
        assert_eq!(of(&deep), Mixed);
        let two = "query A { __schema { description } } query B { viewer { user { id } } }";
        assert_eq!(
            of(two),
            Absent,
            "no operation chosen: the executor refuses it"
        );
        assert_eq!(
            introspection_of(&mut Request::new(two).operation_name("A")),
            Only
        );
        assert_eq!(
            introspection_of(&mut Request::new(two).operation_name("B")),
            Absent
        );
    }
}
