//! Coupons and their redemptions. A coupon's code is unique whatever its case (`code_key` is
//! the lower-cased code). A fixed coupon keeps one amount per currency in minor units (JSON
//! `{"EUR": 500}`); a percent coupon its rate as exact decimal text. A redemption applies a
//! coupon to a customer (every subscription) or one subscription, once per (coupon,
//! customer), and counts the finalised invoices it has discounted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Coupons::Table)
                    .col(pk_uuid(Coupons::Id))
                    .col(string_len(Coupons::Code, 40))
                    .col(string_len(Coupons::CodeKey, 40))
                    .col(string_len(Coupons::Name, 100))
                    .col(string_null(Coupons::PercentOff))
                    .col(json_binary_null(Coupons::AmountsOffMinor))
                    .col(string_len(Coupons::Duration, 16))
                    .col(integer_null(Coupons::DurationPeriods))
                    .col(json_binary_null(Coupons::ProductIds))
                    .col(integer_null(Coupons::MaxRedemptions))
                    .col(integer(Coupons::Redemptions).default(0))
                    .col(date_null(Coupons::ExpiresOn))
                    .col(timestamp_with_time_zone_null(Coupons::ArchivedAt))
                    .col(timestamp_with_time_zone(Coupons::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_coupons_code_key")
                    .table(Coupons::Table)
                    .col(Coupons::CodeKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_coupons_page")
                    .table(Coupons::Table)
                    .col(Coupons::CreatedAt)
                    .col(Coupons::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CouponRedemptions::Table)
                    .col(pk_uuid(CouponRedemptions::Id))
                    .col(uuid(CouponRedemptions::CouponId))
                    .col(uuid(CouponRedemptions::CustomerId))
                    .col(uuid_null(CouponRedemptions::SubscriptionId))
                    .col(integer(CouponRedemptions::PeriodsApplied).default(0))
                    .col(timestamp_with_time_zone(CouponRedemptions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CouponRedemptions::Table, CouponRedemptions::CouponId)
                            .to(Coupons::Table, Coupons::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CouponRedemptions::Table, CouponRedemptions::CustomerId)
                            .to(Customers::Table, Customers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Once per customer: the same coupon on the customer and on one of its subscriptions
        // would discount that subscription twice.
        manager
            .create_index(
                Index::create()
                    .name("ux_coupon_redemptions_customer")
                    .table(CouponRedemptions::Table)
                    .col(CouponRedemptions::CustomerId)
                    .col(CouponRedemptions::CouponId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CouponRedemptions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Coupons::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Coupons {
    Table,
    Id,
    Code,
    CodeKey,
    Name,
    PercentOff,
    AmountsOffMinor,
    Duration,
    DurationPeriods,
    ProductIds,
    MaxRedemptions,
    Redemptions,
    ExpiresOn,
    ArchivedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CouponRedemptions {
    Table,
    Id,
    CouponId,
    CustomerId,
    SubscriptionId,
    PeriodsApplied,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}
