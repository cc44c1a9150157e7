//! One module per command group.

pub mod audit;
pub mod import;
pub mod report;
