//! Repositories: one module per aggregate. Functions take `&Db` for reads and `&mut Tx` for
//! writes that belong to a larger transaction.

pub mod agency;
pub mod application;
pub mod case_list;
pub mod catalog;
pub mod online;
pub mod session;
pub mod user;
