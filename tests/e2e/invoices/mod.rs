//! Invoices: for now the upcoming charges of the demo organisations, checked against arithmetic
//! done here (seats × price, tax at the organisation's rate), as every role and as staff.

mod charges;
mod coupons;
mod credits;
mod currencies;
mod demo;
mod immediate;
mod numbering;
mod overdue;
mod portal;
mod preview;
mod run;
mod runs;
mod scheduler;
mod settle;
mod tax;
mod unit_price;
mod upcoming;
