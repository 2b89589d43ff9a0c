//! Invoices: for now the upcoming charges of the demo organisations, checked against arithmetic
//! done here (seats × price, tax at the organisation's rate), as every role and as staff.

mod currencies;
mod numbering;
mod portal;
mod run;
mod runs;
mod scheduler;
mod settle;
mod upcoming;
