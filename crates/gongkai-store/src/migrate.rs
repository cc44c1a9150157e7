//! Migrations: one directory per backend, embedded in the binary, chosen by the backend.
//! Versions 0001–0099: agencies and applications; 0100–0199: the catalogue.

use crate::db::Db;
use crate::error::Result;
use crate::on_db;
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

/// The newest migration version this build knows.
pub fn latest() -> i64 {
    SQLITE.iter().map(|m| m.version).max().unwrap_or(0)
}

/// What the migrations table of a database says, read before migrating it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schema {
    /// No migration was ever applied: not a database `gongkai init` made (an empty or foreign one).
    Absent,
    /// Every applied migration is known to this build (older ones are brought up to date).
    Known { applied: i64 },
    /// A migration this build does not know was applied: written by a newer gongkai.
    Newer { applied: i64, known: i64 },
}

/// Reads the applied migration versions without changing anything.
pub async fn schema(db: &Db) -> Result<Schema> {
    let present: bool = match db {
        Db::Sqlite(p) => {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
            )
            .fetch_one(p)
            .await?
        }
        Db::Postgres(p) => {
            // `to_regclass` follows the search_path, as the migrator does.
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(p)
                .await?
        }
    };
    if !present {
        return Ok(Schema::Absent);
    }
    let applied: Vec<i64> = on_db!(db, |p| {
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(p)
            .await?
    });
    let known = latest();
    let migrator = match db {
        Db::Sqlite(_) => &SQLITE,
        Db::Postgres(_) => &POSTGRES,
    };
    let unknown = applied
        .iter()
        .copied()
        .filter(|v| !migrator.iter().any(|m| m.version == *v))
        .max();
    Ok(match (unknown, applied.last()) {
        (Some(v), _) => Schema::Newer { applied: v, known },
        (None, Some(&v)) => Schema::Known { applied: v },
        (None, None) => Schema::Absent,
    })
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
