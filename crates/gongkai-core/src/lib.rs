//! gongkai-core: the pure domain of government information disclosure (政府信息公开).
//!
//! Nothing here touches files, sockets or databases: data files that define the national
//! format are compiled in, everything else comes in as arguments. Adapters (store, import,
//! render, web, CLI) sit around this crate and depend on it, never the other way round.

pub mod application;
pub mod calendar;
pub mod catalog;
pub mod checksum;
pub mod cleanup;
pub mod fee;
pub mod feedback;
pub mod html_bound;
pub mod ids;
pub mod organisation;
pub mod proposal;
pub mod remedy;
pub mod report;
pub mod text;
pub mod user;
pub mod work;
