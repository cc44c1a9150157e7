//! gongkai-store: the database of a gongkai installation, SQLite (one agency, a data directory)
//! or PostgreSQL (a region), behind one [`Db`] enum of typed pools (docs/ARCHITECTURE.md).
//!
//! One SQL text serves both backends where the dialects agree (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`, CTEs); the DDL lives in one migration directory per backend
//! (`migrations/sqlite`, `migrations/postgres`) with the same version numbers. Versions
//! 0001–0099 belong to applications and agencies, 0100–0199 to the catalogue.

pub mod backup;
pub mod db;
pub mod error;
pub mod migrate;
pub mod repo;
#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Backend, Db, Exec, Tx};
pub use error::StoreError;
