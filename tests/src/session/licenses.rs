//! The license slice as a customer user drives it: binding quotes, applying them, seats, and
//! the upcoming charges they end up on.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Session, nodes, optional_id, parse};

const PREVIEW: &str = "mutation P($input: PreviewLicenseChangeInput!) { previewLicenseChange(input: $input) { quote {
    id delta quantityBefore quantityAfter unitPrice { ...money } proratedUnitAmount { ...money }
    daysRemaining periodDays lineDescription lineAmount { ...money } tax { ...money }
    amountDueNow { ...money } amountNextInvoice { ...money } newRecurringTotal { ...money }
    deltaRecurringTotal { ...money } firstPaymentDate prepaidPeriodStart prepaidPeriodEnd expiresAt } } }
    fragment money on Money { amount currency formatted }";

const APPLY: &str =
    "mutation A($input: ApplyLicenseChangeInput!) { applyLicenseChange(input: $input) {
    quantityBefore quantityAfter quote { id appliedAt } item { quantity assigned unassigned } } }";

const LICENSES: &str = "{ viewer { organisation { licenses {
    id quantity assigned unassigned seats(first: 100) { nodes { id member { id } } } } } } }";

const UPCOMING: &str = "{ viewer { organisation { upcomingCharges {
    subscriptionId invoiceDate lines { kind description amount { ...money } tax { ...money } }
    subtotal { ...money } tax { ...money } total { ...money } amountDue { ...money } } } } }
    fragment money on Money { amount currency formatted }";

const ASSIGN: &str = "mutation A($input: AssignLicenseInput!) { assignLicense(input: $input) {
    license { id member { id } } } }";

const UNASSIGN: &str =
    "mutation U($input: UnassignLicenseInput!) { unassignLicense(input: $input) {
    license { id member { id } } } }";

/// An amount of money as the API writes it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Money {
    /// Exact decimal text, e.g. `61.87`.
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
    /// For display, e.g. `€61.87`.
    pub formatted: String,
}

/// A binding quote for a license change (`LicenseQuote`).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    /// `quo_…`.
    pub id: String,
    /// Seats added (positive) or removed (negative).
    pub delta: i64,
    /// Seats before the change.
    pub quantity_before: u64,
    /// Seats after it.
    pub quantity_after: u64,
    /// Price of one seat for a full period.
    pub unit_price: Money,
    /// Price of one seat for the days that remain.
    pub prorated_unit_amount: Money,
    /// Days of the period left, today included.
    pub days_remaining: u64,
    /// Days in the period.
    pub period_days: u64,
    /// The proration line's text, when the change adds one.
    pub line_description: Option<String>,
    /// The proration line's amount, when the change adds one.
    pub line_amount: Option<Money>,
    /// Tax on the proration.
    pub tax: Money,
    /// Charged when the quote is applied.
    pub amount_due_now: Money,
    /// Added to the next invoice.
    pub amount_next_invoice: Money,
    /// The recurring total after the change.
    pub new_recurring_total: Money,
    /// How much the recurring total changes.
    pub delta_recurring_total: Money,
    /// When the change is first paid for.
    pub first_payment_date: String,
    /// First day the proration pays for.
    pub prepaid_period_start: String,
    /// First day after it.
    pub prepaid_period_end: String,
    /// When the quote stops being honoured.
    pub expires_at: String,
}

/// What `applyLicenseChange` answers.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppliedChange {
    /// Seats just before the change.
    pub quantity_before: u64,
    /// Seats after it.
    pub quantity_after: u64,
    /// The quote applied.
    pub quote: AppliedQuote,
    /// The item as it is now.
    pub item: ItemCounts,
}

/// The quote of an applied change.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppliedQuote {
    /// `quo_…`.
    pub id: String,
    /// When it was applied.
    pub applied_at: Option<String>,
}

/// A license item's seat counts.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ItemCounts {
    /// Seats held.
    pub quantity: u64,
    /// Seats with a member.
    pub assigned: u64,
    /// Seats without one.
    pub unassigned: u64,
}

/// A license item as its organisation sees it, with its first hundred seats.
#[derive(Clone, Debug, Deserialize)]
pub struct LicenseItem {
    /// `si_…`.
    pub id: String,
    /// Seats held.
    pub quantity: u64,
    /// Seats with a member.
    pub assigned: u64,
    /// Seats without one.
    pub unassigned: u64,
    /// The first hundred seats.
    #[serde(deserialize_with = "nodes")]
    pub seats: Vec<Seat>,
}

/// One seat of a license item (`License`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Seat {
    /// `lic_…`.
    pub id: String,
    /// The member (`mem_…`) using it, if assigned.
    #[serde(deserialize_with = "optional_id")]
    pub member: Option<String>,
}

/// A subscription's upcoming invoice (`UpcomingInvoice`).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpcomingCharges {
    /// `sub_…`.
    pub subscription_id: String,
    /// When it will be built and charged.
    pub invoice_date: String,
    /// Its lines, charges first.
    pub lines: Vec<ChargeLine>,
    /// Sum of the charge lines.
    pub subtotal: Money,
    /// Sum of the lines' tax.
    pub tax: Money,
    /// Subtotal plus tax.
    pub total: Money,
    /// What will be charged.
    pub amount_due: Money,
}

/// One line of an upcoming invoice (`InvoiceLine`).
#[derive(Clone, Debug, Deserialize)]
pub struct ChargeLine {
    /// `RECURRING`, `PRORATION`, …
    pub kind: String,
    /// As the customer reads it.
    pub description: String,
    /// Before tax.
    pub amount: Money,
    /// Tax on the line.
    pub tax: Money,
}

impl UpcomingCharges {
    /// The lines' descriptions, in order.
    pub fn descriptions(&self) -> Vec<&str> {
        self.lines.iter().map(|l| l.description.as_str()).collect()
    }

    /// How many lines are of `kind`.
    pub fn count_of(&self, kind: &str) -> usize {
        self.lines.iter().filter(|l| l.kind == kind).count()
    }
}

impl Session<'_> {
    /// Previews adding (`delta > 0`) or removing seats of `item`; returns the raw body.
    pub async fn try_preview_license_change(&self, item: &str, delta: i64) -> Value {
        self.graphql(
            PREVIEW,
            json!({ "input": { "itemId": item, "delta": delta } }),
        )
        .await
    }

    /// Previews a change that must succeed; returns the binding quote.
    pub async fn preview_license_change(&self, item: &str, delta: i64) -> Quote {
        let data: Value = self
            .data(
                &format!("previewLicenseChange({item}, {delta})"),
                PREVIEW,
                json!({ "input": { "itemId": item, "delta": delta } }),
            )
            .await;
        parse(
            "previewLicenseChange",
            &data["previewLicenseChange"]["quote"],
        )
    }

    /// Applies the quote `quote_id` with an idempotency key; returns the raw body.
    pub async fn try_apply_license_change(&self, quote_id: &str, key: &str) -> Value {
        self.graphql(
            APPLY,
            json!({ "input": { "quoteId": quote_id, "idempotencyKey": key } }),
        )
        .await
    }

    /// Applies a quote, which must succeed; returns what the server answers.
    pub async fn apply_license_change(&self, quote: &Quote, key: &str) -> AppliedChange {
        let data: Value = self
            .data(
                &format!("applyLicenseChange({}, {key})", quote.id),
                APPLY,
                json!({ "input": { "quoteId": quote.id, "idempotencyKey": key } }),
            )
            .await;
        parse("applyLicenseChange", &data["applyLicenseChange"])
    }

    /// The license item `id` among the organisation's licenses. Panics when it is not there.
    pub async fn license_item(&self, id: &str) -> LicenseItem {
        let data: Value = self.data("licenses", LICENSES, json!({})).await;
        let item = data["viewer"]["organisation"]["licenses"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["id"] == id))
            .unwrap_or_else(|| panic!("no license item {id} for {}: {data}", self.email));
        parse("licenses", item)
    }

    /// The upcoming invoice of `subscription`. Panics when the organisation has none for it.
    pub async fn upcoming_charges(&self, subscription: &str) -> UpcomingCharges {
        let data: Value = self.data("upcomingCharges", UPCOMING, json!({})).await;
        let upcoming = data["viewer"]["organisation"]["upcomingCharges"]
            .as_array()
            .and_then(|all| all.iter().find(|u| u["subscriptionId"] == subscription))
            .unwrap_or_else(|| {
                panic!(
                    "no upcoming invoice for {subscription} for {}: {data}",
                    self.email
                )
            });
        parse("upcomingCharges", upcoming)
    }

    /// Assigns a seat to a member; returns the raw body.
    pub async fn try_assign_license(&self, seat: &str, member: &str) -> Value {
        self.graphql(
            ASSIGN,
            json!({ "input": { "seatId": seat, "memberId": member } }),
        )
        .await
    }

    /// Assigns a seat to a member, which must succeed; returns the seat as it now is.
    pub async fn assign_license(&self, seat: &str, member: &str) -> Seat {
        let data: Value = self
            .data(
                &format!("assignLicense({seat}, {member})"),
                ASSIGN,
                json!({ "input": { "seatId": seat, "memberId": member } }),
            )
            .await;
        parse("assignLicense", &data["assignLicense"]["license"])
    }

    /// Frees a seat; returns the raw body.
    pub async fn try_unassign_license(&self, seat: &str) -> Value {
        self.graphql(UNASSIGN, json!({ "input": { "seatId": seat } }))
            .await
    }

    /// Frees a seat, which must succeed; returns the seat as it now is.
    pub async fn unassign_license(&self, seat: &str) -> Seat {
        let data: Value = self
            .data(
                &format!("unassignLicense({seat})"),
                UNASSIGN,
                json!({ "input": { "seatId": seat } }),
            )
            .await;
        parse("unassignLicense", &data["unassignLicense"]["license"])
    }
}
