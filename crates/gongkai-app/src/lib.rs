//! gongkai-app: the use cases the CLI and the web server share. Each function opens what it
//! needs, runs the domain rules of `gongkai-core` and writes through `gongkai-store` in one
//! transaction, so a refused action writes nothing.
//!
//! Error policy: library errors are typed ([`AppError`]); a refusal by the domain carries the
//! domain's reason in English and Chinese; the binary decides how to print them.

pub mod access;
pub mod agency;
pub mod api_token;
pub mod application;
pub mod audit;
pub mod audit_log;
pub mod auth;
pub mod backup;
pub mod catalog;
pub mod cleanup;
pub mod clock;
pub mod csv;
pub mod data_dir;
pub mod error;
pub mod feedback;
pub mod hall;
pub mod import;
pub mod letters;
pub mod organisation;
pub mod personal;
pub mod portal;
pub mod proposal;
pub mod query_code;
pub mod remedy;
pub mod report;
pub mod search;
pub mod second_factor;
pub mod secrets;
pub mod supervision;
pub mod user;
pub mod work;

pub use data_dir::{App, Settings};
pub use error::AppError;

/// Today's date in China, from the system clock (the offset lives in core).
pub fn today_in_china() -> time::Date {
    gongkai_core::calendar::date_in_china(time::OffsetDateTime::now_utc())
}

/// The SHA-256 of `data` in lower-case hex: what stored documents are identified by.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
