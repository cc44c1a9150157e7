//! One module per command group.

pub mod audit;
pub mod import;
pub mod calendar;
pub mod catalog;
pub mod fee;
pub mod report;
pub mod validate;
