//! Migrations: one directory per backend, embedded in the binary, chosen by the backend.
//! Versions 0001–0099: agencies and applications; 0100–0199: the catalogue (issue 5).

use crate::db::Db;
use crate::error::Result;
use sqlx::migrate::Migrator;

pub static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
pub static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// Brings the schema up to date.
pub async fn run(db: &Db) -> Result<()> {
    match db {
        Db::Sqlite(p) => SQLITE.run(p).await?,
        Db::Postgres(p) => POSTGRES.run(p).await?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The backends cannot drift: the same versions with the same names in both directories.
    #[test]
    fn both_backends_have_the_same_migrations() {
        let list = |m: &Migrator| -> Vec<(i64, String)> {
            m.iter()
                .map(|x| (x.version, x.description.to_string()))
                .collect()
        };
        assert_eq!(list(&SQLITE), list(&POSTGRES));
        assert!(!list(&SQLITE).is_empty());
    }
}
