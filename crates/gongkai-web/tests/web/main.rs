//! The portal over HTTP against the real router, on SQLite and PostgreSQL, one test binary.

mod apply;
mod portal;
mod staff_auth;
