//! One module per command group.

pub mod actor;
pub mod agency;
pub mod application;
pub mod audit;
pub mod audit_log;
pub mod backup;
pub mod calendar;
pub mod catalog;
pub mod cleanup;
pub mod compute;
pub mod fee;
pub mod feedback;
pub mod import;
pub mod init;
pub mod key;
pub mod organisation;
pub mod proposal;
pub mod remedy;
pub mod report;
pub mod report_flow;
pub mod search;
pub mod serve;
pub mod supervision;
pub mod user;
pub mod validate;
pub mod work;
