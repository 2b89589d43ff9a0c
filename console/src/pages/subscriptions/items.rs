//! `GET /admin/customers/cus_…/subscriptions/sub_…`: changing a subscription (ChargeOver's
//! billing package): each line's quantity, own unit price or removal, a line added from the
//! catalog, and the PO number and notes its invoices carry. Every change posts, then redirects
//! back with what the API computed for it: the proration the next invoice charges and what
//! was credited (`?next=…&credited=…`, amounts, never personal data).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::done::{Done, ItemsParams};
use crate::Console;
use crate::choices::every_product;
use crate::chrome::{Chrome, Nav};
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{
    AddSubscriptionItem, CustomerSubscription, RemoveSubscriptionItem,
    SetSubscriptionInvoiceDetails, SetSubscriptionItemQuantity, SetSubscriptionItemUnitPrice,
    add_subscription_item, customer_subscription, remove_subscription_item,
    set_subscription_invoice_details, set_subscription_item_quantity,
    set_subscription_item_unit_price,
};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{label, period, schema_name};

/// The change page.
#[derive(Template)]
#[template(path = "subscriptions/items.html")]
struct ItemsPage {
    chrome: Chrome,
    customer: CustomerFrame,
    /// `sub_…`.
    id: String,
    status: String,
    /// "1 Dec 2026 – 31 Dec 2026".
    period: String,
    items: Vec<ItemRow>,
    /// `(price id, "Support plan: €12.50 per month (v2)")` of the prices a line may add.
    prices: Vec<(String, String)>,
    po_number: String,
    invoice_notes: String,
    /// What the last change did.
    done: Option<Done>,
    /// The refusal of the last change, above the forms.
    errors: FormErrors,
}

/// One line.
struct ItemRow {
    id: String,
    product: String,
    kind: String,
    /// License seats change through a binding quote ([`super::seats`]).
    license: bool,
    /// A metered line bills its usage: its quantity means nothing to change.
    metered: bool,
    quantity: i64,
    /// "€12.50", or `None` for a tiered price.
    unit_price: Option<String>,
    /// The customer's own unit price, as typed.
    own_price: String,
}

/// A line's change: `action` is `quantity`, `unit_price` or `remove`.
#[derive(Deserialize)]
pub(super) struct ItemForm {
    csrf: String,
    item: String,
    action: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    unit_price: String,
}

/// A line to add.
#[derive(Deserialize)]
pub(super) struct AddForm {
    csrf: String,
    price: String,
    quantity: String,
}

/// The invoice details.
#[derive(Deserialize)]
pub(super) struct DetailsForm {
    csrf: String,
    po_number: String,
    invoice_notes: String,
}

/// The change page of `subscription_id`, with what the last change did or its refusal.
pub(super) async fn items_page(
    console: &Console,
    visitor: &Visitor,
    (customer_id, subscription_id): (&str, &str),
    done: Option<Done>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Customers).await?;
    let customer = CustomerFrame::load(console, visitor, customer_id, Tab::Subscriptions).await?;
    // Another customer's subscription is not found, like one that does not exist.
    let subscription = console
        .run::<CustomerSubscription>(
            customer_subscription::Variables {
                id: customer_id.to_owned(),
                subscription: subscription_id.to_owned(),
            },
            Some(&visitor.session),
        )
        .await?
        .customer
        .subscription;
    // Generated per operation, the enums compare by their schema names.
    let interval = subscription.interval.as_ref().map(schema_name);
    let prices = every_product(console, visitor, None)
        .await?
        .into_iter()
        .flat_map(|product| {
            let name = product.name;
            product
                .prices
                .into_iter()
                .filter(|p| {
                    p.active
                        && p.currency == customer.currency
                        && p.interval == interval
                        && p.interval_count == subscription.interval_count
                })
                .map(move |p| {
                    let amount = p.unit_amount.unwrap_or_else(|| "tiered".into());
                    (p.id, format!("{name}: {amount} (v{})", p.version))
                })
        })
        .collect();
    let items = subscription
        .items
        .into_iter()
        .map(|i| ItemRow {
            license: matches!(i.product.kind, customer_subscription::ProductKind::LICENSE),
            metered: matches!(i.product.kind, customer_subscription::ProductKind::METERED),
            kind: label(&i.product.kind),
            id: i.id,
            product: i.product.name,
            quantity: i.quantity,
            unit_price: i.unit_price_formatted,
            own_price: i.unit_price_override.unwrap_or_default(),
        })
        .collect();
    let status = errors.status();
    let page = ItemsPage {
        chrome,
        customer,
        id: subscription.id,
        status: label(&subscription.status),
        period: period(
            subscription.current_period_start,
            subscription.current_period_end,
        ),
        items,
        prices,
        po_number: subscription.po_number.unwrap_or_default(),
        invoice_notes: subscription.invoice_notes.unwrap_or_default(),
        done,
        errors,
    };
    Ok(render(status, &page))
}

/// `GET …/subscriptions/sub_…`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Path((customer, subscription)): Path<(String, String)>,
    Query(params): Query<ItemsParams>,
) -> Result<Response, PageError> {
    let done = Done::from_params(&params);
    items_page(
        &console,
        &visitor,
        (&customer, &subscription),
        done,
        FormErrors::none(),
    )
    .await
}

/// Back to the page with what a change did.
fn back(
    customer: String,
    subscription: String,
    done: &str,
    money: Option<(String, String)>,
) -> Response {
    let mut pairs = vec![("done", done.to_owned())];
    if let Some((next, credited)) = money {
        pairs.push(("next", next));
        pairs.push(("credited", credited));
    }
    Redirect::to(&Route::Subscription(customer, subscription).href_with(&pairs)).into_response()
}

/// The page again with the API's refusal above the forms.
pub(super) async fn refused(
    console: &Console,
    visitor: &Visitor,
    ids: (&str, &str),
    error: crate::client::ConsoleError,
) -> Result<Response, PageError> {
    let errors = FormErrors::from_refusal(error, |_| false)?;
    items_page(console, visitor, ids, None, errors).await
}

/// A whole number typed in a form, or the refusal to show.
fn whole(text: &str) -> Result<i64, FormErrors> {
    text.trim()
        .parse()
        .map_err(|_| FormErrors::above("Enter a whole number of units."))
}

/// `POST …/subscriptions/sub_…/items/change`.
pub(super) async fn change(
    State(console): State<Console>,
    visitor: Visitor,
    Path((customer, subscription)): Path<(String, String)>,
    Form(form): Form<ItemForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let session = Some(visitor.session.as_str());
    let ids = (customer.as_str(), subscription.as_str());
    let answer = match form.action.as_str() {
        "quantity" => {
            let quantity = match whole(&form.quantity) {
                Ok(quantity) => quantity,
                Err(errors) => return items_page(&console, &visitor, ids, None, errors).await,
            };
            let input = set_subscription_item_quantity::SetSubscriptionItemQuantityInput {
                item_id: form.item,
                quantity,
            };
            console
                .run::<SetSubscriptionItemQuantity>(
                    set_subscription_item_quantity::Variables { input },
                    session,
                )
                .await
                .map(|d| {
                    let c = d.set_subscription_item_quantity;
                    (
                        "quantity",
                        Some((c.next_invoice.formatted, c.credited.formatted)),
                    )
                })
        }
        "remove" => {
            let input =
                remove_subscription_item::RemoveSubscriptionItemInput { item_id: form.item };
            console
                .run::<RemoveSubscriptionItem>(
                    remove_subscription_item::Variables { input },
                    session,
                )
                .await
                .map(|d| {
                    let c = d.remove_subscription_item;
                    (
                        "removed",
                        Some((c.next_invoice.formatted, c.credited.formatted)),
                    )
                })
        }
        "unit_price" => {
            let unit_price = Some(form.unit_price.trim().to_owned()).filter(|p| !p.is_empty());
            let input = set_subscription_item_unit_price::SetSubscriptionItemUnitPriceInput {
                item_id: form.item,
                unit_price,
            };
            console
                .run::<SetSubscriptionItemUnitPrice>(
                    set_subscription_item_unit_price::Variables { input },
                    session,
                )
                .await
                .map(|_| ("unit-price", None))
        }
        _ => {
            return Err(PageError::BadRequest(
                "Change the quantity, the unit price or remove.".into(),
            ));
        }
    };
    match answer {
        Ok((done, money)) => Ok(back(customer, subscription, done, money)),
        Err(error) => refused(&console, &visitor, ids, error).await,
    }
}

/// `POST …/subscriptions/sub_…/items`.
pub(super) async fn add(
    State(console): State<Console>,
    visitor: Visitor,
    Path((customer, subscription)): Path<(String, String)>,
    Form(form): Form<AddForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let ids = (customer.as_str(), subscription.as_str());
    let quantity = match whole(&form.quantity) {
        Ok(quantity) => quantity,
        Err(errors) => return items_page(&console, &visitor, ids, None, errors).await,
    };
    let input = add_subscription_item::AddSubscriptionItemInput {
        subscription_id: subscription.clone(),
        price_id: form.price,
        quantity,
    };
    match console
        .run::<AddSubscriptionItem>(
            add_subscription_item::Variables { input },
            Some(&visitor.session),
        )
        .await
    {
        Ok(d) => {
            let c = d.add_subscription_item;
            let money = Some((c.next_invoice.formatted, c.credited.formatted));
            Ok(back(customer, subscription, "added", money))
        }
        Err(error) => refused(&console, &visitor, ids, error).await,
    }
}

/// `POST …/subscriptions/sub_…/details`.
pub(super) async fn details(
    State(console): State<Console>,
    visitor: Visitor,
    Path((customer, subscription)): Path<(String, String)>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let input = set_subscription_invoice_details::SetSubscriptionInvoiceDetailsInput {
        subscription_id: subscription.clone(),
        po_number: Some(form.po_number.trim().to_owned()).filter(|p| !p.is_empty()),
        invoice_notes: Some(form.invoice_notes.trim().to_owned()).filter(|n| !n.is_empty()),
    };
    match console
        .run::<SetSubscriptionInvoiceDetails>(
            set_subscription_invoice_details::Variables { input },
            Some(&visitor.session),
        )
        .await
    {
        Ok(_) => Ok(back(customer, subscription, "details", None)),
        Err(error) => {
            let ids = (customer.as_str(), subscription.as_str());
            refused(&console, &visitor, ids, error).await
        }
    }
}
