//! How the tenancy sweep calls each id-taking place of the schema: one probe per place, with
//! Acme's real id where the place's id goes and Globex's own ids everywhere else, so the only
//! reason to refuse is the foreign id. A slice that adds an id-taking place adds its probe here.

use entity::{
    call_record, customer, idempotency_key, invoice, one_off_charge, payment, payment_attempt,
    payment_method, phone_number, quote, tariff_version, unbilled_charge,
};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tests::{TestApp, assert_ok};

/// What every customer role gets for another tenant's id at a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A place scoped to the caller's tenant: `NOT_FOUND`, whatever the role (a viewer learns
    /// nothing more than an owner: the id is looked up in its own tenant first).
    NotFound,
    /// An operator-staff place: `FORBIDDEN` for every customer role, whatever the id.
    StaffOnly,
}

/// One call of one id-taking place.
pub struct Probe {
    /// The place, as `Type.field(argument.path)`.
    pub place: &'static str,
    /// The operation; its variables come from `template`.
    pub query: &'static str,
    /// The variables, with the string `"$ID"` where the id under test goes.
    template: Value,
    /// Acme's real id for that place.
    pub foreign: String,
    /// Who may call it.
    pub expect: Expect,
}

impl Probe {
    fn new(
        place: &'static str,
        expect: Expect,
        query: &'static str,
        foreign: &str,
        template: Value,
    ) -> Self {
        Self {
            place,
            query,
            template,
            foreign: foreign.to_owned(),
            expect,
        }
    }

    /// The variables with `id` in the place under test.
    pub fn variables(&self, id: &str) -> Value {
        fn fill(value: &Value, id: &str) -> Value {
            match value {
                Value::String(s) if s == "$ID" => Value::String(id.to_owned()),
                Value::Array(items) => items.iter().map(|v| fill(v, id)).collect(),
                Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), fill(v, id))).collect(),
                other => other.clone(),
            }
        }
        fill(&self.template, id)
    }
}

/// The ids the probes use: Acme's (the victim) and Globex's own (the intruder).
pub struct World {
    acme: String,
    acme_team: String,
    acme_member: String,
    acme_item: String,
    acme_seat: String,
    acme_quote: String,
    acme_invoice: String,
    acme_credit_note: String,
    acme_subscription: String,
    acme_charge: String,
    acme_applied_coupon: String,
    coupon: String,
    tax_rate: String,
    product: String,
    price: String,
    globex: String,
    /// Globex's own license item: the control that the intruder's own ids do answer.
    pub globex_item: String,
    globex_free_seat: String,
    globex_member: String,
    acme_contact: String,
    acme_address: String,
    globex_address: String,
    globex_team: String,
    acme_document: String,
    acme_user: String,
    acme_invitation: String,
    acme_payment_method: String,
    acme_attempt: String,
    acme_payment: String,
    globex_invoice: String,
    acme_number: String,
    tariff: String,
    acme_numbers_item: String,
}

impl World {
    /// Placeholder ids, to list the probes' places without a server.
    pub fn placeholder() -> Self {
        let id = String::new;
        Self {
            acme: id(),
            acme_team: id(),
            acme_member: id(),
            acme_item: id(),
            acme_seat: id(),
            acme_quote: id(),
            acme_invoice: id(),
            acme_credit_note: id(),
            acme_subscription: id(),
            acme_charge: id(),
            acme_applied_coupon: id(),
            coupon: id(),
            tax_rate: id(),
            product: id(),
            price: id(),
            globex: id(),
            globex_item: id(),
            globex_free_seat: id(),
            globex_member: id(),
            acme_contact: id(),
            acme_address: id(),
            globex_address: id(),
            globex_team: id(),
            acme_document: id(),
            acme_user: id(),
            acme_invitation: id(),
            acme_payment_method: id(),
            acme_attempt: id(),
            acme_payment: id(),
            globex_invoice: id(),
            acme_number: id(),
            tariff: id(),
            acme_numbers_item: id(),
        }
    }

    /// Reads the demo data's ids, and has Acme's billing admin store a quote.
    pub async fn set_up(app: &TestApp) -> Self {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let globex = staff.customer_id("Globex").await;
        let a: Value = staff
            .data(
                "the ids of Acme",
                "query A($id: ID!) { customer(id: $id) {
                    teams(first: 1) { nodes { id } } members(first: 1) { nodes { id } }
                    contacts { id } billingAddresses { id } users(first: 1) { nodes { id } }
                    subscriptions { nodes { id items { price { id } product { id } } } }
                    licenses { id seats(first: 1) { nodes { id } } } } }",
                json!({ "id": acme }),
            )
            .await;
        let a = &a["customer"];
        let text = |v: &Value| {
            v.as_str()
                .unwrap_or_else(|| panic!("the demo data has every id the sweep needs: {a}"))
                .to_owned()
        };
        let acme_item = text(&a["licenses"][0]["id"]);
        let acme_quote = app
            .as_billing_admin("Acme Telecom")
            .await
            .preview_license_change(&acme_item, 1)
            .await
            .id;

        // Bill the demo subscriptions' next period, so each organisation has an invoice.
        tests::bill_demo_next_period(app).await;
        let invoices: Value = staff
            .data(
                "the invoices of Acme",
                "query I($id: ID!) { customer(id: $id) { invoices(first: 1) { nodes { id } } } }",
                json!({ "id": acme }),
            )
            .await;
        let acme_invoice = invoices["customer"]["invoices"]["nodes"][0]["id"]
            .as_str()
            .expect("Acme has an invoice")
            .to_owned();
        let acme_credit_note = staff
            .data::<Value>(
                "a credit note for Acme",
                "mutation C($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) {
                    creditNote { id } } }",
                json!({ "input": { "invoiceId": acme_invoice, "reason": "Sweep",
                    "lines": [{ "line": 0, "amount": "1.00" }] } }),
            )
            .await["issueCreditNote"]["creditNote"]["id"]
            .as_str()
            .expect("a credit note id")
            .to_owned();

        // An unbilled one-off charge of Acme's, for the place that deletes one.
        let acme_subscription = text(&a["subscriptions"]["nodes"][0]["id"]);
        let charged: Value = staff
            .data(
                "a charge for Acme",
                "mutation M($input: CreateChargesInput!) { createCharges(input: $input) {
                    charges { id } } }",
                json!({ "input": {
                    "customerId": acme, "subscriptionId": acme_subscription,
                    "timing": "ADD_TO_UNBILLED", "confirmUnpaidInvoices": true,
                    "charges": [{ "description": "Setup", "amount": "10" }]
                } }),
            )
            .await;
        let acme_charge = text(&charged["createCharges"]["charges"][0]["id"]);
        // A coupon applied to Acme, and the tax rate of Acme's country (demo data).
        let coupons: Value = staff
            .data(
                "a coupon applied to Acme",
                "mutation C($coupon: CreateCouponInput!) { createCoupon(input: $coupon) { coupon { id } } }",
                json!({ "coupon": { "code": "SWEEP", "name": "Sweep", "percentOff": "10",
                                    "duration": "FOREVER" } }),
            )
            .await;
        let coupon = text(&coupons["createCoupon"]["coupon"]["id"]);
        let applied: Value = staff
            .data(
                "apply the coupon to Acme",
                "mutation A($input: ApplyCouponInput!) { applyCoupon(input: $input) { appliedCoupon { id } } }",
                json!({ "input": { "couponId": coupon, "customerId": acme } }),
            )
            .await;
        let acme_applied_coupon = text(&applied["applyCoupon"]["appliedCoupon"]["id"]);
        let rates: Value = staff
            .data(
                "the tax rates",
                "{ taxRates(first: 10) { nodes { id country } } }",
                json!({}),
            )
            .await;
        let tax_rate = rates["taxRates"]["nodes"]
            .as_array()
            .and_then(|n| n.iter().find(|r| r["country"] == "FR"))
            .map(|r| text(&r["id"]))
            .expect("the demo data has a tax rate for France");

        let globex_billing = app.as_billing_admin("Globex").await;
        let globex_item = globex_billing
            .data::<Value>(
                "the license items of Globex",
                "{ viewer { organisation { licenses { id } } } }",
                json!({}),
            )
            .await["viewer"]["organisation"]["licenses"][0]["id"]
            .as_str()
            .expect("Globex has a license item")
            .to_owned();
        let globex_free_seat = globex_billing
            .license_item(&globex_item)
            .await
            .seats
            .into_iter()
            .find(|s| s.member.is_none())
            .expect("Globex has a free seat")
            .id;
        let globex_member = globex_billing.member_ids().await[0].clone();
        let g: Value = globex_billing
            .data(
                "the team and address of Globex",
                "{ viewer { organisation { teams(first: 1) { nodes { id } } billingAddresses { id } } } }",
                json!({}),
            )
            .await;
        let globex_team = text(&g["viewer"]["organisation"]["teams"]["nodes"][0]["id"]);
        let globex_address = text(&g["viewer"]["organisation"]["billingAddresses"][0]["id"]);
        // A document in Acme's vault, waiting for review.
        let uploaded: Value = app
            .client
            .post(format!(
                "{}/documents?type=other&name=sweep.pdf",
                app.address
            ))
            .bearer_auth(app.as_billing_admin("Acme Telecom").await.token())
            .body(b"%PDF-1.7\nsweep".to_vec())
            .send()
            .await
            .expect("upload sent")
            .json()
            .await
            .expect("upload answered");
        let acme_document = text(&uploaded["document"]["id"]);
        let invited: Value = app
            .as_owner("Acme Telecom")
            .await
            .data(
                "an invitation to Acme",
                "mutation I($input: InviteUserInput!) { inviteUser(input: $input) { invitation { id } } }",
                json!({ "input": { "customerId": acme, "email": "sweep@acme.example", "role": "VIEWER" } }),
            )
            .await;
        let acme_invitation = text(&invited["inviteUser"]["invitation"]["id"]);

        // Acme's card, and a payment of its invoice that asked for authentication, then passed
        // it: a payment method, an attempt and a payment of Acme's.
        let acme_billing = app.as_billing_admin("Acme Telecom").await;
        let card = |number: &'static str| {
            json!({ "input": { "customerId": acme, "number": number, "expMonth": 12,
                "expYear": 2040, "cvc": "123" } })
        };
        let added: Value = acme_billing
            .data(
                "a card for Acme",
                "mutation A($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } } }",
                card("4000002760003184"),
            )
            .await;
        let acme_payment_method = text(&added["addCard"]["paymentMethod"]["id"]);
        let paying: Value = acme_billing
            .data(
                "Acme pays its invoice",
                "mutation P($input: PayInvoiceInput!) { payInvoice(input: $input) { attempt { id } } }",
                json!({ "input": { "invoiceId": acme_invoice } }),
            )
            .await;
        let acme_attempt = text(&paying["payInvoice"]["attempt"]["id"]);
        let _: Value = acme_billing
            .data(
                "Acme authenticates the payment",
                "mutation C($input: ConfirmPaymentAuthenticationInput!) {
                    confirmPaymentAuthentication(input: $input) { attempt { id } } }",
                json!({ "input": { "attemptId": acme_attempt, "passed": true } }),
            )
            .await;
        let history: Value = acme_billing
            .data(
                "Acme's payment",
                "query I($id: ID!) { viewer { organisation { invoice(id: $id) {
                    paymentHistory { payments { id } } } } } }",
                json!({ "id": acme_invoice }),
            )
            .await;
        let acme_payment = text(
            &history["viewer"]["organisation"]["invoice"]["paymentHistory"]["payments"][0]["id"],
        );
        let globex_invoices: Value = staff
            .data(
                "the invoices of Globex",
                "query I($id: ID!) { customer(id: $id) { invoices(first: 1) { nodes { id } } } }",
                json!({ "id": globex }),
            )
            .await;
        let globex_invoice = text(&globex_invoices["customer"]["invoices"]["nodes"][0]["id"]);
        // A number of Acme's on a recurring item with a unit free, and its tariff.
        let numbers = crate::numbers::telecom(app, &acme, 2).await;
        let acme_number = crate::numbers::add_number(&staff, &numbers, "+33155550000").await;

        Self {
            acme_team: text(&a["teams"]["nodes"][0]["id"]),
            acme_member: text(&a["members"]["nodes"][0]["id"]),
            acme_seat: text(&a["licenses"][0]["seats"]["nodes"][0]["id"]),
            acme_quote,
            acme_invoice,
            acme_credit_note,
            acme_subscription,
            acme_charge,
            acme_applied_coupon,
            coupon,
            tax_rate,
            product: text(&a["subscriptions"]["nodes"][0]["items"][0]["product"]["id"]),
            price: text(&a["subscriptions"]["nodes"][0]["items"][0]["price"]["id"]),
            acme_item,
            acme,
            globex,
            globex_item,
            globex_free_seat,
            globex_member,
            acme_contact: text(&a["contacts"][0]["id"]),
            acme_address: text(&a["billingAddresses"][0]["id"]),
            globex_address,
            globex_team,
            acme_document,
            acme_user: text(&a["users"]["nodes"][0]["id"]),
            acme_invitation,
            acme_payment_method,
            acme_attempt,
            acme_payment,
            globex_invoice,
            acme_number,
            tariff: numbers.tariff,
            acme_numbers_item: numbers.item,
        }
    }

    /// Everything a refused call could have changed: read by staff, both organisations' people,
    /// subscriptions, seats and audit log, and the catalog; read from the database, the rows
    /// GraphQL does not show and each tenant's revision.
    pub async fn snapshot(&self, app: &TestApp) -> Value {
        let staff = app.as_staff().await;
        let mut state = Vec::new();
        for id in [&self.acme, &self.globex] {
            let body = staff
                .graphql(
                    "query S($id: ID!) { customer(id: $id) { name
                        teams(first: 100) { nodes { id name } }
                        members(first: 100) { nodes { id name team { id } } }
                        users(first: 100) { nodes { id } }
                        contacts { id role name email phone receivesInvoices }
                        billingAddresses { id line1 isDefault verification }
                        documents(first: 5) { nodes { id status } }
                        invitations { id revoked }
                        subscriptions { nodes { id items { id quantity price { id } } } }
                        licenses { id quantity assigned seats(first: 100) { nodes { id member { id } } } }
                        auditLog(first: 100) { nodes { id action } } } }",
                    json!({ "id": id }),
                )
                .await;
            assert_ok(&body);
            state.push(body);
        }
        let catalog = staff
            .graphql(
                "{ products(first: 100) { nodes { id prices { id version } } } }",
                json!({}),
            )
            .await;
        state.push(catalog);
        // What GraphQL does not show: stored quotes, idempotency keys, unbilled charges, every
        // invoice's number and status, and each tenant's revision (a refused call must not even
        // bump it).
        let db = app.app.db.reads();
        let count = |n: u64| json!(n);
        state.push(json!({
            "quotes": count(quote::Entity::find().count(db).await.expect("quotes")),
            "idempotency_keys": count(idempotency_key::Entity::find().count(db).await.expect("keys")),
            "unbilled_charges": count(unbilled_charge::Entity::find().count(db).await.expect("charges")),
            "one_off_charges": count(one_off_charge::Entity::find().count(db).await.expect("one-offs")),
            "payment_methods": payment_method::Entity::find()
                .all(db)
                .await
                .expect("payment methods")
                .into_iter()
                .map(|m| json!([m.id.to_string(), m.is_default]))
                .collect::<Vec<_>>(),
            "payment_attempts": count(payment_attempt::Entity::find().count(db).await.expect("attempts")),
            "payments": payment::Entity::find()
                .all(db)
                .await
                .expect("payments")
                .into_iter()
                .map(|p| json!([p.id.to_string(), p.refunded_minor]))
                .collect::<Vec<_>>(),
            "invoices": invoice::Entity::find()
                .all(db)
                .await
                .expect("invoices")
                .into_iter()
                .map(|i| json!([i.id.to_string(), i.number, sea_orm::ActiveEnum::to_value(&i.status)]))
                .collect::<Vec<_>>(),
            "phone_numbers": count(phone_number::Entity::find().count(db).await.expect("numbers")),
            "tariff_versions": count(tariff_version::Entity::find().count(db).await.expect("versions")),
            "call_records": call_record::Entity::find()
                .all(db)
                .await
                .expect("calls")
                .into_iter()
                .map(|c| json!([c.id.to_string(), c.tariff_version_id.map(|v| v.to_string())]))
                .collect::<Vec<_>>(),
            "revisions": customer::Entity::find()
                .all(db)
                .await
                .expect("customers")
                .into_iter()
                .map(|c| json!([c.id.to_string(), c.revision]))
                .collect::<Vec<_>>(),
        }));
        Value::Array(state)
    }
}

/// Every probe, by slice.
pub fn probes(w: &World) -> Vec<Probe> {
    [
        accounts(w),
        catalog(w),
        subscriptions(w),
        licenses(w),
        invoices(w),
        credits(w),
        unit_prices(w),
        invoice_details(w),
        cancellations(w),
        lifecycle(w),
        charges(w),
        coupons(w),
        tax(w),
        billing_runs(),
        usage(w),
        numbers(w),
        mail(w),
        self_service(w),
        payments(w),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn accounts(w: &World) -> Vec<Probe> {
    use Expect::{NotFound, StaffOnly};
    vec![
        Probe::new(
            "Query.customer(id)",
            NotFound,
            "query Q($id: ID!) { customer(id: $id) { id name } }",
            &w.acme,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Mutation.createTeam(input.customerId)",
            NotFound,
            "mutation M($input: CreateTeamInput!) { createTeam(input: $input) { team { id } } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "name": "Intruders" } }),
        ),
        Probe::new(
            "Mutation.createMember(input.customerId)",
            NotFound,
            "mutation M($input: CreateMemberInput!) { createMember(input: $input) { member { id } } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "name": "Mallory" } }),
        ),
        Probe::new(
            "Mutation.createMember(input.teamId)",
            NotFound,
            "mutation M($input: CreateMemberInput!) { createMember(input: $input) { member { id } } }",
            &w.acme_team,
            json!({ "input": { "customerId": w.globex, "name": "Mallory", "teamId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.setCustomerTags(input.customerId)",
            StaffOnly,
            "mutation M($input: SetCustomerTagsInput!) { setCustomerTags(input: $input) { customer { id } } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "tags": ["probe"] } }),
        ),
        Probe::new(
            "Mutation.updateCustomer(input.customerId)",
            StaffOnly,
            "mutation M($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { id } } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "name": "Mallory Ltd" } }),
        ),
        Probe::new(
            "Mutation.createUser(input.customerId)",
            StaffOnly,
            "mutation M($input: CreateUserInput!) { createUser(input: $input) { user { id } } }",
            &w.acme,
            json!({ "input": {
                "customerId": "$ID", "email": "mallory@globex.example", "name": "Mallory",
                "role": "OWNER", "password": "correct horse battery staple"
            } }),
        ),
    ]
}

fn catalog(w: &World) -> Vec<Probe> {
    use Expect::StaffOnly;
    vec![
        Probe::new(
            "Query.product(id)",
            StaffOnly,
            "query Q($id: ID!) { product(id: $id) { id } }",
            &w.product,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Mutation.createPrice(input.productId)",
            StaffOnly,
            "mutation M($input: CreatePriceInput!) { createPrice(input: $input) { price { id } } }",
            &w.product,
            json!({ "input": {
                "productId": "$ID", "currency": "EUR", "interval": "MONTH",
                "model": "PER_UNIT", "unitAmount": "1"
            } }),
        ),
        Probe::new(
            "Mutation.moveSubscriptionsToPrice(input.fromPriceId)",
            StaffOnly,
            MOVE_PRICE,
            &w.price,
            json!({ "input": { "fromPriceId": "$ID", "toPriceId": w.price } }),
        ),
        Probe::new(
            "Mutation.moveSubscriptionsToPrice(input.toPriceId)",
            StaffOnly,
            MOVE_PRICE,
            &w.price,
            json!({ "input": { "fromPriceId": w.price, "toPriceId": "$ID" } }),
        ),
    ]
}

/// Moving subscriptions between price versions, probed on either id.
const MOVE_PRICE: &str = "mutation M($input: MoveSubscriptionsToPriceInput!) { moveSubscriptionsToPrice(input: $input) { moved } }";

fn subscriptions(w: &World) -> Vec<Probe> {
    use Expect::StaffOnly;
    let query = "mutation M($input: CreateSubscriptionInput!) { createSubscription(input: $input) { subscription { id } } }";
    vec![
        Probe::new(
            "Customer.subscription(id)",
            Expect::NotFound,
            "query Q($id: ID!) { viewer { organisation { subscription(id: $id) { id status } } } }",
            &w.acme_subscription,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Mutation.createSubscription(input.customerId)",
            StaffOnly,
            query,
            &w.acme,
            json!({ "input": {
                "customerId": "$ID", "anchorDate": "2026-04-01", "interval": "MONTH",
                "items": [{ "priceId": w.price, "quantity": 1 }]
            } }),
        ),
        Probe::new(
            "Mutation.createSubscription(input.items.priceId)",
            StaffOnly,
            query,
            &w.price,
            json!({ "input": {
                "customerId": w.globex, "anchorDate": "2026-04-01", "interval": "MONTH",
                "items": [{ "priceId": "$ID", "quantity": 1 }]
            } }),
        ),
    ]
}

fn licenses(w: &World) -> Vec<Probe> {
    use Expect::NotFound;
    let assign = "mutation M($input: AssignLicenseInput!) { assignLicense(input: $input) { license { id } } }";
    vec![
        Probe::new(
            "Customer.licenseItem(id)",
            NotFound,
            "query Q($id: ID!) { viewer { organisation { licenseItem(id: $id) { id quantity } } } }",
            &w.acme_item,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Mutation.previewLicenseChange(input.itemId)",
            NotFound,
            "mutation M($input: PreviewLicenseChangeInput!) { previewLicenseChange(input: $input) { quote { id } } }",
            &w.acme_item,
            json!({ "input": { "itemId": "$ID", "delta": 1 } }),
        ),
        Probe::new(
            "Mutation.applyLicenseChange(input.quoteId)",
            NotFound,
            "mutation M($input: ApplyLicenseChangeInput!) { applyLicenseChange(input: $input) { quantityAfter } }",
            &w.acme_quote,
            json!({ "input": { "quoteId": "$ID", "idempotencyKey": "sweep" } }),
        ),
        Probe::new(
            "Mutation.assignLicense(input.seatId)",
            NotFound,
            assign,
            &w.acme_seat,
            json!({ "input": { "seatId": "$ID", "memberId": w.globex_member } }),
        ),
        Probe::new(
            "Mutation.assignLicense(input.memberId)",
            NotFound,
            assign,
            &w.acme_member,
            json!({ "input": { "seatId": w.globex_free_seat, "memberId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.unassignLicense(input.seatId)",
            NotFound,
            "mutation M($input: UnassignLicenseInput!) { unassignLicense(input: $input) { license { id } } }",
            &w.acme_seat,
            json!({ "input": { "seatId": "$ID" } }),
        ),
    ]
}

fn invoices(w: &World) -> Vec<Probe> {
    let settle = |place, mutation| {
        Probe::new(
            place,
            Expect::StaffOnly,
            mutation,
            &w.acme_invoice,
            json!({ "input": { "invoiceId": "$ID" } }),
        )
    };
    vec![
        Probe::new(
            "Customer.invoice(id)",
            Expect::NotFound,
            "query Q($id: ID!) { viewer { organisation { invoice(id: $id) { id number total { amount } } } } }",
            &w.acme_invoice,
            json!({ "id": "$ID" }),
        ),
        settle(
            "Mutation.markInvoicePaid(input.invoiceId)",
            "mutation M($input: SettleInvoiceInput!) { markInvoicePaid(input: $input) { invoice { id status } } }",
        ),
        settle(
            "Mutation.voidInvoice(input.invoiceId)",
            "mutation M($input: SettleInvoiceInput!) { voidInvoice(input: $input) { invoice { id status } } }",
        ),
        settle(
            "Mutation.markInvoiceUncollectible(input.invoiceId)",
            "mutation M($input: SettleInvoiceInput!) { markInvoiceUncollectible(input: $input) { invoice { id status } } }",
        ),
    ]
}

fn credits(w: &World) -> Vec<Probe> {
    vec![
        Probe::new(
            "Customer.creditNote(id)",
            Expect::NotFound,
            "query Q($id: ID!) { viewer { organisation { creditNote(id: $id) { id number total { amount } } } } }",
            &w.acme_credit_note,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Mutation.adjustCreditBalance(input.customerId)",
            Expect::StaffOnly,
            "mutation M($input: AdjustCreditBalanceInput!) { adjustCreditBalance(input: $input) { entry { id } } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "kind": "TOP_UP", "amount": "10", "description": "x" } }),
        ),
        Probe::new(
            "Mutation.issueCreditNote(input.invoiceId)",
            Expect::StaffOnly,
            "mutation M($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) { creditNote { id } } }",
            &w.acme_invoice,
            json!({ "input": { "invoiceId": "$ID", "reason": "x", "whole": true } }),
        ),
    ]
}

fn charges(w: &World) -> Vec<Probe> {
    let preview =
        "query Q($input: ChargesInput!) { previewCharges(input: $input) { total { amount } } }";
    let create = "mutation M($input: CreateChargesInput!) { createCharges(input: $input) { charges { id } } }";
    // Globex's own customer with Acme's id in one place; every role is refused as not staff.
    let input =
        |customer: &str, subscription: Option<&str>, product: Option<&str>, timing: bool| {
            let charge = match product {
                Some(product) => json!({ "productId": product, "unitPrice": "1" }),
                None => json!({ "description": "Intrusion", "amount": "1" }),
            };
            let mut input = json!({
                "customerId": customer, "subscriptionId": subscription, "charges": [charge]
            });
            if timing {
                input["timing"] = json!("INVOICE_NOW");
                input["confirmUnpaidInvoices"] = json!(true);
            }
            json!({ "input": input })
        };
    // The places of one operation: its customer, subscription and addon product ids.
    let places =
        |query: &'static str, [customer, subscription, product]: [&'static str; 3], timing| {
            vec![
                Probe::new(
                    customer,
                    Expect::StaffOnly,
                    query,
                    &w.acme,
                    input("$ID", None, None, timing),
                ),
                Probe::new(
                    subscription,
                    Expect::StaffOnly,
                    query,
                    &w.acme_subscription,
                    input(&w.globex, Some("$ID"), None, timing),
                ),
                Probe::new(
                    product,
                    Expect::StaffOnly,
                    query,
                    &w.product,
                    input(&w.globex, None, Some("$ID"), timing),
                ),
            ]
        };
    let mut probes = places(
        preview,
        [
            "Query.previewCharges(input.customerId)",
            "Query.previewCharges(input.subscriptionId)",
            "Query.previewCharges(input.charges.productId)",
        ],
        false,
    );
    probes.extend(places(
        create,
        [
            "Mutation.createCharges(input.customerId)",
            "Mutation.createCharges(input.subscriptionId)",
            "Mutation.createCharges(input.charges.productId)",
        ],
        true,
    ));
    // The one-time coupon of the invoice made now: an operator coupon, staff-only like the rest.
    for (place, query, timing) in [
        ("Query.previewCharges(input.couponId)", preview, false),
        ("Mutation.createCharges(input.couponId)", create, true),
    ] {
        let mut variables = input(&w.globex, None, None, timing);
        variables["input"]["couponId"] = json!("$ID");
        probes.push(Probe::new(
            place,
            Expect::StaffOnly,
            query,
            &w.coupon,
            variables,
        ));
    }
    probes.push(Probe::new(
        "Mutation.deleteUnbilledCharge(input.chargeId)",
        Expect::StaffOnly,
        "mutation M($input: DeleteUnbilledChargeInput!) { deleteUnbilledCharge(input: $input) { charge { id } } }",
        &w.acme_charge,
        json!({ "input": { "chargeId": "$ID" } }),
    ));
    probes
}

fn unit_prices(w: &World) -> Vec<Probe> {
    vec![Probe::new(
        "Mutation.setSubscriptionItemUnitPrice(input.itemId)",
        Expect::StaffOnly,
        "mutation M($input: SetSubscriptionItemUnitPriceInput!) { setSubscriptionItemUnitPrice(input: $input) { item { id } } }",
        &w.acme_item,
        json!({ "input": { "itemId": "$ID", "unitPrice": "1" } }),
    )]
}

fn invoice_details(w: &World) -> Vec<Probe> {
    vec![Probe::new(
        "Mutation.setSubscriptionInvoiceDetails(input.subscriptionId)",
        Expect::StaffOnly,
        "mutation M($input: SetSubscriptionInvoiceDetailsInput!) { setSubscriptionInvoiceDetails(input: $input) { subscription { id } } }",
        &w.acme_subscription,
        json!({ "input": { "subscriptionId": "$ID", "poNumber": "PO-INTRUDER" } }),
    )]
}

fn coupons(w: &World) -> Vec<Probe> {
    use Expect::StaffOnly;
    let apply = "mutation M($input: ApplyCouponInput!) { applyCoupon(input: $input) { appliedCoupon { id } } }";
    vec![
        Probe::new(
            "Mutation.createCoupon(input.productIds)",
            StaffOnly,
            "mutation M($input: CreateCouponInput!) { createCoupon(input: $input) { coupon { id } } }",
            &w.product,
            json!({ "input": {
                "code": "INTRUDER", "name": "Intruder", "percentOff": "100",
                "duration": "FOREVER", "productIds": ["$ID"]
            } }),
        ),
        Probe::new(
            "Mutation.archiveCoupon(input.couponId)",
            StaffOnly,
            "mutation M($input: ArchiveCouponInput!) { archiveCoupon(input: $input) { coupon { id } } }",
            &w.coupon,
            json!({ "input": { "couponId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.applyCoupon(input.couponId)",
            StaffOnly,
            apply,
            &w.coupon,
            json!({ "input": { "couponId": "$ID", "customerId": w.globex } }),
        ),
        Probe::new(
            "Mutation.applyCoupon(input.customerId)",
            StaffOnly,
            apply,
            &w.acme,
            json!({ "input": { "couponId": w.coupon, "customerId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.applyCoupon(input.subscriptionId)",
            StaffOnly,
            apply,
            &w.acme_subscription,
            json!({ "input": {
                "couponId": w.coupon, "customerId": w.globex, "subscriptionId": "$ID"
            } }),
        ),
        Probe::new(
            "Mutation.removeCoupon(input.appliedCouponId)",
            StaffOnly,
            "mutation M($input: RemoveCouponInput!) { removeCoupon(input: $input) { removedAppliedCouponId } }",
            &w.acme_applied_coupon,
            json!({ "input": { "appliedCouponId": "$ID" } }),
        ),
    ]
}

fn tax(w: &World) -> Vec<Probe> {
    use Expect::StaffOnly;
    vec![
        Probe::new(
            "Mutation.archiveTaxRate(input.taxRateId)",
            StaffOnly,
            "mutation M($input: ArchiveTaxRateInput!) { archiveTaxRate(input: $input) { taxRate { id } } }",
            &w.tax_rate,
            json!({ "input": { "taxRateId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.updateCustomerBillingSettings(input.customerId)",
            StaffOnly,
            "mutation M($input: UpdateCustomerBillingSettingsInput!) { updateCustomerBillingSettings(input: $input) { customer { id } } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "taxExempt": true } }),
        ),
    ]
}
/// Where invoices are e-mailed and copies on request are the tenant's; the outbox is staff's.
fn mail(w: &World) -> Vec<Probe> {
    vec![
        Probe::new(
            "Mutation.updateInvoiceDelivery(input.customerId)",
            Expect::NotFound,
            "mutation M($input: UpdateInvoiceDeliveryInput!) { updateInvoiceDelivery(input: $input) { customer { id } } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "email": "intruder@globex.example", "enabled": true } }),
        ),
        Probe::new(
            "Mutation.sendInvoiceCopy(input.invoiceId)",
            Expect::NotFound,
            "mutation M($input: SendInvoiceCopyInput!) { sendInvoiceCopy(input: $input) { email { id } } }",
            &w.acme_invoice,
            json!({ "input": { "invoiceId": "$ID" } }),
        ),
        // Staff-only whatever the id: a well-formed id of no message stands for "another's".
        Probe::new(
            "Mutation.retryEmail(input.emailId)",
            Expect::StaffOnly,
            "mutation M($input: RetryEmailInput!) { retryEmail(input: $input) { email { id } } }",
            &ids::OutboxMessageId::new().to_string(),
            json!({ "input": { "emailId": "$ID" } }),
        ),
    ]
}

/// Billing runs belong to no tenant: the place is staff-only and answers `FORBIDDEN` to every
/// customer role whatever the id, so a well-formed id of no run stands for "another's".
fn billing_runs() -> Vec<Probe> {
    let run = ids::BillingRunId::new().to_string();
    vec![
        Probe::new(
            "Query.billingRun(id)",
            Expect::StaffOnly,
            "query Q($id: ID!) { billingRun(id: $id) { id status } }",
            &run,
            json!({ "id": "$ID" }),
        ),
        // A subscription: the sweep sends it over `/graphql/ws`.
        Probe::new(
            "SubscriptionRoot.billingRunProgress(id)",
            Expect::StaffOnly,
            "subscription P($id: ID!) { billingRunProgress(id: $id) { id status } }",
            &run,
            json!({ "id": "$ID" }),
        ),
    ]
}

/// Usage: recording it and managing API keys are operator places.
/// `Customer.consumption(filter.<field>)` with another organisation's id: `NOT_FOUND`.
fn consumption(field: &'static str, foreign: &str) -> Probe {
    let place = match field {
        "teamId" => "Customer.consumption(filter.teamId)",
        "memberId" => "Customer.consumption(filter.memberId)",
        _ => "Customer.consumption(filter.itemId)",
    };
    Probe::new(
        place,
        Expect::NotFound,
        "query Q($filter: ConsumptionFilter) { viewer { organisation { consumption(filter: $filter) { recordCount } } } }",
        foreign,
        json!({ "filter": { field: "$ID" } }),
    )
}

fn usage(w: &World) -> Vec<Probe> {
    use Expect::StaffOnly;
    const RECORD: &str =
        "mutation M($input: RecordUsageInput!) { recordUsage(input: $input) { inserted } }";
    let record = |item: &str, member: Option<&str>, team: Option<&str>| {
        json!({ "input": { "records": [{
            "subscriptionItemId": item, "quantity": "1", "from": "2026-04-03T00:00:00Z",
            "to": "2026-04-03T00:00:00Z", "idempotencyKey": "sweep",
            "memberId": member, "teamId": team
        }] } })
    };
    vec![
        Probe::new(
            "Mutation.recordUsage(input.records.subscriptionItemId)",
            StaffOnly,
            RECORD,
            &w.acme_item,
            record("$ID", None, None),
        ),
        Probe::new(
            "Mutation.recordUsage(input.records.memberId)",
            StaffOnly,
            RECORD,
            &w.acme_member,
            record(&w.globex_item, Some("$ID"), None),
        ),
        Probe::new(
            "Mutation.recordUsage(input.records.teamId)",
            StaffOnly,
            RECORD,
            &w.acme_team,
            record(&w.globex_item, None, Some("$ID")),
        ),
        consumption("teamId", &w.acme_team),
        consumption("memberId", &w.acme_member),
        consumption("itemId", &w.acme_item),
        Probe::new(
            "Mutation.revokeApiKey(input.apiKeyId)",
            StaffOnly,
            "mutation M($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id } } }",
            &ids::ApiKeyId::new().to_string(),
            json!({ "input": { "apiKeyId": "$ID" } }),
        ),
    ]
}

/// Numbers: a customer reads its own numbers; tariffs, selling and releasing numbers and
/// re-rating calls are operator places.
fn numbers(w: &World) -> Vec<Probe> {
    use Expect::{NotFound, StaffOnly};
    const ADD: &str = "mutation M($input: AddPhoneNumberInput!) { addPhoneNumber(input: $input) { phoneNumber { id } } }";
    let add = |item: &str, tariff: &str| {
        json!({ "input": { "number": "+33155559999", "numberType": "MOBILE",
            "subscriptionItemId": item, "tariffId": tariff, "soldOn": "2026-11-15" } })
    };
    vec![
        Probe::new(
            "Query.phoneNumber(id)",
            NotFound,
            "query Q($id: ID!) { phoneNumber(id: $id) { id number } }",
            &w.acme_number,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Mutation.addPhoneNumber(input.subscriptionItemId)",
            StaffOnly,
            ADD,
            &w.acme_numbers_item,
            add("$ID", &w.tariff),
        ),
        Probe::new(
            "Mutation.addPhoneNumber(input.tariffId)",
            StaffOnly,
            ADD,
            &w.tariff,
            add(&w.acme_numbers_item, "$ID"),
        ),
        Probe::new(
            "Mutation.createTariffVersion(input.tariffId)",
            StaffOnly,
            "mutation M($input: CreateTariffVersionInput!) { createTariffVersion(input: $input) { tariffVersion { id } } }",
            &w.tariff,
            json!({ "input": { "tariffId": "$ID",
                "rates": [{ "prefix": "1", "ratePerMinute": "9" }],
                "incrementFirstSeconds": 1, "incrementNextSeconds": 1,
                "minimumCharge": "0", "connectionFee": "0" } }),
        ),
        Probe::new(
            "Query.tariff(id)",
            StaffOnly,
            "query Q($id: ID!) { tariff(id: $id) { id } }",
            &w.tariff,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Mutation.releasePhoneNumber(input.phoneNumberId)",
            StaffOnly,
            "mutation M($input: ReleasePhoneNumberInput!) { releasePhoneNumber(input: $input) { phoneNumber { id releasedOn } } }",
            &w.acme_number,
            json!({ "input": { "phoneNumberId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.rerateCalls(input.tariffId)",
            StaffOnly,
            "mutation M($input: RerateCallsInput!) { rerateCalls(input: $input) { rated } }",
            &w.tariff,
            json!({ "input": { "tariffId": "$ID" } }),
        ),
    ]
}

fn cancellations(w: &World) -> Vec<Probe> {
    vec![Probe::new(
        "Mutation.cancelSubscription(input.subscriptionId)",
        Expect::StaffOnly,
        "mutation M($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) { subscription { id } } }",
        &w.acme_subscription,
        json!({ "input": { "subscriptionId": "$ID" } }),
    )]
}

/// The subscription lifecycle: every place is staff-only.
fn lifecycle(w: &World) -> Vec<Probe> {
    use Expect::StaffOnly;
    let add = "mutation M($input: AddSubscriptionItemInput!) { addSubscriptionItem(input: $input) { subscription { id } } }";
    vec![
        Probe::new(
            "Mutation.undoCancellation(input.subscriptionId)",
            StaffOnly,
            "mutation M($input: SubscriptionIdInput!) { undoCancellation(input: $input) { subscription { id } } }",
            &w.acme_subscription,
            json!({ "input": { "subscriptionId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.setSubscriptionAutomaticPayment(input.subscriptionId)",
            StaffOnly,
            "mutation M($input: SetSubscriptionAutomaticPaymentInput!) { setSubscriptionAutomaticPayment(input: $input) { subscription { id } } }",
            &w.acme_subscription,
            json!({ "input": { "subscriptionId": "$ID", "enabled": false } }),
        ),
        Probe::new(
            "Mutation.pauseSubscription(input.subscriptionId)",
            StaffOnly,
            "mutation M($input: SubscriptionIdInput!) { pauseSubscription(input: $input) { subscription { id } } }",
            &w.acme_subscription,
            json!({ "input": { "subscriptionId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.resumeSubscription(input.subscriptionId)",
            StaffOnly,
            "mutation M($input: SubscriptionIdInput!) { resumeSubscription(input: $input) { subscription { id } } }",
            &w.acme_subscription,
            json!({ "input": { "subscriptionId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.addSubscriptionItem(input.subscriptionId)",
            StaffOnly,
            add,
            &w.acme_subscription,
            json!({ "input": { "subscriptionId": "$ID", "priceId": w.price, "quantity": 1 } }),
        ),
        Probe::new(
            "Mutation.addSubscriptionItem(input.priceId)",
            StaffOnly,
            add,
            &w.price,
            json!({ "input": { "subscriptionId": w.acme_subscription, "priceId": "$ID", "quantity": 1 } }),
        ),
        Probe::new(
            "Mutation.removeSubscriptionItem(input.itemId)",
            StaffOnly,
            "mutation M($input: RemoveSubscriptionItemInput!) { removeSubscriptionItem(input: $input) { subscription { id } } }",
            &w.acme_item,
            json!({ "input": { "itemId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.setSubscriptionItemQuantity(input.itemId)",
            StaffOnly,
            "mutation M($input: SetSubscriptionItemQuantityInput!) { setSubscriptionItemQuantity(input: $input) { subscription { id } } }",
            &w.acme_item,
            json!({ "input": { "itemId": "$ID", "quantity": 2 } }),
        ),
    ]
}

/// What an organisation's own owners and billing admins change: contacts, billing addresses,
/// teams and members (staff verify addresses).
fn self_service(w: &World) -> Vec<Probe> {
    use Expect::{NotFound, StaffOnly};
    let paris = json!({ "line1": "1 Rue de Rivoli", "city": "Paris", "postalCode": "75001",
                        "country": "FR" });
    let with = |mut input: Value, key: &str, value: &str| {
        input[key] = json!(value);
        json!({ "input": input })
    };
    let contact = json!({ "role": "OTHER", "name": "Mallory", "email": "mallory@globex.example",
                          "receivesInvoices": true });
    vec![
        Probe::new(
            "Mutation.addContact(input.customerId)",
            NotFound,
            "mutation M($input: AddContactInput!) { addContact(input: $input) { contact { id } } }",
            &w.acme,
            with(contact.clone(), "customerId", "$ID"),
        ),
        Probe::new(
            "Mutation.updateContact(input.contactId)",
            NotFound,
            "mutation M($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } } }",
            &w.acme_contact,
            with(contact, "contactId", "$ID"),
        ),
        Probe::new(
            "Mutation.removeContact(input.contactId)",
            NotFound,
            "mutation M($input: RemoveContactInput!) { removeContact(input: $input) { removedContactId } }",
            &w.acme_contact,
            json!({ "input": { "contactId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.addBillingAddress(input.customerId)",
            NotFound,
            "mutation M($input: AddBillingAddressInput!) { addBillingAddress(input: $input) { address { id } } }",
            &w.acme,
            with(paris.clone(), "customerId", "$ID"),
        ),
        Probe::new(
            "Mutation.updateBillingAddress(input.addressId)",
            NotFound,
            "mutation M($input: UpdateBillingAddressInput!) { updateBillingAddress(input: $input) { address { id } } }",
            &w.acme_address,
            with(paris, "addressId", "$ID"),
        ),
        Probe::new(
            "Mutation.setDefaultBillingAddress(input.addressId)",
            NotFound,
            "mutation M($input: SetDefaultBillingAddressInput!) { setDefaultBillingAddress(input: $input) { address { id } } }",
            &w.acme_address,
            json!({ "input": { "addressId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.removeBillingAddress(input.addressId)",
            NotFound,
            "mutation M($input: RemoveBillingAddressInput!) { removeBillingAddress(input: $input) { removedAddressId } }",
            &w.acme_address,
            json!({ "input": { "addressId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.removeBillingAddress(input.newDefaultAddressId)",
            NotFound,
            "mutation M($input: RemoveBillingAddressInput!) { removeBillingAddress(input: $input) { removedAddressId } }",
            &w.acme_address,
            json!({ "input": { "addressId": w.globex_address, "newDefaultAddressId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.inviteUser(input.customerId)",
            NotFound,
            "mutation M($input: InviteUserInput!) { inviteUser(input: $input) { invitation { id } } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "email": "intruder@globex.example", "role": "OWNER" } }),
        ),
        Probe::new(
            "Mutation.revokeInvitation(input.invitationId)",
            NotFound,
            "mutation M($input: RevokeInvitationInput!) { revokeInvitation(input: $input) { invitation { id } } }",
            &w.acme_invitation,
            json!({ "input": { "invitationId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.changeUserRole(input.userId)",
            NotFound,
            "mutation M($input: ChangeUserRoleInput!) { changeUserRole(input: $input) { user { id } } }",
            &w.acme_user,
            json!({ "input": { "userId": "$ID", "role": "VIEWER" } }),
        ),
        Probe::new(
            "Mutation.changeStaffRole(input.userId)",
            StaffOnly,
            "mutation M($input: ChangeStaffRoleInput!) { changeStaffRole(input: $input) { user { id } } }",
            &w.acme_user,
            json!({ "input": { "userId": "$ID", "role": "SUPPORT" } }),
        ),
        Probe::new(
            "Mutation.disableStaffUser(input.userId)",
            StaffOnly,
            "mutation M($input: StaffUserIdInput!) { disableStaffUser(input: $input) { user { id } } }",
            &w.acme_user,
            json!({ "input": { "userId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.enableStaffUser(input.userId)",
            StaffOnly,
            "mutation M($input: StaffUserIdInput!) { enableStaffUser(input: $input) { user { id } } }",
            &w.acme_user,
            json!({ "input": { "userId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.removeUser(input.userId)",
            NotFound,
            "mutation M($input: RemoveUserInput!) { removeUser(input: $input) { removedUserId } }",
            &w.acme_user,
            json!({ "input": { "userId": "$ID" } }),
        ),
        Probe::new(
            "Query.documentsToReview(customerId)",
            StaffOnly,
            "query Q($id: ID!) { documentsToReview(customerId: $id) { nodes { id } } }",
            &w.acme,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Query.unratedCalls(customerId)",
            StaffOnly,
            "query Q($id: ID!) { unratedCalls(customerId: $id) { nodes { id } } }",
            &w.acme,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Query.unratedCalls(tariffId)",
            StaffOnly,
            "query Q($id: ID!) { unratedCalls(tariffId: $id) { nodes { id } } }",
            &w.tariff,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Query.receivables(customerId)",
            StaffOnly,
            "query Q($id: ID!) { receivables(customerId: $id) { nodes { id } } }",
            &w.acme,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Mutation.reviewDocument(input.documentId)",
            StaffOnly,
            "mutation M($input: ReviewDocumentInput!) { reviewDocument(input: $input) { document { id } } }",
            &w.acme_document,
            json!({ "input": { "documentId": "$ID", "decision": "ACCEPT" } }),
        ),
        Probe::new(
            "Mutation.verifyAddress(input.addressId)",
            StaffOnly,
            "mutation M($input: VerifyAddressInput!) { verifyAddress(input: $input) { address { id } } }",
            &w.acme_address,
            json!({ "input": { "addressId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.renameTeam(input.teamId)",
            NotFound,
            "mutation M($input: RenameTeamInput!) { renameTeam(input: $input) { team { id } } }",
            &w.acme_team,
            json!({ "input": { "teamId": "$ID", "name": "Intruders" } }),
        ),
        Probe::new(
            "Mutation.deleteTeam(input.teamId)",
            NotFound,
            "mutation M($input: DeleteTeamInput!) { deleteTeam(input: $input) { deletedTeamId } }",
            &w.acme_team,
            json!({ "input": { "teamId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.deleteTeam(input.moveMembersToTeamId)",
            NotFound,
            "mutation M($input: DeleteTeamInput!) { deleteTeam(input: $input) { deletedTeamId } }",
            &w.acme_team,
            json!({ "input": { "teamId": w.globex_team, "moveMembersToTeamId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.updateMember(input.memberId)",
            NotFound,
            "mutation M($input: UpdateMemberInput!) { updateMember(input: $input) { member { id } } }",
            &w.acme_member,
            json!({ "input": { "memberId": "$ID", "name": "Mallory" } }),
        ),
        Probe::new(
            "Mutation.updateMember(input.teamId)",
            NotFound,
            "mutation M($input: UpdateMemberInput!) { updateMember(input: $input) { member { id } } }",
            &w.acme_team,
            json!({ "input": { "memberId": w.globex_member, "teamId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.removeMember(input.memberId)",
            NotFound,
            "mutation M($input: RemoveMemberInput!) { removeMember(input: $input) { removedMemberId } }",
            &w.acme_member,
            json!({ "input": { "memberId": "$ID" } }),
        ),
    ]
}

fn payments(w: &World) -> Vec<Probe> {
    use Expect::{NotFound, StaffOnly};
    let card = |customer: &str| {
        json!({ "input": { "customerId": customer, "number": "4242424242424242", "expMonth": 12,
            "expYear": 2040, "cvc": "123" } })
    };
    vec![
        Probe::new(
            "Mutation.addCard(input.customerId)",
            NotFound,
            "mutation M($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } } }",
            &w.acme,
            card("$ID"),
        ),
        Probe::new(
            "Mutation.addSepaDebit(input.customerId)",
            NotFound,
            "mutation M($input: AddSepaDebitInput!) { addSepaDebit(input: $input) { paymentMethod { id } } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "iban": "DE89370400440532013000",
                "holderName": "Mallory" } }),
        ),
        Probe::new(
            "Mutation.beginPaymentMethodSetup(input.customerId)",
            NotFound,
            "mutation M($input: BeginPaymentMethodSetupInput!) { beginPaymentMethodSetup(input: $input) { setupIntentId } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "kind": "CARD" } }),
        ),
        Probe::new(
            "Mutation.completePaymentMethodSetup(input.customerId)",
            NotFound,
            "mutation M($input: CompletePaymentMethodSetupInput!) { completePaymentMethodSetup(input: $input) { paymentMethod { id } } }",
            &w.acme,
            json!({ "input": { "customerId": "$ID", "setupIntentId": "seti_none" } }),
        ),
        // The sweep runs on the sandbox, which has no setups: every setup id is unknown, as
        // another organisation's is with Stripe (payments::stripe_ui proves that one).
        Probe::new(
            "Mutation.completePaymentMethodSetup(input.setupIntentId)",
            NotFound,
            "mutation M($input: CompletePaymentMethodSetupInput!) { completePaymentMethodSetup(input: $input) { paymentMethod { id } } }",
            "seti_acme_in_the_sandbox",
            json!({ "input": { "customerId": w.globex, "setupIntentId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.setDefaultPaymentMethod(input.paymentMethodId)",
            NotFound,
            "mutation M($input: SetDefaultPaymentMethodInput!) { setDefaultPaymentMethod(input: $input) { paymentMethod { id } } }",
            &w.acme_payment_method,
            json!({ "input": { "paymentMethodId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.removePaymentMethod(input.paymentMethodId)",
            NotFound,
            "mutation M($input: RemovePaymentMethodInput!) { removePaymentMethod(input: $input) { removedPaymentMethodId } }",
            &w.acme_payment_method,
            json!({ "input": { "paymentMethodId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.payInvoice(input.invoiceId)",
            NotFound,
            "mutation M($input: PayInvoiceInput!) { payInvoice(input: $input) { attempt { id } } }",
            &w.acme_invoice,
            json!({ "input": { "invoiceId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.payInvoice(input.paymentMethodId)",
            NotFound,
            "mutation M($input: PayInvoiceInput!) { payInvoice(input: $input) { attempt { id } } }",
            &w.acme_payment_method,
            json!({ "input": { "invoiceId": w.globex_invoice, "paymentMethodId": "$ID" } }),
        ),
        Probe::new(
            "Mutation.confirmPaymentAuthentication(input.attemptId)",
            NotFound,
            "mutation M($input: ConfirmPaymentAuthenticationInput!) { confirmPaymentAuthentication(input: $input) { attempt { id } } }",
            &w.acme_attempt,
            json!({ "input": { "attemptId": "$ID", "passed": false } }),
        ),
        Probe::new(
            "Query.paymentAttempt(id)",
            NotFound,
            "query Q($id: ID!) { paymentAttempt(id: $id) { id status } }",
            &w.acme_attempt,
            json!({ "id": "$ID" }),
        ),
        Probe::new(
            "Mutation.recordOfflinePayment(input.invoiceId)",
            StaffOnly,
            "mutation M($input: RecordOfflinePaymentInput!) { recordOfflinePayment(input: $input) { payment { id } } }",
            &w.acme_invoice,
            json!({ "input": { "invoiceId": "$ID", "amount": "1.00", "method": "Cash" } }),
        ),
        Probe::new(
            "Mutation.refundPayment(input.paymentId)",
            StaffOnly,
            "mutation M($input: RefundPaymentInput!) { refundPayment(input: $input) { refund { id } } }",
            &w.acme_payment,
            json!({ "input": { "paymentId": "$ID", "amount": "1.00" } }),
        ),
        Probe::new(
            "Mutation.retryInvoicePayment(input.invoiceId)",
            StaffOnly,
            "mutation M($input: RetryInvoicePaymentInput!) { retryInvoicePayment(input: $input) { attempt { id } } }",
            &w.acme_invoice,
            json!({ "input": { "invoiceId": "$ID" } }),
        ),
    ]
}
