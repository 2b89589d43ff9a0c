//! `GET /admin/api-keys`: every API key with its scopes and use; `POST /admin/api-keys`
//! creates one and shows its secret on the answer only (never in a URL, never again); `POST
//! /admin/api-keys/revoke` revokes one. Other roles than admin get the API's refusal.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::filter::{FilterField, FilterForm, either};
use crate::flash::Flash;
use crate::form::{FormErrors, InputField};
use crate::html::render;
use crate::operations::{
    ApiKeys, CreateApiKey, RevokeApiKey, api_keys, create_api_key, revoke_api_key,
};
use crate::route::Route;
use crate::session::Visitor;
use crate::text::{day, label};

/// The API keys page.
#[derive(Template)]
#[template(path = "usage/keys.html")]
struct KeysPage {
    chrome: Chrome,
    flash: Option<Flash>,
    /// The keys, newest first, a page at a time.
    keys: Vec<KeyRow>,
    /// The list's filter, as the URL carries it.
    filter_form: FilterForm,
    /// The next page's link (same filter), if there is one.
    next: Option<String>,
    /// The name typed in the form.
    name: String,
    /// The form's refusal.
    errors: FormErrors,
    /// A key just created: its name and secret, shown this once.
    created: Option<(String, String)>,
}

/// One key.
struct KeyRow {
    /// Its id (`key_…`).
    id: String,
    /// Its name.
    name: String,
    /// The start of its secret, to recognise it.
    prefix: String,
    /// What it may do.
    scopes: String,
    /// Created on.
    created: String,
    /// Last used on.
    last_used: String,
    /// Revoked on, if it is.
    revoked: Option<String>,
}

impl KeysPage {
    /// The name field.
    fn name_field(&self) -> InputField {
        InputField::text("name".into(), "Name", &self.name, &self.errors, "name")
            .hint("Who uses it: “Telecom platform”.")
    }

    /// The message beside the scopes.
    fn scopes_error(&self) -> Option<&str> {
        self.errors.get("scopes")
    }
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct KeysParams {
    done: Option<String>,
    #[serde(flatten)]
    list: KeysList,
}

/// The part of the list the URL asks for: its page and its filter.
#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct KeysList {
    after: Option<String>,
    /// `active`, `revoked`, or empty for both.
    #[serde(default)]
    state: String,
}

/// The state filter's choices: (value, words).
const STATES: [(&str, &str); 2] = [("active", "Not revoked"), ("revoked", "Revoked")];

impl KeysList {
    fn form(&self) -> FilterForm {
        FilterForm {
            route: Route::ApiKeys,
            label: "Find API keys",
            fields: vec![FilterField::select(
                "state",
                "State",
                "Any state",
                &STATES,
                &self.state,
            )],
        }
    }

    /// The operation's variables; a state the select does not offer is a bad request.
    fn variables(&self) -> Result<api_keys::Variables, PageError> {
        Ok(api_keys::Variables {
            after: self.after.clone(),
            active: either(&self.state, "active", "revoked")?,
        })
    }
}

/// The revocation form.
#[derive(Deserialize)]
pub(super) struct RevokeForm {
    csrf: String,
    key: String,
}

/// The page, with the form's state.
async fn keys_page(
    console: &Console,
    visitor: &Visitor,
    list: KeysList,
    flash: Option<Flash>,
    name: String,
    errors: FormErrors,
    created: Option<(String, String)>,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::ApiKeys).await?;
    let data = console
        .run::<ApiKeys>(list.variables()?, Some(&visitor.session))
        .await?;
    let status = errors.status();
    let connection = data.api_keys;
    let filter_form = list.form();
    let page = KeysPage {
        chrome,
        flash,
        next: filter_form.next_href(
            connection
                .page_info
                .has_next_page
                .then_some(connection.page_info.end_cursor)
                .flatten(),
        ),
        filter_form,
        keys: connection
            .nodes
            .into_iter()
            .map(|k| KeyRow {
                scopes: k.scopes.iter().map(label).collect::<Vec<_>>().join(", "),
                created: day(k.created_at.date_naive()),
                last_used: k
                    .last_used_at
                    .map_or_else(|| "Never".to_owned(), |at| day(at.date_naive())),
                revoked: k.revoked_at.map(|at| day(at.date_naive())),
                id: k.id,
                name: k.name,
                prefix: k.prefix,
            })
            .collect(),
        name,
        errors,
        created,
    };
    Ok(render(status, &page))
}

/// `GET /admin/api-keys`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<KeysParams>,
) -> Result<Response, PageError> {
    let flash = Flash::from_param(params.done.as_deref());
    keys_page(
        &console,
        &visitor,
        params.list,
        flash,
        String::new(),
        FormErrors::none(),
        None,
    )
    .await
}

/// `POST /admin/api-keys`: the page with the new key's secret, or the form's refusal.
pub(super) async fn create(
    State(console): State<Console>,
    visitor: Visitor,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    visitor.verify_form(&value("csrf"))?;
    let scopes: Vec<create_api_key::Scope> = fields
        .iter()
        .filter(|(k, _)| k == "scope")
        .filter_map(|(_, v)| match v.as_str() {
            "usage_write" => Some(create_api_key::Scope::USAGE_WRITE),
            "read" => Some(create_api_key::Scope::READ),
            _ => None,
        })
        .collect();
    let name = value("name");
    let variables = create_api_key::Variables {
        input: create_api_key::CreateApiKeyInput {
            name: name.clone(),
            scopes,
        },
    };
    match console
        .run::<CreateApiKey>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => {
            let created = Some((data.create_api_key.api_key.name, data.create_api_key.secret));
            keys_page(
                &console,
                &visitor,
                KeysList::default(),
                None,
                String::new(),
                FormErrors::none(),
                created,
            )
            .await
        }
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| f == "name" || f == "scopes")?;
            keys_page(
                &console,
                &visitor,
                KeysList::default(),
                None,
                name,
                errors,
                None,
            )
            .await
        }
    }
}

/// `POST /admin/api-keys/revoke`.
pub(super) async fn revoke(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<RevokeForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let variables = revoke_api_key::Variables {
        input: revoke_api_key::RevokeApiKeyInput {
            api_key_id: form.key,
        },
    };
    console
        .run::<RevokeApiKey>(variables, Some(&visitor.session))
        .await?;
    Ok(Redirect::to(&Flash::ApiKeyRevoked.href(&Route::ApiKeys)).into_response())
}
