//! An in-test Stripe (stripe-mock is not reachable here): an axum server on port 0 answering
//! the calls Billfold's Stripe processor makes with complete objects in the shapes Stripe
//! sends and async-stripe 1.0.0-rc.10 parses, reached through the client's base-URL override
//! (`payments.stripe.api_base`). Like Stripe, it answers a repeated `Idempotency-Key` with the
//! first answer, refuses one that comes back with other parameters (400 `idempotency_error`),
//! and forgets keys after a while (24 hours at Stripe; [`FakeStripe::set_key_lifetime`] here),
//! and it records every key it saw so tests can show a retry sent the same one.
//!
//! Test methods behave like Stripe's test cards and IBANs: see [`TestMethod`]. What the
//! customer's browser does with the Payment Element is [`FakeStripe::complete_setup`]; what
//! Stripe does later (a SEPA debit settling) is [`FakeStripe::settle`], followed by the event
//! a test delivers to `/webhooks/stripe` signed with [`WEBHOOK_SECRET`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api::config::{Config, ProcessorKind, Secret, StripeSettings};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{Value, json};

/// The secret key the test server expects.
pub const SECRET_KEY: &str = "sk_test_billfold_in_test_stripe";
/// The publishable key configured.
pub const PUBLISHABLE_KEY: &str = "pk_test_billfold_in_test_stripe";
/// The webhook signing secret configured.
pub const WEBHOOK_SECRET: &str = "whsec_billfold_in_test_stripe";

/// What a test method does when charged (Stripe's test numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestMethod {
    /// `4242 4242 4242 4242`: succeeds.
    Succeeds,
    /// `4000 0000 0000 0002`: declined.
    Declined,
    /// `4000 0000 0000 9995`: insufficient funds.
    NoFunds,
    /// `4000 0027 6000 3184`: asks for authentication.
    Authenticates,
    /// IBAN `DE89370400440532013000`: processing, then settles.
    Iban,
    /// A kind of method Billfold does not take (Stripe's Link).
    Unsupported,
}

impl TestMethod {
    fn last4(self) -> &'static str {
        match self {
            TestMethod::Succeeds => "4242",
            TestMethod::Declined => "0002",
            TestMethod::NoFunds => "9995",
            TestMethod::Authenticates => "3184",
            TestMethod::Iban => "3000",
            TestMethod::Unsupported => "0000",
        }
    }
}

/// The first answer to an idempotency key, and what it answered.
struct Reply {
    path: String,
    form: HashMap<String, String>,
    status: u16,
    body: Value,
    at: Instant,
}

/// How long Stripe remembers an idempotency key.
const STRIPE_KEY_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Default)]
struct Stripe {
    seq: u64,
    customers: HashMap<String, Value>,
    setups: HashMap<String, Value>,
    methods: HashMap<String, (Value, TestMethod)>,
    intents: HashMap<String, Value>,
    refunds: HashMap<String, Value>,
    mandates: HashMap<String, Value>,
    /// The first answer to each idempotency key.
    replies: HashMap<String, Reply>,
    /// How long a key is remembered (`None`: Stripe's 24 hours).
    key_lifetime: Option<Duration>,
    /// Every `(path, Idempotency-Key)` of a POST, in order.
    keys: Vec<(String, String)>,
    /// Every form posted to create a PaymentIntent, in order.
    intent_forms: Vec<HashMap<String, String>>,
    /// Answers of PaymentIntent creations to do and then lose (a 500 after the work).
    lose_answers: u32,
    /// Answers of refund creations to do and then lose.
    lose_refund_answers: u32,
}

impl Stripe {
    fn id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        format!("{prefix}_test{:08}", self.seq)
    }
}

type Shared = Arc<Mutex<Stripe>>;

/// The running test server.
pub struct FakeStripe {
    /// `http://127.0.0.1:<port>/`.
    pub url: String,
    state: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        self.task.abort();
    }
}

const CREATED: i64 = 1_767_225_600;

fn customer_json(id: &str, email: &str, metadata: Value) -> Value {
    json!({
        "id": id, "object": "customer", "address": null, "balance": 0, "created": CREATED,
        "currency": null, "default_source": null, "delinquent": false, "description": null,
        "discount": null, "email": email, "invoice_prefix": "BF0001",
        "invoice_settings": { "custom_fields": null, "default_payment_method": null,
            "footer": null, "rendering_options": null },
        "livemode": false, "metadata": metadata, "name": null, "next_invoice_sequence": 1,
        "phone": null, "preferred_locales": [], "shipping": null, "tax_exempt": "none",
        "test_clock": null
    })
}

fn method_json(id: &str, customer: Option<&str>, kind: TestMethod) -> Value {
    let billing = json!({ "address": { "city": null, "country": null, "line1": null,
        "line2": null, "postal_code": null, "state": null }, "email": null,
        "name": if kind == TestMethod::Iban { json!("Acme Telecom SA") } else { Value::Null },
        "phone": null, "tax_id": null });
    let mut method = json!({
        "id": id, "object": "payment_method", "allow_redisplay": "always",
        "billing_details": billing, "created": CREATED, "customer": customer,
        "livemode": false, "metadata": {},
        "type": match kind { TestMethod::Iban => "sepa_debit",
            TestMethod::Unsupported => "link", _ => "card" }
    });
    if kind == TestMethod::Unsupported {
        method["link"] = json!({ "email": "billing@acme.example", "persistent_token": null });
    } else if kind == TestMethod::Iban {
        method["sepa_debit"] = json!({ "bank_code": "37040044", "branch_code": "",
            "country": "DE", "fingerprint": "fpSepaTest", "generated_from": { "charge": null,
            "setup_attempt": null }, "last4": kind.last4() });
    } else {
        method["card"] = json!({
            "brand": "visa", "checks": { "address_line1_check": null,
                "address_postal_code_check": null, "cvc_check": "pass" },
            "country": "US", "display_brand": "visa", "exp_month": 12, "exp_year": 2034,
            "fingerprint": format!("fp{}", kind.last4()), "funding": "credit",
            "generated_from": null, "last4": kind.last4(),
            "networks": { "available": ["visa"], "preferred": null },
            "regulated_status": "unregulated",
            "three_d_secure_usage": { "supported": true }, "wallet": null
        });
    }
    method
}

fn setup_json(id: &str, customer: &str, metadata: Value) -> Value {
    json!({
        "id": id, "object": "setup_intent", "application": null,
        "automatic_payment_methods": { "allow_redirects": "always", "enabled": true },
        "cancellation_reason": null, "client_secret": format!("{id}_secret_in_test"),
        "created": CREATED, "customer": customer, "description": null,
        "flow_directions": null, "last_setup_error": null, "latest_attempt": null,
        "livemode": false, "mandate": null, "metadata": metadata, "next_action": null,
        "on_behalf_of": null, "payment_method": null, "payment_method_options": {},
        "payment_method_types": ["card", "sepa_debit"], "single_use_mandate": null,
        "status": "requires_payment_method", "usage": "off_session"
    })
}

fn intent_json(id: &str, form: &HashMap<String, String>, status: &str) -> Value {
    let amount: i64 = form.get("amount").and_then(|a| a.parse().ok()).unwrap_or(0);
    let received = if status == "succeeded" { amount } else { 0 };
    json!({
        "id": id, "object": "payment_intent", "amount": amount, "amount_capturable": 0,
        "amount_details": { "tip": {} }, "amount_received": received, "application": null,
        "application_fee_amount": null,
        "automatic_payment_methods": { "allow_redirects": "never", "enabled": true },
        "canceled_at": null, "cancellation_reason": null, "capture_method": "automatic",
        "client_secret": format!("{id}_secret_in_test"), "confirmation_method": "automatic",
        "created": CREATED, "currency": form.get("currency").cloned().unwrap_or_default(),
        "customer": form.get("customer"), "description": null, "last_payment_error": null,
        "latest_charge": if status == "succeeded" { json!(format!("ch_{id}")) } else { Value::Null },
        "livemode": false,
        "metadata": { "billfold_key": form.get("metadata[billfold_key]") },
        "next_action": null, "on_behalf_of": null,
        "payment_method": form.get("payment_method"),
        "payment_method_configuration_details": null, "payment_method_options": {},
        "payment_method_types": ["card", "sepa_debit"], "processing": null,
        "receipt_email": null, "review": null, "setup_future_usage": null, "shipping": null,
        "statement_descriptor": null, "statement_descriptor_suffix": null, "status": status,
        "transfer_data": null, "transfer_group": null
    })
}

fn error_json(kind: &str, code: &str, decline: Option<&str>, message: &str) -> Value {
    json!({ "type": kind, "code": code, "decline_code": decline, "message": message,
        "doc_url": format!("https://stripe.com/docs/error-codes/{code}") })
}

fn not_found(what: &str, id: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(
            json!({ "error": { "type": "invalid_request_error", "code": "resource_missing",
            "message": format!("No such {what}: '{id}'"), "param": "id" } }),
        ),
    )
        .into_response()
}

fn key_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Records the key of a POST and answers its first reply again when it was seen before with
/// the same parameters; Stripe's 400 `idempotency_error` when it comes back with others. A key
/// older than the lifetime is forgotten: the request is new again.
fn replay(
    stripe: &mut Stripe,
    path: &str,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Option<Response> {
    let key = key_of(headers)?;
    stripe.keys.push((path.to_owned(), key.clone()));
    let lifetime = stripe.key_lifetime.unwrap_or(STRIPE_KEY_LIFETIME);
    if stripe
        .replies
        .get(&key)
        .is_some_and(|r| r.at.elapsed() >= lifetime)
    {
        stripe.replies.remove(&key);
    }
    let reply = stripe.replies.get(&key)?;
    if reply.path != path || &reply.form != form {
        return Some(
            (
                StatusCode::BAD_REQUEST,
                Json(json!({ "error": { "type": "idempotency_error",
                    "message": format!("Keys for idempotent requests can only be used with the \
                        same parameters they were first used with. Try using a key other than \
                        '{key}' if you meant to execute a different request.") } })),
            )
                .into_response(),
        );
    }
    Some(
        (
            StatusCode::from_u16(reply.status).expect("status"),
            Json(reply.body.clone()),
        )
            .into_response(),
    )
}

fn remember(
    stripe: &mut Stripe,
    headers: &HeaderMap,
    path: &str,
    form: &HashMap<String, String>,
    status: u16,
    body: Value,
) -> Response {
    if let Some(key) = key_of(headers) {
        let reply = Reply {
            path: path.to_owned(),
            form: form.clone(),
            status,
            body: body.clone(),
            at: Instant::now(),
        };
        stripe.replies.insert(key, reply);
    }
    (StatusCode::from_u16(status).expect("status"), Json(body)).into_response()
}

async fn create_customer(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut stripe = state.lock().expect("stripe state");
    if let Some(reply) = replay(&mut stripe, "/v1/customers", &headers, &form) {
        return reply;
    }
    let id = stripe.id("cus");
    let metadata = json!({ "billfold_customer": form.get("metadata[billfold_customer]") });
    let customer = customer_json(&id, form.get("email").map_or("", String::as_str), metadata);
    stripe.customers.insert(id, customer.clone());
    remember(&mut stripe, &headers, "/v1/customers", &form, 200, customer)
}

async fn create_setup(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut stripe = state.lock().expect("stripe state");
    if let Some(reply) = replay(&mut stripe, "/v1/setup_intents", &headers, &form) {
        return reply;
    }
    let customer = form.get("customer").cloned().unwrap_or_default();
    if !stripe.customers.contains_key(&customer) {
        return not_found("customer", &customer);
    }
    let id = stripe.id("seti");
    let metadata = json!({ "billfold_customer": form.get("metadata[billfold_customer]") });
    let mut setup = setup_json(&id, &customer, metadata);
    let allowed: Vec<&String> = (0..)
        .map_while(|i| form.get(&format!("allowed_payment_method_types[{i}]")))
        .collect();
    if !allowed.is_empty() {
        setup["payment_method_types"] = json!(allowed);
    }
    stripe.setups.insert(id, setup.clone());
    remember(
        &mut stripe,
        &headers,
        "/v1/setup_intents",
        &form,
        200,
        setup,
    )
}

async fn retrieve_setup(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let stripe = state.lock().expect("stripe state");
    let Some(mut setup) = stripe.setups.get(&id).cloned() else {
        return not_found("setup_intent", &id);
    };
    let expand = query.values().any(|v| v == "payment_method");
    if expand
        && let Some(method) = setup["payment_method"].as_str()
        && let Some((object, _)) = stripe.methods.get(method)
    {
        setup["payment_method"] = object.clone();
    }
    Json(setup).into_response()
}

async fn retrieve_method(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let stripe = state.lock().expect("stripe state");
    match stripe.methods.get(&id) {
        Some((method, _)) => Json(method.clone()).into_response(),
        None => not_found("payment_method", &id),
    }
}

async fn detach_method(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let mut stripe = state.lock().expect("stripe state");
    match stripe.methods.get_mut(&id) {
        Some((method, _)) => {
            method["customer"] = Value::Null;
            Json(method.clone()).into_response()
        }
        None => not_found("payment_method", &id),
    }
}

async fn create_intent(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut stripe = state.lock().expect("stripe state");
    if let Some(reply) = replay(&mut stripe, "/v1/payment_intents", &headers, &form) {
        return reply;
    }
    stripe.intent_forms.push(form.clone());
    let method = form.get("payment_method").cloned().unwrap_or_default();
    let Some((method_json, behaviour)) = stripe.methods.get(&method).cloned() else {
        return not_found("payment_method", &method);
    };
    if method_json["customer"].as_str() != form.get("customer").map(String::as_str) {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": { "type": "invalid_request_error",
                "message": "The provided PaymentMethod is not attached to this customer." } })),
        )
            .into_response();
    }
    let off_session = form.get("off_session").map(String::as_str) == Some("true");
    let id = stripe.id("pi");
    let refusal = match behaviour {
        TestMethod::Declined => Some((
            "card_declined",
            Some("generic_decline"),
            "Your card was declined.",
        )),
        TestMethod::NoFunds => Some((
            "card_declined",
            Some("insufficient_funds"),
            "Your card has insufficient funds.",
        )),
        TestMethod::Authenticates if off_session => Some((
            "authentication_required",
            Some("authentication_required"),
            "Your card was declined. This transaction requires authentication.",
        )),
        _ => None,
    };
    let (status, body) = match refusal {
        Some((code, decline, message)) => {
            let error = error_json("card_error", code, decline, message);
            let mut intent = intent_json(&id, &form, "requires_payment_method");
            intent["last_payment_error"] = error.clone();
            intent["last_payment_error"]["payment_method"] = method_json.clone();
            stripe.intents.insert(id, intent.clone());
            let mut error = error;
            error["payment_intent"] = intent;
            error["payment_method"] = method_json;
            (402, json!({ "error": error }))
        }
        None => {
            let status = match behaviour {
                TestMethod::Authenticates => "requires_action",
                TestMethod::Iban => "processing",
                _ => "succeeded",
            };
            let mut intent = intent_json(&id, &form, status);
            if status == "requires_action" {
                intent["next_action"] = json!({ "type": "use_stripe_sdk",
                    "use_stripe_sdk": { "type": "three_d_secure_redirect" } });
            }
            stripe.intents.insert(id, intent.clone());
            (200, intent)
        }
    };
    let reply = remember(
        &mut stripe,
        &headers,
        "/v1/payment_intents",
        &form,
        status,
        body,
    );
    if stripe.lose_answers > 0 {
        stripe.lose_answers -= 1;
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "error": { "type": "api_error",
                "message": "the answer was lost on its way back" } })),
        )
            .into_response();
    }
    reply
}

async fn retrieve_intent(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let stripe = state.lock().expect("stripe state");
    match stripe.intents.get(&id) {
        Some(intent) => Json(intent.clone()).into_response(),
        None => not_found("payment_intent", &id),
    }
}

async fn search_intents(
    State(state): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let stripe = state.lock().expect("stripe state");
    let wanted = query
        .get("query")
        .and_then(|q| q.split_once(":'"))
        .map(|(_, v)| v.trim_end_matches('\'').to_owned())
        .unwrap_or_default();
    let found: Vec<Value> = stripe
        .intents
        .values()
        .filter(|i| i["metadata"]["billfold_key"].as_str() == Some(wanted.as_str()))
        .cloned()
        .collect();
    Json(
        json!({ "object": "search_result", "url": "/v1/payment_intents/search",
        "has_more": false, "next_page": null, "total_count": found.len(), "data": found }),
    )
    .into_response()
}

async fn cancel_intent(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut stripe = state.lock().expect("stripe state");
    let path = format!("/v1/payment_intents/{id}/cancel");
    if let Some(reply) = replay(&mut stripe, &path, &headers, &HashMap::new()) {
        return reply;
    }
    let Some(intent) = stripe.intents.get_mut(&id) else {
        return not_found("payment_intent", &id);
    };
    if matches!(intent["status"].as_str(), Some("succeeded" | "canceled")) {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": { "type": "invalid_request_error",
                "code": "payment_intent_unexpected_state",
                "message": "You cannot cancel this PaymentIntent because it has a status of succeeded." } })),
        )
            .into_response();
    }
    intent["status"] = json!("canceled");
    intent["cancellation_reason"] = json!("abandoned");
    Json(intent.clone()).into_response()
}

async fn create_refund(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut stripe = state.lock().expect("stripe state");
    if let Some(reply) = replay(&mut stripe, "/v1/refunds", &headers, &form) {
        return reply;
    }
    let intent_id = form.get("payment_intent").cloned().unwrap_or_default();
    let Some(intent) = stripe.intents.get(&intent_id).cloned() else {
        return not_found("payment_intent", &intent_id);
    };
    let id = stripe.id("re");
    let amount = form
        .get("amount")
        .and_then(|a| a.parse::<i64>().ok())
        .unwrap_or_else(|| intent["amount"].as_i64().unwrap_or(0));
    let refund = refund_json(&id, &intent, amount, form.get("metadata[billfold_key]"));
    stripe.refunds.insert(id, refund.clone());
    let reply = remember(&mut stripe, &headers, "/v1/refunds", &form, 200, refund);
    if stripe.lose_refund_answers > 0 {
        stripe.lose_refund_answers -= 1;
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "error": { "type": "api_error",
                "message": "the answer was lost on its way back" } })),
        )
            .into_response();
    }
    reply
}

async fn list_refunds(
    State(state): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let stripe = state.lock().expect("stripe state");
    let intent = query.get("payment_intent").cloned().unwrap_or_default();
    let mut found: Vec<Value> = stripe
        .refunds
        .values()
        .filter(|r| r["payment_intent"].as_str() == Some(intent.as_str()))
        .cloned()
        .collect();
    // Stripe lists the newest first; ids here grow with time.
    found.sort_by(|a, b| b["id"].as_str().cmp(&a["id"].as_str()));
    if let Some(after) = query.get("starting_after") {
        let at = found
            .iter()
            .position(|r| r["id"].as_str() == Some(after.as_str()));
        found = found.split_off(at.map_or(found.len(), |i| i + 1));
    }
    let limit: usize = query
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(10);
    let has_more = found.len() > limit;
    found.truncate(limit);
    Json(json!({ "object": "list", "url": "/v1/refunds", "has_more": has_more, "data": found }))
        .into_response()
}

async fn retrieve_mandate(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let stripe = state.lock().expect("stripe state");
    match stripe.mandates.get(&id) {
        Some(mandate) => Json(mandate.clone()).into_response(),
        None => not_found("mandate", &id),
    }
}

fn refund_json(id: &str, intent: &Value, amount: i64, key: Option<&String>) -> Value {
    json!({
        "id": id, "object": "refund", "amount": amount,
        "balance_transaction": null, "charge": intent["latest_charge"], "created": CREATED,
        "currency": intent["currency"], "destination_details": null,
        "metadata": match key { Some(key) => json!({ "billfold_key": key }), None => json!({}) },
        "payment_intent": intent["id"], "reason": null, "receipt_number": null,
        "source_transfer_reversal": null, "status": "succeeded", "transfer_reversal": null
    })
}

impl FakeStripe {
    /// Starts the server on a free port.
    pub async fn start() -> FakeStripe {
        let state: Shared = Arc::default();
        let router = Router::new()
            .route("/v1/customers", post(create_customer))
            .route("/v1/setup_intents", post(create_setup))
            .route("/v1/setup_intents/{id}", get(retrieve_setup))
            .route("/v1/payment_methods/{id}", get(retrieve_method))
            .route("/v1/payment_methods/{id}/detach", post(detach_method))
            .route("/v1/payment_intents", post(create_intent))
            .route("/v1/payment_intents/search", get(search_intents))
            .route("/v1/payment_intents/{id}", get(retrieve_intent))
            .route("/v1/payment_intents/{id}/cancel", post(cancel_intent))
            .route("/v1/refunds", post(create_refund).get(list_refunds))
            .route("/v1/mandates/{id}", get(retrieve_mandate))
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let url = format!("http://{}/", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .await
                .expect("test Stripe runs");
        });
        FakeStripe { url, state, task }
    }

    /// Points `config` at this server with the test keys.
    pub fn configure(&self, config: &mut Config) {
        config.payments.processor = ProcessorKind::Stripe;
        config.payments.stripe = StripeSettings {
            secret_key: Some(Secret::new(SECRET_KEY)),
            publishable_key: Some(PUBLISHABLE_KEY.into()),
            webhook_secret: Some(Secret::new(WEBHOOK_SECRET)),
            api_base: Some(self.url.clone()),
        };
    }

    /// What the Payment Element does in the customer's browser: a method of `kind` saved on
    /// setup `setup`'s customer, the setup succeeded. The method's id.
    pub fn complete_setup(&self, setup: &str, kind: TestMethod) -> String {
        let mut stripe = self.state.lock().expect("stripe state");
        let id = stripe.id("pm");
        let object = stripe
            .setups
            .get_mut(setup)
            .expect("a setup the server made");
        let customer = object["customer"].as_str().map(str::to_owned);
        object["status"] = json!("succeeded");
        object["payment_method"] = json!(id);
        let method = method_json(&id, customer.as_deref(), kind);
        stripe.methods.insert(id.clone(), (method, kind));
        id
    }

    /// A PaymentIntent settles at Stripe (a SEPA debit): succeeded, or failed as a bank
    /// refusal. The object, for the event a test then delivers.
    pub fn settle(&self, intent: &str, succeeded: bool) -> Value {
        let mut stripe = self.state.lock().expect("stripe state");
        let object = stripe
            .intents
            .get_mut(intent)
            .expect("a payment the server made");
        if succeeded {
            object["status"] = json!("succeeded");
            object["amount_received"] = object["amount"].clone();
        } else {
            object["status"] = json!("requires_payment_method");
            object["last_payment_error"] = error_json(
                "card_error",
                "payment_method_customer_decline",
                None,
                "The customer's bank declined the debit.",
            );
            object["last_payment_error"]["payment_method_type"] = json!("sepa_debit");
        }
        object.clone()
    }

    /// What Stripe.js's `handleNextAction` does in the customer's browser when the bank's
    /// challenge is passed: a PaymentIntent waiting for authentication succeeds.
    pub fn pass_authentication(&self, intent: &str) {
        let mut stripe = self.state.lock().expect("stripe state");
        let object = stripe
            .intents
            .get_mut(intent)
            .expect("a payment the server made");
        assert_eq!(object["status"], "requires_action", "{object}");
        object["status"] = json!("succeeded");
        object["next_action"] = Value::Null;
        object["amount_received"] = object["amount"].clone();
        object["latest_charge"] = json!(format!("ch_{intent}"));
    }

    /// Changes a PaymentIntent as Stripe holds it (a mix-up at Stripe, or a payment that went
    /// on after we gave up on it): its object afterwards, for the event a test delivers.
    pub fn alter_intent(&self, intent: &str, change: impl FnOnce(&mut Value)) -> Value {
        let mut stripe = self.state.lock().expect("stripe state");
        let object = stripe
            .intents
            .get_mut(intent)
            .expect("a payment the server made");
        change(object);
        object.clone()
    }

    /// The ids of the setups made, oldest first.
    pub fn setups(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .state
            .lock()
            .expect("stripe state")
            .setups
            .keys()
            .cloned()
            .collect();
        ids.sort();
        ids
    }

    /// A PaymentIntent's object as it is now; `None` for one the server never made.
    pub fn intent(&self, id: &str) -> Option<Value> {
        self.state
            .lock()
            .expect("stripe state")
            .intents
            .get(id)
            .cloned()
    }

    /// A setup's object as it is now.
    pub fn setup(&self, id: &str) -> Option<Value> {
        self.state
            .lock()
            .expect("stripe state")
            .setups
            .get(id)
            .cloned()
    }

    /// The next `n` PaymentIntent creations are made, then their answer is lost (500).
    pub fn lose_next_answers(&self, n: u32) {
        self.state.lock().expect("stripe state").lose_answers = n;
    }

    /// The `Idempotency-Key` of every POST to `path`, in order.
    pub fn keys_sent_to(&self, path: &str) -> Vec<String> {
        let stripe = self.state.lock().expect("stripe state");
        stripe
            .keys
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, k)| k.clone())
            .collect()
    }

    /// How many PaymentIntents exist: how many charges were made.
    pub fn payment_intents(&self) -> usize {
        self.state.lock().expect("stripe state").intents.len()
    }

    /// The forms posted to create PaymentIntents, in order.
    pub fn intent_forms(&self) -> Vec<HashMap<String, String>> {
        self.state
            .lock()
            .expect("stripe state")
            .intent_forms
            .clone()
    }

    /// How many refunds were made.
    pub fn refunds(&self) -> usize {
        self.state.lock().expect("stripe state").refunds.len()
    }

    /// The next `n` refund creations are made, then their answer is lost (500).
    pub fn lose_next_refund_answers(&self, n: u32) {
        self.state.lock().expect("stripe state").lose_refund_answers = n;
    }

    /// How long idempotency keys are remembered from now on (Stripe: 24 hours). Zero forgets
    /// every key at once, as if a day had passed.
    pub fn set_key_lifetime(&self, lifetime: Duration) {
        self.state.lock().expect("stripe state").key_lifetime = Some(lifetime);
    }

    /// A refund of `amount` made in Stripe's dashboard on PaymentIntent `intent`: no key, no
    /// metadata of ours. The charge object, for the `charge.refunded` event a test delivers.
    pub fn dashboard_refund(&self, intent: &str, amount: i64) -> Value {
        let mut stripe = self.state.lock().expect("stripe state");
        let object = stripe
            .intents
            .get(intent)
            .cloned()
            .expect("a payment the server made");
        let id = stripe.id("re");
        let refund = refund_json(&id, &object, amount, None);
        stripe.refunds.insert(id, refund);
        let refunded: i64 = stripe
            .refunds
            .values()
            .filter(|r| r["payment_intent"].as_str() == Some(intent))
            .filter_map(|r| r["amount"].as_i64())
            .sum();
        json!({ "id": object["latest_charge"], "object": "charge", "amount": object["amount"],
            "amount_refunded": refunded, "currency": object["currency"],
            "payment_intent": intent, "refunded": refunded >= object["amount"].as_i64().unwrap_or(0) })
    }

    /// A SEPA Direct Debit mandate for method `method`, active. Its id.
    pub fn mandate_for(&self, method: &str) -> String {
        let mut stripe = self.state.lock().expect("stripe state");
        let id = stripe.id("mandate");
        let mandate = json!({
            "id": id, "object": "mandate",
            "customer_acceptance": { "accepted_at": CREATED, "offline": null,
                "online": { "ip_address": "203.0.113.7", "user_agent": "Mozilla/5.0" },
                "type": "online" },
            "livemode": false, "multi_use": {}, "on_behalf_of": null, "payment_method": method,
            "payment_method_details": { "sepa_debit": { "reference": "BF-MANDATE-1",
                "url": "https://stripe.example/mandate" }, "type": "sepa_debit" },
            "single_use": null, "status": "active", "type": "multi_use"
        });
        stripe.mandates.insert(id.clone(), mandate);
        id
    }

    /// Sets a mandate's status at Stripe (`inactive` once revoked). Its object afterwards.
    pub fn set_mandate_status(&self, mandate: &str, status: &str) -> Value {
        let mut stripe = self.state.lock().expect("stripe state");
        let object = stripe
            .mandates
            .get_mut(mandate)
            .expect("a mandate the server made");
        object["status"] = json!(status);
        object.clone()
    }
}

/// An event as Stripe delivers it: `id`, `type`, the object, and optional previous attributes.
pub fn event(id: &str, kind: &str, object: Value) -> Vec<u8> {
    json!({
        "id": id, "object": "event", "api_version": "2026-09-30.endive", "created": CREATED,
        "data": { "object": object }, "livemode": false, "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null }, "type": kind
    })
    .to_string()
    .into_bytes()
}

/// Posts `body` to the app's `/webhooks/stripe` with `signature`; the status.
pub async fn deliver(app: &crate::TestApp, body: &[u8], signature: &str) -> u16 {
    app.client
        .post(format!("{}/webhooks/stripe", app.address))
        .header("stripe-signature", signature)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .expect("webhook delivered")
        .status()
        .as_u16()
}

/// The header Stripe signs `body` with at the app's current time.
pub fn signed(app: &crate::TestApp, body: &[u8]) -> String {
    let now = app.app.services.clock.now().timestamp();
    api::services::payments::stripe::signature::header_for(body, WEBHOOK_SECRET, now)
}
