//! The store on both backends, one test binary for the crate (one link).

mod agency;
mod application;
mod catalog;
mod online;
mod session;
mod user;
