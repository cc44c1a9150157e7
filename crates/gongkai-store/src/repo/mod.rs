//! Repositories: one module per aggregate. Functions take `&Db` for reads and `&mut Tx` for
//! writes that belong to a larger transaction.

pub mod agency;
pub mod api_token;
pub mod application;
pub mod audit_log;
pub mod case_list;
pub mod catalog;
pub mod cleanup;
pub mod feedback;
pub mod online;
pub mod organisation;
pub mod proposal;
pub mod query_code;
pub mod remedy;
pub mod report;
pub mod second_factor;
pub mod secret;
pub mod session;
pub mod supervision;
pub mod user;
pub mod work;
