//! Invoices end to end: upcoming charges, billing runs (workers, crashes, staff runs), numbering,
//! one-time charges, coupons, tax, credits and credit notes, settlements, the portal's pages,
//! and 200 generated scenarios whose preview equals their invoice.

mod browser;
mod cancel;
mod charges;
mod coupons;
mod credits;
mod currencies;
mod demo;
mod details;
mod immediate;
mod lifecycle;
mod numbering;
mod overdue;
mod portal;
mod preview;
mod price_bound;
mod price_move;
mod progress;
mod run;
mod runs;
mod scheduler;
mod settle;
mod tax;
mod unit_price;
mod upcoming;
