//! The portal over HTTP against the real router, on SQLite and PostgreSQL, one test binary.

mod admin_office;
mod api;
mod apply;
mod bad_inputs;
mod catalog_input;
mod catalog_office;
mod feedback;
mod matrix;
mod office_kit;
mod portal;
mod routes;
mod staff_auth;
mod staff_case_forms;
mod staff_cleanup;
mod staff_nav;
mod staff_office;
mod staff_remedy;
mod staff_report;
mod staff_separation;
mod staff_supervision;
mod staff_work;
