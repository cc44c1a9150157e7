//! The use cases end to end on SQLite and PostgreSQL, one test binary for the crate (one link).

mod applications;
mod audit_log;
mod auth;
mod backup;
mod case_office;
mod catalog;
mod catalog_scope;
mod cleanup;
mod data_dir;
mod feedback;
mod online;
mod organisation;
mod personal;
mod remedy;
mod report_flow;
mod supervision;
mod table3_props;
mod work;
