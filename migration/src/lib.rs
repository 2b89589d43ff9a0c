//! Billfold's schema migrations. One change per file, named for the change; the same migrations
//! run on SQLite and PostgreSQL (only portable column types: uuid, text, integer/bigint,
//! boolean, timestamptz, json).

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_create_customers;
mod m20261121_000002_create_users;
mod m20261121_000003_create_teams;
mod m20261121_000004_create_members;
mod m20261121_000005_create_audit_log;
mod m20261121_000006_create_idempotency_keys;
mod m20261122_000007_add_customer_tax_rate;
mod m20261122_000008_create_products;
mod m20261122_000009_create_prices;
mod m20261122_000010_create_subscriptions;
mod m20261122_000011_create_subscription_items;
mod m20261122_000012_create_licenses;
mod m20261122_000013_create_quotes;
mod m20261122_000014_create_unbilled_charges;
mod m20261123_000015_add_customer_revision;
mod m20261201_000016_add_keyset_indexes;
mod m20261201_000017_create_number_sequences;
mod m20261201_000018_create_invoices;
mod m20261201_000019_create_credits;
mod m20261201_000020_create_one_off_charges;
mod m20261201_000021_create_coupons;
mod m20261201_000022_add_tax_rates_and_billing_settings;
mod m20261201_000023_create_billing_runs;
mod m20261201_000024_add_item_unit_price_override;
mod m20261201_000025_add_subscription_cancel_at;
mod m20261201_000026_add_unbilled_charge_licenses;
mod m20261201_000027_add_invoice_details;
mod m20261201_000028_add_document_hashes_and_invoice_delivery;
mod m20261201_000029_create_outbox_messages;
mod m20261201_000040_create_contacts;
mod m20261201_000041_create_billing_addresses;
mod m20261201_000042_add_user_session_version;
mod m20261201_000050_create_documents;
mod m20261201_000051_create_document_requirements;
mod m20261201_000052_create_invitations;
mod m20261201_000053_add_outbox_secret;
mod m20261201_000060_create_payments;
mod m20261201_000061_add_invoice_amount_paid;
mod m20261201_000062_create_stripe_events;
mod m20261201_000070_create_usage_records;
mod m20261201_000071_create_api_keys;
mod m20261201_000072_add_usage_consumption_indexes;
mod m20261201_000076_create_tariffs;
mod m20261201_000077_create_phone_numbers;
mod m20261201_000078_create_call_records;
mod m20261202_000085_unique_processor_refunds;
mod m20261202_000086_create_usage_days;
mod m20261202_000090_add_customer_external_reference;
mod m20261202_000095_add_invoice_billing_run;
mod m20261202_000110_add_phone_number_released_on;
mod m20261202_000120_add_customer_tags_and_billing_cycle;
mod m20261203_000130_index_open_invoices_by_due_date;
mod m20261203_000140_index_audit_log_by_time;
mod m20261203_000150_add_subscription_automatic_payment;

/// Runs every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_customers::Migration),
            Box::new(m20261121_000002_create_users::Migration),
            Box::new(m20261121_000003_create_teams::Migration),
            Box::new(m20261121_000004_create_members::Migration),
            Box::new(m20261121_000005_create_audit_log::Migration),
            Box::new(m20261121_000006_create_idempotency_keys::Migration),
            Box::new(m20261122_000007_add_customer_tax_rate::Migration),
            Box::new(m20261122_000008_create_products::Migration),
            Box::new(m20261122_000009_create_prices::Migration),
            Box::new(m20261122_000010_create_subscriptions::Migration),
            Box::new(m20261122_000011_create_subscription_items::Migration),
            Box::new(m20261122_000012_create_licenses::Migration),
            Box::new(m20261122_000013_create_quotes::Migration),
            Box::new(m20261122_000014_create_unbilled_charges::Migration),
            Box::new(m20261123_000015_add_customer_revision::Migration),
            Box::new(m20261201_000016_add_keyset_indexes::Migration),
            Box::new(m20261201_000017_create_number_sequences::Migration),
            Box::new(m20261201_000018_create_invoices::Migration),
            Box::new(m20261201_000019_create_credits::Migration),
            Box::new(m20261201_000020_create_one_off_charges::Migration),
            Box::new(m20261201_000021_create_coupons::Migration),
            Box::new(m20261201_000022_add_tax_rates_and_billing_settings::Migration),
            Box::new(m20261201_000023_create_billing_runs::Migration),
            Box::new(m20261201_000024_add_item_unit_price_override::Migration),
            Box::new(m20261201_000025_add_subscription_cancel_at::Migration),
            Box::new(m20261201_000026_add_unbilled_charge_licenses::Migration),
            Box::new(m20261201_000027_add_invoice_details::Migration),
            Box::new(m20261201_000028_add_document_hashes_and_invoice_delivery::Migration),
            Box::new(m20261201_000029_create_outbox_messages::Migration),
            Box::new(m20261201_000040_create_contacts::Migration),
            Box::new(m20261201_000041_create_billing_addresses::Migration),
            Box::new(m20261201_000042_add_user_session_version::Migration),
            Box::new(m20261201_000050_create_documents::Migration),
            Box::new(m20261201_000051_create_document_requirements::Migration),
            Box::new(m20261201_000052_create_invitations::Migration),
            Box::new(m20261201_000053_add_outbox_secret::Migration),
            Box::new(m20261201_000060_create_payments::Migration),
            Box::new(m20261201_000061_add_invoice_amount_paid::Migration),
            Box::new(m20261201_000062_create_stripe_events::Migration),
            Box::new(m20261201_000070_create_usage_records::Migration),
            Box::new(m20261201_000071_create_api_keys::Migration),
            Box::new(m20261201_000072_add_usage_consumption_indexes::Migration),
            Box::new(m20261201_000076_create_tariffs::Migration),
            Box::new(m20261201_000077_create_phone_numbers::Migration),
            Box::new(m20261201_000078_create_call_records::Migration),
            Box::new(m20261202_000085_unique_processor_refunds::Migration),
            Box::new(m20261202_000086_create_usage_days::Migration),
            Box::new(m20261202_000090_add_customer_external_reference::Migration),
            Box::new(m20261202_000095_add_invoice_billing_run::Migration),
            Box::new(m20261202_000110_add_phone_number_released_on::Migration),
            Box::new(m20261202_000120_add_customer_tags_and_billing_cycle::Migration),
            Box::new(m20261203_000130_index_open_invoices_by_due_date::Migration),
            Box::new(m20261203_000140_index_audit_log_by_time::Migration),
            Box::new(m20261203_000150_add_subscription_automatic_payment::Migration),
        ]
    }
}
