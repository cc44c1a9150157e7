//! End-to-end tests of the `gongkai` binary, one test binary for the crate (one link).

mod application;
mod backup;
mod catalog;
mod common;
mod crash;
mod data_dir;
mod domain;
mod fault;
mod feedback;
mod import_audit;
mod online;
mod passwd;
mod remedy;
mod report;
mod report_flow;
mod served;
mod supervision;
mod user;
mod work;
