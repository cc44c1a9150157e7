//! gongkai-app: the use cases the CLI and the web server share. Each function opens what it
//! needs, runs the domain rules of `gongkai-core` and writes through `gongkai-store` in one
//! transaction, so a refused action writes nothing.
//!
//! Error policy: library errors are typed ([`AppError`]); a refusal by the domain carries the
//! domain's reason in English and Chinese; the binary decides how to print them.

pub mod agency;
pub mod application;
pub mod catalog;
pub mod data_dir;
pub mod error;
pub mod letters;
pub mod query_code;
pub mod report;

pub use data_dir::{App, Settings};
pub use error::AppError;

/// Today's date in China (UTC+8; no daylight saving, so no tz database is needed).
pub fn today_in_china() -> time::Date {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::now_utc().to_offset(offset).date()
}
